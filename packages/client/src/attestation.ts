/**
 * Keeping a relay's transcript attestation with its history. A relay with TRANSCRIPT_KEYS returns an
 * `attestation` beside `history` and wants it back with it; the client carries it on the history
 * array itself (a hidden, non-enumerable property), so code that passes `result.history` to the next
 * turn, or through a TranscriptStore, sends it back without knowing it exists.
 */
import type { Step } from "./wire.js";

const ATTESTATION = Symbol.for("gemini-relay.attestation");
/**
 * Characters per model-authored step in the tags an attestation's version cuts (each tag 16 bytes in
 * base64url): v2 `v2.<key id>.<anchor><value tag>….<blocks>.<end tag>` cuts its value tags and leaves
 * its blocks and end tag as they are (a block cut through is checked another way); v1 `v1.<key id>.<anchor><bytes tag><value tag>…`.
 */
const STEP_CHARS = new Map([
  ["v1", 44],
  ["v2", 22],
]);

/**
 * The attestation a history carries (from a relay response or a store), if any.
 *
 * @example
 * localStorage.setItem("chat", JSON.stringify({ history, attestation: attestationOf(history) }));
 */
export function attestationOf(history: readonly Step[] | undefined): string | undefined {
  return (history as { [ATTESTATION]?: string } | undefined)?.[ATTESTATION];
}

/**
 * `history` carrying `attestation` (hidden: JSON.stringify and equality checks do not see it).
 *
 * @example
 * const { history, attestation } = JSON.parse(localStorage.getItem("chat")!);
 * await client.turn({ model, history: withAttestation(history, attestation), input: "Hi again" });
 */
export function withAttestation<T extends readonly Step[]>(history: T, attestation: string | undefined): T {
  if (attestation !== undefined)
    Object.defineProperty(history, ATTESTATION, { value: attestation, enumerable: false, configurable: true, writable: true });
  return history;
}

/**
 * The transcript without its first `turns` turns, cut where the relay lets a transcript start: at
 * a user_input step that follows one of the model's steps. The attestation is cut to match (its
 * anchor becomes the value tag of the last dropped model step), so the rest still verifies. Returns
 * the history as it was when it has no such cut point. Throws for an attestation of a version this
 * client does not know (a newer relay's: update the client).
 *
 * @example
 * const shorter = dropLeadingTurns(result.history, 10);
 * await client.turn({ model, history: shorter, input: "Go on" });
 */
export function dropLeadingTurns(history: readonly Step[], turns: number): Step[] {
  const cuts = history.flatMap((step, i) => (i > 0 && step.type === "user_input" && isModelAuthored(history[i - 1]!.type) ? [i] : []));
  const cut = turns <= 0 ? undefined : cuts[Math.min(turns, cuts.length) - 1];
  if (cut === undefined) return withAttestation([...history], attestationOf(history));
  const dropped = history.slice(0, cut).filter((step) => isModelAuthored(step.type)).length;
  const attestation = attestationOf(history);
  if (attestation === undefined) return history.slice(cut);
  const [version, keyId, tags, ...rest] = attestation.split(".");
  const stepChars = STEP_CHARS.get(version!);
  if (stepChars === undefined || tags === undefined)
    throw new Error(`dropLeadingTurns: an attestation of version "${version}" cannot be cut by this client`);
  return withAttestation(history.slice(cut), [version, keyId, tags.slice(dropped * stepChars), ...rest].join("."));
}

/** Steps the relay attests: everything but the caller's own user_input and function_result steps. */
function isModelAuthored(type: string): boolean {
  return type !== "user_input" && type !== "function_result";
}

/**
 * Tamper-evident transcripts (TRANSCRIPT_KEYS): the relay attests every model-authored step it
 * returns and, when the history comes back, checks that each one is a step it returned, unaltered,
 * in the same place, before anything goes upstream. Nothing is kept between requests: the
 * attestation travels beside the history, and the caller's own steps stay theirs to write.
 *
 * Each model-authored step k has a value tag (HMAC-SHA-256, truncated to 16 bytes), the chain's link:
 *
 *   value_k = HMAC(key, "value" ‖ value_{k-1} ‖ place_k ‖ canonical_k)
 *
 * - canonical_k: the step's JSON value in canonical form (json/canonical.ts), so re-serializing
 *   the transcript keeps it valid while any change of value breaks it;
 * - place_k: the kinds of the caller's steps since the previous model-authored step (`u` for
 *   user_input, `r` for function_result): their content is free, their number and kind are not;
 * - value_{k-1}: the previous link, so steps cannot be reordered, dropped from the middle or moved
 *   in from another conversation. The first link hangs off an anchor: zeros where the conversation
 *   starts, or value_m of the last step before a cut (see dropLeadingTurns in the client).
 *
 * Checking value tags means parsing every step again. So runs of consecutive model-authored steps,
 * about BLOCK_BYTES of them each, also get a block tag over the bytes the relay returned:
 *
 *   block = HMAC(key, "block" ‖ the link before the run ‖ each step's place, value tag and length ‖ their bytes)
 *
 * A run sent back byte for byte is verified by its block tag alone: one MAC over bytes already held,
 * no parse, no serialization (the common case). Only the steps of a run whose bytes changed are
 * parsed and checked one by one by their value tags, which name the first step that fails; a run
 * that passes that way is tagged again over the bytes it came with, so the next turn is cheap again.
 *
 * And the chain's end is tagged, `end = HMAC(key, "end" ‖ value_n)`, so model steps cannot be dropped
 * from the end of the last turn with the chain cut to match: a chain may only end where a response
 * of this relay ended it (a leading cut leaves the end as it was).
 *
 * The attestation is `v2.<key id>.<anchor><value_1>…<value_n>.<count>~<block>….<end>`, each tag as
 * 22 base64url characters, each block preceded by how many steps it covers. Blocks are counted back
 * from the last step, so a caller who drops leading steps cuts only the value tags (a block left
 * partly cut is checked by value). Keyed MACs only, nothing of the content. The first key of
 * TRANSCRIPT_KEYS signs, every key verifies, and a transcript verified with an older key is signed
 * again with the first.
 *
 * Bound to a caller (TRANSCRIPT_BIND_CALLER): the end tag is then `HMAC(key, "end for caller" ‖ caller ‖
 * value_n)`, for the authenticated caller's id (Caller.id, a hash of the token or JWT subject), and
 * the attestation ends in `.caller` to say so (it names no one). A transcript is continued only as
 * its end says: a bound one for its caller alone, whatever the setting is now (turning the setting
 * off does not free what was bound); an unbound one (attested before the setting, or v1, which has no
 * end tag) is accepted and answered bound to the caller who sent it, so turning the setting on strands
 * no transcript already on a device: it was continuable by whoever held it before, and the first
 * response binds it from then on. Stripping `.caller` from a bound attestation leaves an end tag of the
 * other kind, which fails; and v1 cannot carry a v2 chain (see below), so binding cannot be downgraded away.
 *
 * Version 1 (`v1.<key id>.<anchor><bytes_1><value_1>…`, a bytes tag per step, no end tag) is still
 * verified, as a block per step, and answered in version 2: its value tags are the same. Because
 * they are the same, and v1 has no end tag, a v1 step holds by its bytes tag only, never by value:
 * only a v1 relay ever wrote a bytes tag, so a v2 attestation cannot be rewritten as v1 to escape
 * its end tag (a downgrade), and v1 transcripts keep verifying as long as their bytes are as returned.
 *
 * The work is split by job: attestation-format.ts (the text), attestation-tags.ts (the MACs and
 * keys), attestation-verify.ts and attestation-sign.ts.
 */
import type { Config } from "../config";
import { RelayError } from "../errors";
import { VERSION, ZERO_ANCHOR, attestationFailed, parseAttestation, type Signed } from "./attestation-format";
import { sign } from "./attestation-sign";
import { keyring, shapeOf } from "./attestation-tags";
import { verify } from "./attestation-verify";
import type { StepRef } from "../steps";
import type { Locate } from "./integrity";

export type TranscriptSettings = Config["transcript"];

/** What the relay concluded about the request's transcript, before the upstream call. */
export interface TranscriptCheck {
  /** The response's attestation for its whole history (the request's steps + this turn's); absent: none is given. */
  attest?: (history: readonly StepRef[]) => Promise<string>;
  /** verify mode, model-authored steps and no attestation: the Relay-Attestation-Warning header's value. */
  warning?: string;
}

/** The header that says a history's model-authored steps were not verified (verify mode, no attestation). */
export const ATTESTATION_WARNING_HEADER = "Relay-Attestation-Warning";

/**
 * Checks the model-authored steps of history ++ input against the attestation, or throws a 422
 * naming the first step that fails and why (unattested, altered, out of place, another caller's).
 * `caller`: the authenticated caller's id, which a bound attestation must have been issued to, and
 * which the response's attestation binds when settings.bindCaller is on.
 */
export async function checkTranscript(
  steps: readonly StepRef[],
  attestation: string | undefined,
  settings: TranscriptSettings,
  locate: Locate,
  caller?: string,
): Promise<TranscriptCheck> {
  if (settings.mode === "off") return {};
  const bindTo = settings.bindCaller ? caller : undefined;
  const keys = await keyring(settings.keys);
  const shape = shapeOf(steps);
  const { modelAt } = shape;
  if (attestation === undefined) {
    if (modelAt.length === 0)
      return { attest: (history) => sign(keys.signing, { anchor: ZERO_ANCHOR, values: [], blocks: [] }, history, undefined, bindTo) };
    if (settings.mode === "verify") return { warning: `unverified; ${modelAt.length} model-authored steps came without an attestation` };
    throw attestationFailed([
      {
        path: locate(modelAt[0]!),
        message:
          "is a model-authored step, and this request carries no `attestation` (this relay requires one: send back the `attestation` of the response that returned this history)",
      },
    ]);
  }

  const claimed = parseAttestation(attestation);
  const key = keys.byId.get(claimed.keyId);
  if (!key) {
    throw attestationFailed([
      {
        path: "/attestation",
        message: `is signed with key id "${claimed.keyId}", which this relay does not hold (TRANSCRIPT_KEYS): it was not issued here, or its key was retired`,
      },
    ]);
  }
  const { findings, verifiedBlocks } = await verify(steps, shape, claimed, key, locate, caller);
  if (findings.length > 0) throw attestationFailed(findings);
  // Verified with the signing key: its value tags stand (every model-authored step has one), and so do the
  // v2 blocks verified by their bytes; the rest is tagged again. With an older key: all of it is signed again.
  if (key !== keys.signing.key)
    return { attest: (history) => sign(keys.signing, { anchor: claimed.anchor, values: [], blocks: [] }, history, undefined, bindTo) };
  const known: Signed = { anchor: claimed.anchor, values: claimed.values, blocks: claimed.version === VERSION ? verifiedBlocks : [] };
  return { attest: (history) => sign(keys.signing, known, history, shape, bindTo) };
}

/** The drop-in route cannot carry an attestation: in require mode it is refused unless the operator opted in. */
export function checkDropIn(settings: TranscriptSettings): void {
  if (settings.mode !== "require" || settings.allowDropIn) return;
  throw new RelayError(403, "attestation_required", {
    detail:
      "This relay requires attested transcripts (TRANSCRIPT_MODE=require), and the drop-in Interactions route has no field for an attestation: use POST /v1/turns. The operator can allow this route anyway with TRANSCRIPT_ALLOW_DROP_IN=true.",
  });
}

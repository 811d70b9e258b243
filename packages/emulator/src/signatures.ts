/** Stateless thought signatures: base64(version | nonce | HMAC(secret, nonce + id of the function_call that follows)). */
import { concatBytes, fromBase64, randomBytes, toBase64, utf8 } from "./encoding.js";
import type { Signer } from "./hmac.js";
import { isRecord, own, ownString } from "./json.js";

const VERSION = 1;
const NONCE_BYTES = 12;
const MAC_BYTES = 32;

/** Signs a thought; `boundCallId` is the id of the function_call right after it, or "" when none follows. */
export async function signThought(signer: Signer, boundCallId: string): Promise<string> {
  const nonce = randomBytes(NONCE_BYTES);
  const mac = await signer.sign(concatBytes(nonce, utf8(boundCallId)));
  return toBase64(concatBytes(new Uint8Array([VERSION]), nonce, mac));
}

export type SignatureCheck = "valid" | "missing" | "invalid";

export async function checkSignature(signer: Signer, signature: unknown, boundCallId: string): Promise<SignatureCheck> {
  if (typeof signature !== "string" || signature === "") return "missing";
  const bytes = fromBase64(signature);
  if (!bytes || bytes.length !== 1 + NONCE_BYTES + MAC_BYTES || bytes[0] !== VERSION) return "invalid";
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const mac = bytes.subarray(1 + NONCE_BYTES);
  return (await signer.verify(mac, concatBytes(nonce, utf8(boundCallId)))) ? "valid" : "invalid";
}

export interface SignatureProblem {
  /** Index of the thought step in the input steps. */
  index: number;
  /** Name of the function_call the thought precedes. */
  callName: string;
  reason: "missing" | "invalid";
}

export interface SignatureReport {
  /** Thought steps whose signature this emulator issued and that arrived unmodified. */
  verified: number;
  /** Thoughts right before a function_call whose signature is missing or does not verify (Gemini 3 answers 400). */
  problems: SignatureProblem[];
}

/**
 * Checks the thought signatures in input steps. A thought right before a function_call must carry a signature
 * issued for that call; any other thought's signature is only counted when it verifies, and otherwise ignored
 * (scripted replies may hold thoughts the emulator never signed).
 */
export async function checkThoughtSignatures(signer: Signer, steps: readonly unknown[]): Promise<SignatureReport> {
  const report: SignatureReport = { verified: 0, problems: [] };
  for (const [index, step] of steps.entries()) {
    if (!isRecord(step) || own(step, "type") !== "thought") continue;
    const next = steps[index + 1];
    const call = isRecord(next) && own(next, "type") === "function_call" ? next : undefined;
    const result = await checkSignature(signer, own(step, "signature"), call ? (ownString(call, "id") ?? "") : "");
    if (result === "valid") report.verified += 1;
    else if (call) report.problems.push({ index, callName: ownString(call, "name") ?? "", reason: result });
  }
  return report;
}

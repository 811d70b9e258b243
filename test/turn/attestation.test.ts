/**
 * The attestation's format is a contract with every transcript already kept by callers: a build that
 * changes how tags are computed or handled must still verify what earlier builds issued, and sign
 * the same transcript to the same text.
 */
import { describe, expect, it } from "vitest";
import { RelayError } from "../../src/errors";
import { checkTranscript, type TranscriptSettings } from "../../src/turn/attestation";
import type { StepRef } from "../../src/turn/history";
import type { StepValue } from "../../src/schemas";

const SETTINGS: TranscriptSettings = { mode: "verify", keys: [{ id: "k1", secret: "1".repeat(40) }], allowDropIn: false };
const STEPS: StepValue[] = [
  { type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] },
  { type: "thought", signature: "c2lnLTE=", summary: [{ type: "text", text: "Look it up — «quickly»" }] },
  { type: "function_call", id: "call_1", name: "get_order_status", arguments: { order_id: "A-4417" } },
  { type: "function_result", call_id: "call_1", name: "get_order_status", result: { status: "shipped" } },
  { type: "model_output", content: [{ type: "text", text: "It shipped.\nIt arrives Tuesday." }] },
];
/** What the build at 718395c issued for STEPS (JSON.stringify'd) with SETTINGS' key: a fixed vector. */
const ISSUED =
  "v1.k1.AAAAAAAAAAAAAAAAAAAAAAVk43tj1SjrtBTrVhhG-U0wS0maFAMeeMZr9O3AgOrRAgwEjY9IpWmDRaE0uws--KXwT0AgYWhHtPpmr8_3RpGXhQlyOUnbhDw18toREv-aO7mQfUFPn0c6CeDbD3BNssrc8w";

const encoder = new TextEncoder();
const refs: StepRef[] = STEPS.map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step }));
const locate = (i: number) => `/history/${i}`;

describe("the attestation format (v1)", () => {
  it("signs a new conversation exactly as the earlier build did", async () => {
    const { attest } = await checkTranscript([], undefined, SETTINGS, locate);
    expect(await attest!(refs)).toBe(ISSUED);
  });

  it("verifies what the earlier build issued, and signs the same transcript to the same text", async () => {
    const check = await checkTranscript(refs, ISSUED, SETTINGS, locate);
    expect(check.warning).toBeUndefined();
    expect(await check.attest!(refs)).toBe(ISSUED);
  });

  it("verifies it by value when the steps were re-serialized", async () => {
    const respelled = refs.map((ref) => ({ ...ref, bytes: encoder.encode(JSON.stringify(ref.view, null, 2)) }));
    const check = await checkTranscript(respelled, ISSUED, SETTINGS, locate);
    expect(await check.attest!(refs)).toBe(ISSUED);
  });

  it("refuses a tag spelled with its padding bits set: it decodes to the same bytes, but no relay writes it", async () => {
    // The anchor's last character: "A" and "B" differ only in the four padding bits of a 16-byte tag.
    const at = "v1.k1.".length + 21;
    const respelled = `${ISSUED.slice(0, at)}B${ISSUED.slice(at + 1)}`;
    const refusal = await checkTranscript(refs, respelled, SETTINGS, locate).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(RelayError);
    expect((refusal as RelayError).status).toBe(422);
    expect((refusal as RelayError).errors).toEqual([
      { path: "/attestation", message: expect.stringMatching(/not an attestation this relay issued/) },
    ]);
  });
});

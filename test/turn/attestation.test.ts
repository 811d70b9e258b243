/**
 * The attestation's format is a contract with every transcript already kept by callers: a build that
 * changes how tags are computed or handled must still verify what earlier builds issued. And its
 * blocks are what keeps verification cheap: a transcript that comes back as the relay returned it
 * is verified without parsing any of its steps again.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { RelayError } from "../../src/errors";
import { checkTranscript, type TranscriptSettings } from "../../src/turn/attestation";
import type { StepRef } from "../../src/steps";
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
const ISSUED_V1 =
  "v1.k1.AAAAAAAAAAAAAAAAAAAAAAVk43tj1SjrtBTrVhhG-U0wS0maFAMeeMZr9O3AgOrRAgwEjY9IpWmDRaE0uws--KXwT0AgYWhHtPpmr8_3RpGXhQlyOUnbhDw18toREv-aO7mQfUFPn0c6CeDbD3BNssrc8w";
/** What the first build signing v2 issued for the same: the same value tags, one block over the three model steps, the end tag. */
const ISSUED_V2 =
  "v2.k1.AAAAAAAAAAAAAAAAAAAAAAS0maFAMeeMZr9O3AgOrRAgT0AgYWhHtPpmr8_3RpGXhQfUFPn0c6CeDbD3BNssrc8w.3~eYLLt0aRqmxz7OXWXIq5Qg.EQyvjQ7JkmBdYUc36Gg-GQ";

const encoder = new TextEncoder();
const refOf = (step: StepValue, text = JSON.stringify(step)): StepRef => ({ bytes: encoder.encode(text), view: step });
const refs: StepRef[] = STEPS.map((step) => refOf(step));
const locate = (i: number) => `/history/${i}`;

/** The refusal `promise` ends in (a 422 RelayError), or a failure if it resolves. */
async function refusalOf(promise: Promise<unknown>): Promise<RelayError> {
  const refusal = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(refusal).toBeInstanceOf(RelayError);
  expect((refusal as RelayError).status).toBe(422);
  return refusal as RelayError;
}

/** Verifies `steps` with `attestation` and signs them again: the attestation the relay would return with them. */
async function roundTrip(steps: readonly StepRef[], attestation: string): Promise<string> {
  const { attest } = await checkTranscript(steps, attestation, SETTINGS, locate);
  return attest!(steps);
}

/** The attestation of `steps` as the replies of a conversation that starts with them. */
async function signNew(steps: readonly StepRef[]): Promise<string> {
  const { attest } = await checkTranscript([], undefined, SETTINGS, locate);
  return attest!(steps);
}

describe("the attestation format", () => {
  it("signs a new conversation to the v2 vector", async () => {
    expect(await signNew(refs)).toBe(ISSUED_V2);
  });

  it("verifies the v2 vector, and signs the same transcript to the same text", async () => {
    expect(await roundTrip(refs, ISSUED_V2)).toBe(ISSUED_V2);
  });

  it("verifies what v1 issued by its bytes tags, and answers it in v2 with the same value tags", async () => {
    let signed = "";
    // Sent back byte for byte, no step is parsed; signing then tags v1's steps with a block.
    expect(await parsesDuring(async () => (signed = await roundTrip(refs, ISSUED_V1)))).toBe(0);
    expect(signed).toBe(ISSUED_V2);
  });

  it("verifies v2 by value when the steps were re-serialized; v1 only byte for byte (its value tags are v2's, and it has no end tag)", async () => {
    const respelled = STEPS.map((step) => refOf(step, JSON.stringify(step, null, 2)));
    const check = await checkTranscript(respelled, ISSUED_V2, SETTINGS, locate);
    expect(await check.attest!(refs)).toBe(ISSUED_V2);
    const refusal = await refusalOf(checkTranscript(respelled, ISSUED_V1, SETTINGS, locate));
    expect(refusal.errors?.map((error) => error.path)).toEqual(["/history/1", "/history/2", "/history/3/call_id", "/history/4"]);
    expect(refusal.errors?.[0]?.message).toMatch(/does not match its v1 bytes tag/);
  });

  it("refuses a v2 attestation rewritten as v1 (junk bytes tags, the real value tags), whole or with its last step dropped", async () => {
    const [, keyId, chain] = ISSUED_V2.split(".");
    const [anchor, ...values] = chain!.match(/.{22}/g)!;
    for (const junk of ["A".repeat(22), ISSUED_V2.split(".")[3]!.slice(2), values[0]!]) {
      const v1 = (count: number) =>
        `v1.${keyId}.${anchor}${values
          .slice(0, count)
          .map((value) => junk + value)
          .join("")}`;
      for (const [steps, attestation] of [
        [refs, v1(3)],
        [refs.slice(0, -1), v1(2)],
      ] as const) {
        const refusal = await refusalOf(checkTranscript(steps, attestation, SETTINGS, locate));
        expect(refusal.errors?.[0]).toEqual({ path: "/history/1", message: expect.stringMatching(/v1 bytes tag.*downgrade/) });
      }
    }
  });

  it("carries no v1 bytes tag over to steps attested in v2: a conversation begun under v1 cannot be cut at its v2 end", async () => {
    // The conversation went on under v2 after ISSUED_V1: two more model steps, the last one answering.
    const more = [
      refOf({ type: "user_input", content: [{ type: "text", text: "And the carrier?" }] }),
      refOf({ type: "thought", signature: "c2lnLTI=", summary: [{ type: "text", text: "Check the carrier" }] }),
      refOf({ type: "model_output", content: [{ type: "text", text: "DHL." }] }),
    ];
    const { attest } = await checkTranscript(refs, ISSUED_V1, SETTINGS, locate);
    const [, , chain] = (await attest!([...refs, ...more])).split(".");
    const values = chain!.match(/.{22}/g)!.slice(1);
    // The caller holds ISSUED_V1's real bytes tags for the first three steps; the fourth has none.
    for (const bytesTag of ["A".repeat(22), values[3]!, ISSUED_V1.slice(-44, -22)]) {
      const v1 = `${ISSUED_V1}${bytesTag}${values[3]}`;
      const refusal = await refusalOf(checkTranscript([...refs, ...more.slice(0, -1)], v1, SETTINGS, locate));
      expect(refusal.errors).toEqual([{ path: "/history/6", message: expect.stringMatching(/v1 bytes tag/) }]);
    }
    // What v1 itself allows stays allowed: ISSUED_V1 cut at its own end (v1 has no end tag).
    expect((await checkTranscript(refs.slice(0, -1), ISSUED_V1.slice(0, -44), SETTINGS, locate)).attest).toBeDefined();
  });

  it("refuses a tag spelled with its padding bits set: it decodes to the same bytes, but no relay writes it", async () => {
    // The anchor's last character: "A" and "B" differ only in the four padding bits of a 16-byte tag.
    for (const issued of [ISSUED_V1, ISSUED_V2]) {
      const at = "v1.k1.".length + 21;
      const respelled = `${issued.slice(0, at)}B${issued.slice(at + 1)}`;
      const refusal = await refusalOf(checkTranscript(refs, respelled, SETTINGS, locate));
      expect(refusal.errors).toEqual([{ path: "/attestation", message: expect.stringMatching(/not an attestation this relay issued/) }]);
    }
  });

  it("refuses blocks written otherwise than the relay writes them", async () => {
    const [version, keyId, chain, blocks, end] = ISSUED_V2.split(".");
    const tag = blocks!.slice(2);
    for (const written of [`0~${tag}`, `03~${tag}`, `3${tag}`, `3~${tag}x`, `3~${tag.slice(1)}`, `1234567~${tag}`]) {
      const refusal = await refusalOf(checkTranscript(refs, [version, keyId, chain, written, end].join("."), SETTINGS, locate));
      expect(refusal.errors?.[0]?.path).toBe("/attestation");
    }
    // Without its end tag, or with two.
    for (const text of [[version, keyId, chain, blocks].join("."), `${ISSUED_V2}.${end}`]) {
      expect((await refusalOf(checkTranscript(refs, text, SETTINGS, locate))).errors?.[0]?.path).toBe("/attestation");
    }
  });
});

/**
 * A long support conversation: `rounds` of user_input → thought → function_call → function_result →
 * model_output, each model step carrying about `size` bytes of text.
 */
function conversation(rounds: number, size = 4000): StepRef[] {
  const text = (round: number, what: string) => `${what} ${round}: ${"lorem ipsum «dolor» sit amet ".repeat(size / 30)}`;
  return Array.from({ length: rounds }, (_, round): StepValue[] => {
    const id = `call_${round}`;
    return [
      { type: "user_input", content: [{ type: "text", text: `Question ${round}` }] },
      { type: "thought", signature: "c2lnLTE=", summary: [{ type: "text", text: text(round, "thought") }] },
      { type: "function_call", id, name: "lookup", arguments: { q: text(round, "query") } },
      { type: "function_result", call_id: id, name: "lookup", result: { ok: true } },
      { type: "model_output", content: [{ type: "text", text: text(round, "answer") }] },
    ];
  })
    .flat()
    .map((step) => refOf(step));
}

const modelCount = (steps: readonly StepRef[]) =>
  steps.filter((s) => s.view.type !== "user_input" && s.view.type !== "function_result").length;
/** The attestation's parts: version, key id, the chain (anchor + value tags), the blocks as [count, tag], the end tag. */
function partsOf(attestation: string) {
  const [version, keyId, chain, blocks, end] = attestation.split(".");
  return {
    version,
    keyId,
    end,
    chain: chain!,
    blocks: [...blocks!.matchAll(/([0-9]+)~(.{22})/g)].map(([, count, tag]) => [Number(count), tag!] as const),
  };
}

/** How many times JSON.parse runs during `work`: every model step checked by value is parsed once. */
async function parsesDuring(work: () => Promise<unknown>): Promise<number> {
  const parse = vi.spyOn(JSON, "parse");
  await work();
  const count = parse.mock.calls.length;
  parse.mockRestore();
  return count;
}

describe("blocks: a few MACs over the bytes the relay returned", () => {
  afterEach(() => vi.restoreAllMocks());
  const long = conversation(40);
  const signed = signNew(long);

  it("covers a long transcript with one block per 64 KiB or so of model steps, the chain with a value tag per step", async () => {
    const { chain, blocks } = partsOf(await signed);
    expect(chain.length).toBe(22 * (1 + modelCount(long)));
    // 120 model steps of about 4 KB: 480 KB in 8 blocks of at least 64 KiB and the last one.
    expect(blocks.map(([count]) => count).reduce((a, b) => a + b)).toBe(modelCount(long));
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    expect(blocks.length).toBeLessThanOrEqual(9);
  });

  it("verifies a transcript sent back byte for byte without parsing any step, and parses only this turn's to sign it", async () => {
    const attestation = await signed;
    const next = [...long, ...conversation(1).map((step) => ({ ...step }))];
    let check: Awaited<ReturnType<typeof checkTranscript>> | undefined;
    expect(await parsesDuring(async () => (check = await checkTranscript(long, attestation, SETTINGS, locate)))).toBe(0);
    let signedNext = "";
    expect(await parsesDuring(async () => (signedNext = await check!.attest!(next)))).toBe(3);
    // The blocks before the last stand; the last takes this turn's steps in while it is small.
    const [before, after] = [partsOf(attestation).blocks, partsOf(signedNext).blocks];
    expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
    expect(after.at(-1)![0]).toBe(before.at(-1)![0] + 3);
    expect(await parsesDuring(() => checkTranscript(next, signedNext, SETTINGS, locate))).toBe(0);
  });

  it("checks by value only the steps of a block a cut went through, and tags them again", async () => {
    const { version, keyId, chain, blocks, end } = partsOf(await signed);
    // Drop the first 5 rounds (15 model steps): the client's cut. The first block covers more than 15.
    expect(blocks[0]![0]).toBeGreaterThan(15);
    const cut = long.slice(25);
    const trimmed = `${version}.${keyId}.${chain.slice(22 * 15)}.${blocks.map(([count, tag]) => `${count}~${tag}`).join("")}.${end}`;
    let attest: ((history: readonly StepRef[]) => Promise<string>) | undefined;
    expect(await parsesDuring(async () => ({ attest } = await checkTranscript(cut, trimmed, SETTINGS, locate)))).toBe(blocks[0]![0] - 15);
    const again = await attest!(cut);
    expect(
      partsOf(again)
        .blocks.map(([count]) => count)
        .reduce((a, b) => a + b),
    ).toBe(modelCount(cut));
    expect(await parsesDuring(() => checkTranscript(cut, again, SETTINGS, locate))).toBe(0);
  });

  it("checks a re-serialized transcript by value once; sent back as then returned, by its blocks alone", async () => {
    const respelled = long.map((step) => refOf(step.view, JSON.stringify(step.view, null, 2)));
    let attest: ((history: readonly StepRef[]) => Promise<string>) | undefined;
    expect(await parsesDuring(async () => ({ attest } = await checkTranscript(respelled, await signed, SETTINGS, locate)))).toBe(
      modelCount(long),
    );
    const returned = await attest!(respelled);
    expect(await parsesDuring(() => checkTranscript(respelled, returned, SETTINGS, locate))).toBe(0);
  });

  it("holds every step to its value tag when a block tag does not match: a block tag can only spare work", async () => {
    const attestation = await signed;
    // The last block tag's second-to-last character (the end tag follows it).
    const at = attestation.lastIndexOf(".") - 2;
    const forged = `${attestation.slice(0, at)}${attestation[at] === "A" ? "B" : "A"}${attestation.slice(at + 1)}`;
    // The block's steps are checked by value: as sent, they pass.
    expect((await checkTranscript(long, forged, SETTINGS, locate)).attest).toBeDefined();
    // An altered step in that block is found, whatever its block tag says.
    const altered = [...long];
    const last = long.at(-1)!.view;
    altered[long.length - 1] = refOf({ ...last, content: [{ type: "text", text: "Refund approved." }] });
    for (const sent of [attestation, forged]) {
      const refusal = await refusalOf(checkTranscript(altered, sent, SETTINGS, locate));
      expect(refusal.errors).toEqual([{ path: `/history/${long.length - 1}`, message: expect.stringMatching(/\(altered\)/) }]);
    }
  });
});

describe("what the chain's end and the search for moved steps hold to", () => {
  const long = conversation(4, 300);
  const signed = signNew(long);

  it("refuses a chain cut at its end: the model's last steps dropped, with the attestation cut to match", async () => {
    const { version, keyId, chain, blocks, end } = partsOf(await signed);
    // The last turn was thought → call → (result) → output: drop the output and its value tag.
    const shorter = long.slice(0, -1);
    const blockText = blocks.map(([count, tag]) => `${count}~${tag}`).join("");
    // With the blocks as they were, or padded so they still line up: either way the steps check out by value.
    for (const padded of [blockText, `1~${"A".repeat(22)}${blockText}`]) {
      const cut = `${version}.${keyId}.${chain.slice(0, -22)}.${padded}.${end}`;
      const refusal = await refusalOf(checkTranscript(shorter, cut, SETTINGS, locate));
      expect(refusal.errors).toEqual([{ path: "/attestation", message: expect.stringMatching(/dropped from the end of a turn/) }]);
    }
    // The relay's own attestation of the shorter transcript (had it ended there) is accepted.
    expect((await checkTranscript(shorter, await signNew(shorter), SETTINGS, locate)).attest).toBeDefined();
  });

  it("looks for only the first 3 failing steps elsewhere, so forged steps cost a bounded search each", async () => {
    const forged = long.map((step) =>
      step.view.type === "model_output" ? refOf({ type: "model_output", content: [{ type: "text", text: "Refund approved." }] }) : step,
    );
    const refusal = await refusalOf(checkTranscript(forged, await signed, SETTINGS, locate));
    expect(refusal.errors?.map((error) => error.message.match(/\((altered|unattested)\)$|told apart\)$/)?.[0])).toEqual([
      "(altered)",
      "(altered)",
      "(altered)",
      "told apart)",
    ]);
  });
});

describe("bound to a caller (TRANSCRIPT_BIND_CALLER)", () => {
  const BOUND: TranscriptSettings = { ...SETTINGS, bindCaller: true };

  it("binds only the end tag: the chain and blocks are the unbound vector's, the end is of its own kind and says `.caller`", async () => {
    const { attest } = await checkTranscript([], undefined, BOUND, locate, "token:aaaa");
    const bound = await attest!(refs);
    const [version, keyId, chain, blocks, end, mark] = bound.split(".");
    expect([version, keyId, chain, blocks, mark]).toEqual([...ISSUED_V2.split(".").slice(0, 4), "caller"]);
    expect(end).not.toBe(ISSUED_V2.split(".")[4]);
    expect((await checkTranscript(refs, bound, BOUND, locate, "token:aaaa")).attest).toBeDefined();
    const refusal = await refusalOf(checkTranscript(refs, bound, BOUND, locate, "token:bbbb"));
    expect(refusal.errors?.[0]?.message).toMatch(/^was attested for another caller/);
    // Without a caller to check against, a bound transcript is not continued.
    await refusalOf(checkTranscript(refs, bound, SETTINGS, locate));
  });

  it("a v1 transcript (no end tag: unbound) is accepted and answered in v2, bound to its sender", async () => {
    const { attest } = await checkTranscript(refs, ISSUED_V1, BOUND, locate, "token:aaaa");
    const bound = await attest!(refs);
    expect(bound).toMatch(/^v2\.k1\..*\.caller$/);
    await refusalOf(checkTranscript(refs, bound, BOUND, locate, "token:bbbb"));
  });
});

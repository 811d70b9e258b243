/**
 * No downgrade, as a property: for any transcript a relay attested (built turn by turn through the
 * relay) and any edit of its model steps (dropped from the end, the middle or the front at a point
 * that is not a cut, reordered, altered), no attestation string the caller can write is accepted:
 * not the ones the relay issued, not v2 rewrites recombining their parts, not v1 rewrites with junk
 * or real tags in the bytes tags' place, not tags from another conversation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { StepValue, TurnResponse } from "../../src/schemas";
import { relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
const TAG = 22;
const tools = [{ type: "function", name: "lookup", description: "Look something up", parameters: { type: "object" } }];
type Relay = ReturnType<typeof relayWithEmulator>;

/** One turn of the model: a tool call, or an answer of one or two outputs, after a thought or not. */
interface TurnShape {
  call: boolean;
  thought: boolean;
  outputs: number;
  text: string;
}
const turnShape = fc.record({ call: fc.boolean(), thought: fc.boolean(), outputs: fc.integer({ min: 1, max: 2 }), text: fc.string() });

const isModel = (step: StepValue) => step.type !== "user_input" && step.type !== "function_result";

/** Runs `turns` through `relay` (each one scripted), answering calls with results and answers with a question; returns every response. */
async function converse(relay: Relay, turns: readonly TurnShape[], label: string): Promise<TurnResponse[]> {
  const responses: TurnResponse[] = [];
  for (const [n, turn] of turns.entries()) {
    const id = `${label}-${n}`;
    // A thought before a call would need a signature the emulator minted: calls come alone.
    const steps: unknown[] = turn.call
      ? [{ type: "function_call", id: `call-${id}`, name: "lookup", arguments: { q: turn.text } }]
      : [
          ...(turn.thought ? [{ type: "thought", summary: [{ type: "text", text: `thinking ${id}` }] }] : []),
          ...Array.from({ length: turn.outputs }, (_, k) => ({
            type: "model_output",
            content: [{ type: "text", text: `${id}.${k} ${turn.text}` }],
          })),
        ];
    relay.emulator.script(MODEL, { steps });
    const last = responses.at(-1);
    const input = last?.pending_calls.length
      ? last.pending_calls.map((call) => ({ type: "function_result", call_id: call.id, name: call.name, result: { ok: id } }))
      : `question ${id}`;
    responses.push(await relay.ok({ model: MODEL, tools, history: last?.history, attestation: last?.attestation, input }));
  }
  return responses;
}

/** What an attestation binds of a transcript: each model step with the kinds of the caller's steps before it. */
function chainOf(steps: readonly StepValue[]): string {
  let place = "";
  const links: string[] = [];
  for (const step of steps) {
    if (isModel(step)) {
      links.push(`${place}|${JSON.stringify(step)}`);
      place = "";
    } else place += step.type === "user_input" ? "u" : "r";
  }
  return JSON.stringify(links);
}

/**
 * Every chain the relay may accept: none (a transcript of the caller's steps alone has nothing to
 * attest), and each response's history, whole or cut at a user_input that follows a model step.
 */
function acceptable(responses: readonly TurnResponse[]): Set<string> {
  const chains = new Set<string>([chainOf([])]);
  for (const { history } of responses) {
    history.forEach((step, i) => {
      if (i === 0 || (step.type === "user_input" && isModel(history[i - 1]!))) chains.add(chainOf(history.slice(i)));
    });
  }
  return chains;
}

/** The edits of a transcript's model steps, each given the positions of its model steps and a few random numbers. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant("dropEnd" as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant("dropMiddle" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("dropFront" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("reorder" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("alter" as const), at: fc.nat(), text: fc.string({ minLength: 1 }) }),
);

/** The edited transcript, and where each of its model steps was among the model steps before the edit. */
function applyEdit(history: readonly StepValue[], e: EditValue): { steps: StepValue[]; from: number[] } {
  const copies = history.map((step) => JSON.parse(JSON.stringify(step)) as StepValue);
  const model = copies.flatMap((step, i) => (isModel(step) ? [i] : []));
  const steps = edited(copies, model, e);
  return { steps, from: steps.filter(isModel).map((step) => model.indexOf(copies.indexOf(step))) };
}

function edited(steps: StepValue[], model: readonly number[], e: EditValue): StepValue[] {
  switch (e.kind) {
    case "dropEnd":
      return steps.filter((_, i) => !model.slice(-e.count).includes(i));
    case "dropMiddle":
      return steps.filter((_, i) => i !== model[e.at % model.length]);
    case "dropFront":
      return steps.slice(1 + (e.at % (steps.length - 1)));
    case "reorder": {
      const [a, b] = [model[e.a % model.length]!, model[e.b % model.length]!];
      [steps[a], steps[b]] = [steps[b]!, steps[a]!];
      return steps;
    }
    case "alter": {
      const step = steps[model[e.at % model.length]!]!;
      step.altered = e.text;
      return steps;
    }
  }
}
type EditValue = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** An attestation's parts: version, key id, anchor, value tags, blocks (as written) and end tag. */
function partsOf(attestation: string) {
  const [version, keyId, chain, blocks, end] = attestation.split(".");
  const [anchor, ...values] = chain!.match(new RegExp(`.{${TAG}}`, "g"))!;
  return { version: version!, keyId: keyId!, anchor: anchor!, values, blocks: blocks!, end: end! };
}

/** Every tag in the attestations: what a caller can put in any tag's place. */
function tagsOf(attestations: readonly string[]): string[] {
  return attestations.flatMap((attestation) => {
    const { anchor, values, blocks, end } = partsOf(attestation);
    return [anchor, ...values, ...[...blocks.matchAll(new RegExp(`~(.{${TAG}})`, "g"))].map((match) => match[1]!), end];
  });
}

/** An attestation a caller can write from the ones it holds, as picks into them (by index, modulo their number). */
const forgery = fc.record({
  version: fc.constantFrom("v1", "v2"),
  chainFrom: fc.nat(),
  blocksFrom: fc.nat(),
  endFrom: fc.nat(),
  /** Value tags cut from the front (the anchor becomes the last cut one) and from the end. */
  cutFront: fc.nat({ max: 3 }),
  cutEnd: fc.nat({ max: 3 }),
  dropValue: fc.option(fc.nat(), { nil: undefined }),
  swap: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
  emptyBlocks: fc.boolean(),
  /** v1: what stands in each bytes tag's place, junk or a tag the caller holds. */
  bytesTags: fc.array(fc.option(fc.nat(), { nil: undefined }), { maxLength: 12 }),
});

type Forgery = typeof forgery extends fc.Arbitrary<infer T> ? T : never;

function forge(f: Forgery, held: readonly string[], pool: readonly string[]): string {
  const chain = partsOf(held[f.chainFrom % held.length]!);
  let links = [chain.anchor, ...chain.values];
  links = links.slice(Math.min(f.cutFront, links.length - 1), links.length - Math.min(f.cutEnd, links.length - 1));
  const [anchor, ...values] = links;
  if (f.dropValue !== undefined && values.length > 0) values.splice(f.dropValue % values.length, 1);
  if (f.swap !== undefined && values.length > 0) {
    const [a, b] = [f.swap[0] % values.length, f.swap[1] % values.length];
    [values[a], values[b]] = [values[b]!, values[a]!];
  }
  if (f.version === "v1") {
    const bytesTag = (k: number) => {
      const pick = f.bytesTags[k % Math.max(1, f.bytesTags.length)];
      return pick === undefined ? JUNK : pool[pick % pool.length]!;
    };
    return `v1.${chain.keyId}.${anchor}${values.map((value, k) => bytesTag(k) + value).join("")}`;
  }
  const blocks = f.emptyBlocks ? "" : partsOf(held[f.blocksFrom % held.length]!).blocks;
  return `v2.${chain.keyId}.${anchor}${values.join("")}.${blocks}.${partsOf(held[f.endFrom % held.length]!).end}`;
}

/**
 * The attestations a caller writes by editing `held`'s tags as it edited the steps: the value tags of
 * the steps it kept, in their new order, hung off the tag before the first (v2 with every end tag
 * and blocks it holds; v1 with junk or held tags as bytes tags).
 */
function mirrored(attestation: string, from: readonly number[], held: readonly string[], pool: readonly string[]): string[] {
  const { keyId, anchor, values, blocks } = partsOf(attestation);
  const chain = `${from[0] ? values[from[0] - 1] : anchor}${from.map((k) => values[k]).join("")}`;
  const v1 = [JUNK, pool[0]!, values[0]!].map(
    (bytesTag) => `v1.${keyId}.${chain.slice(0, TAG)}${from.map((k) => bytesTag + values[k]).join("")}`,
  );
  const v2 = held.flatMap((other) => [blocks, ""].map((written) => `v2.${keyId}.${chain}.${written}.${partsOf(other).end}`));
  return [...v1, ...v2];
}
const JUNK = "A".repeat(TAG);

describe("no attestation a caller can write makes the relay accept an edit of the model's steps", () => {
  it("holds for generated conversations, edits and forgeries (require mode)", async () => {
    const relay = relayWithEmulator({ TRANSCRIPT_KEYS: `k1:${"1".repeat(40)}`, TRANSCRIPT_MODE: "require" });
    // Another conversation whose tags the caller also holds.
    const other = await converse(relay, [{ call: false, thought: true, outputs: 2, text: "elsewhere" }], "other");
    let runs = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(turnShape, { minLength: 1, maxLength: 4 }),
        edit,
        fc.array(forgery, { minLength: 1, maxLength: 4 }),
        async (turns, e, forgeries) => {
          const responses = await converse(relay, turns, `c${runs++}`);
          const { steps: edited, from } = applyEdit(responses.at(-1)!.history, e);
          // An edit that happens to leave a chain the relay issued (e.g. a whole last turn dropped) proves nothing.
          if (acceptable([...responses, ...other]).has(chainOf(edited))) return;
          const held = [...responses, ...other].map((response) => response.attestation!);
          const pool = tagsOf(held);
          const written = [
            ...held,
            ...mirrored(responses.at(-1)!.attestation!, from, held, pool),
            ...forgeries.map((f) => forge(f, held, pool)),
          ];
          for (const attestation of written) {
            const before = relay.creates().length;
            const res = await relay.turn({ model: MODEL, tools, history: edited, attestation, input: "Go on" });
            expect(res.status, `${e.kind} with ${attestation}: ${await res.text()}`).toBe(422);
            expect(relay.creates().length, "nothing may reach Gemini").toBe(before);
          }
          refused++;
        },
      ),
      { numRuns: 80 },
    );
    // Most generated edits (about 2 in 3) must be real edits, or the property says little.
    expect(refused).toBeGreaterThan(30);
    // About 2,000 relay calls, each refused before any upstream call: seconds, more on a busy machine.
  }, 60_000);
});

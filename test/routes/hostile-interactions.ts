/**
 * Generated upstream interactions for the streamed-equals-unary differential test: each one as the
 * unary reply's bytes and as the SSE stream that describes the same steps (docs/api.md's rule,
 * Streaming). Built as text, never through JSON.stringify of values, so the steps carry what a
 * serializer would rewrite: 20-digit integers, 1e400, -0, 1.10, escapes (\u002f, surrogate pairs),
 * repeated keys in opaque parts and whitespace; deltas split strings and argument text anywhere.
 *
 * Opaque parts hold `url`/`curl` keys and `files/…` strings too (the retention guard reads only
 * media and document blocks' URIs). Constraints (what the relay's other checks refuse, or what no
 * stream can describe):
 * - opaque nesting stays shallow (a reply deeper than history may be fails unary and streamed alike);
 * - keys the relay or Gemini reads (a step's type, id, name, call_id, signature, content, summary,
 *   result; a block's type, text, uri, data, mime_type) are not repeated (one reading); the rebuilt
 *   levels (the step, its content and summary lists, a streamed block) are written compactly, with
 *   `type` first and the streamed members last, as the rule writes them.
 */
import fc from "fast-check";

export const TOOL_NAMES = ["lookup", "get_weather", "refund"] as const;
export const TOOLS = JSON.stringify(TOOL_NAMES.map((name) => ({ type: "function", name })));
/** A name the model may call that the request does not declare: a warning, never a refusal next turn (closure). */
const UNDECLARED_NAME = "not_declared";

/** One model step: its unary bytes, and its stream (step.start's step, then each delta's JSON). */
export interface GeneratedStep {
  unary: string;
  start: string;
  deltas: string[];
  call?: { id: string; name: string };
}

/** How the stream carries a step: fully, started but never stopped, or not at all (interaction.completed carries those). */
export type StepMode = "streamed" | "unstopped" | "absent";

export interface GeneratedInteraction {
  steps: GeneratedStep[];
  modes: StepMode[];
  /** How many leading steps interaction.completed carries (their unary bytes). */
  carried: number;
  /** Picks that interleave the steps' events (routing is by index). */
  interleave: number[];
  status: string;
  unaryBody: string;
  sseBody: string;
}

const ws = fc.constantFrom("", "", "", " ", "\n", "  ", "\t");
const NUMBERS = ["12345678901234567890", "1e400", "-0", "1.10", "2E+5", "0", "-1.5e-7", "3"];
/** Units of a JSON string's contents: each a whole escape or code point (a surrogate pair's escapes are two units). */
const unitGroup = fc.oneof(
  fc.constantFrom(["a"], ["b"], ["Z"], [" "], ["é"], ["😀"], ["—"], ["/"], ["%"], ["7"]),
  fc.constantFrom(["\\n"], ['\\"'], ["\\\\"], ["\\/"], ["\\u002f"], ["\\u002F"], ["\\u00e9"], ["\\t"], ["\\ud83d", "\\ude00"]),
);
const units = fc.array(unitGroup, { maxLength: 8 }).map((groups) => groups.flat());
const string = units.map((u) => `"${u.join("")}"`);
const OPAQUE_KEYS = ["n", "meta", "x", "d", "Ω", "k\\u0065y", "a_b", "url", "curl", "security"];
const key = fc.constantFrom(...OPAQUE_KEYS).map((k) => `"${k}"`);

const { opaque } = fc.letrec<{ opaque: string; object: string; array: string; leaf: string }>((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom(
      ...NUMBERS,
      "true",
      "false",
      "null",
      '"files/report.pdf"',
      '"https://generativelanguage.googleapis.com/v1beta/files/abc"',
    ),
    string,
  ),
  opaque: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("object"), tie("array")),
  object: fc
    .array(fc.tuple(ws, key, ws, ws, tie("opaque"), ws), { maxLength: 3 })
    .map((members) => `{${members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(",")}}`),
  array: fc
    .array(fc.tuple(ws, tie("opaque"), ws), { maxLength: 3 })
    .map((items) => `[${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`),
}));
/** An opaque JSON object (arguments, results), possibly with repeated keys and odd spellings inside. */
const opaqueObject = (minLength = 0) =>
  fc
    .array(fc.tuple(ws, key, ws, ws, opaque, ws), { minLength, maxLength: 4 })
    .map((members) => `{${members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(",")}}`);
/** Extra members of a step or block (names no rule reads), each `"name":value`, compact at the member level. */
const extraMembers = (names: readonly string[]) =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...names), opaque), { maxLength: 2, selector: ([name]) => name })
    .map((members) => members.map(([name, value]) => `"${name}":${value}`));
/** The same, as text to place after a member (`,"a":1,"b":2`). */
const extras = (names: readonly string[]) => extraMembers(names).map((members) => members.map((m) => `,${m}`).join(""));
const EXTRA_NAMES = ["meta", "x_extra", "trace", "grade"];

/** `pieces` of a unit list cut at the given points (empty pieces allowed). */
function cut(list: readonly string[], cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (list.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of [...points, list.length]) {
    pieces.push(list.slice(from, point).join(""));
    from = point;
  }
  return pieces;
}

/** A delta's members `fields` (each `"k":v`) with `"type":"<type>"` placed at `at`. */
function withType(type: string, fields: readonly string[], at: number): string {
  const members = [...fields];
  members.splice(at % (members.length + 1), 0, `"type":"${type}"`);
  return `{${members.join(",")}}`;
}

interface Block {
  unary: string;
  deltas: string[];
  text: boolean;
}

const textBlock: fc.Arbitrary<Block> = fc
  .record({
    units,
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    extra: extraMembers(["meta", "x_extra"]),
    annotations: fc.array(fc.array(opaque, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
    typeAt: fc.nat(),
    laterTypeFirst: fc.boolean(),
  })
  .map(({ units, cuts, extra, annotations, typeAt, laterTypeFirst }) => {
    const [first, ...later] = cut(units, cuts);
    const all = annotations.flat();
    const annotated = all.length > 0 ? `,"annotations":[${all.join(",")}]` : "";
    return {
      unary: `{"type":"text","text":"${units.join("")}"${extra.map((m) => `,${m}`).join("")}${annotated}}`,
      deltas: [
        withType("text", [`"text":"${first}"`, ...extra], typeAt),
        ...later.map((piece) => (laterTypeFirst ? `{"type":"text","text":"${piece}"}` : `{"text":"${piece}","type":"text"}`)),
        ...annotations.map((chunk) => `{"annotations":[${chunk.join(",")}],"type":"text_annotation_delta"}`),
      ],
      text: true,
    };
  });

const otherBlock: fc.Arbitrary<Block> = fc
  .record({
    type: fc.constantFrom("image", "audio", "hologram"),
    data: fc.base64String({ minLength: 4, maxLength: 12 }),
    extra: fc.array(fc.tuple(fc.constantFrom("meta", "x", "meta"), opaque), { maxLength: 2 }),
    typeAt: fc.nat(),
  })
  .map(({ type, data, extra, typeAt }) => {
    const fields = [`"data":"${data}"`, `"mime_type":"${type}/x"`, ...extra.map(([k, v]) => `"${k}":${v}`)];
    return { unary: `{"type":"${type}",${fields.join(",")}}`, deltas: [withType(type, fields, typeAt)], text: false };
  });

const modelOutput: fc.Arbitrary<Omit<GeneratedStep, "call">> = fc
  .record({ extra: extras(EXTRA_NAMES), blocks: fc.array(fc.oneof(textBlock, otherBlock), { minLength: 1, maxLength: 4 }), seed: fc.nat() })
  .map(({ extra, blocks, seed }) => {
    // A text block right after a text block cannot be streamed (its delta would extend the one before): seed it.
    let least = 0;
    blocks.forEach((block, i) => {
      if (block.text && blocks[i - 1]?.text) least = i + 1;
    });
    const seeded = least + (seed % (blocks.length - least + 1));
    const unaryBlocks = blocks.map((b) => b.unary);
    return {
      unary: `{"type":"model_output"${extra},"content":[${unaryBlocks.join(",")}]}`,
      start:
        seeded === 0
          ? `{"type":"model_output"${extra}}`
          : `{"type":"model_output"${extra},"content":[${unaryBlocks.slice(0, seeded).join(",")}]}`,
      deltas: blocks.slice(seeded).flatMap((b) => b.deltas),
    };
  });

/** A signature spelled with JSON escapes Gemini may use for `/`. */
const signature = fc
  .array(fc.constantFrom("A", "b", "9", "+", "=", "/", "\\/", "\\u002f", "\\u002F"), { minLength: 1, maxLength: 12 })
  .map((parts) => `"Ep${parts.join("")}"`);

const thought: fc.Arbitrary<Omit<GeneratedStep, "call">> = fc
  .record({
    extra: extras(EXTRA_NAMES),
    summary: fc.array(
      fc.oneof(
        opaqueObject(),
        string.map((t) => `{"type":"text","text":${t}}`),
      ),
      { maxLength: 3 },
    ),
    // A thought may come without a signature (a warning before a call, never a refusal next turn).
    signature: fc.option(signature, { nil: undefined }),
    placeholder: fc.boolean(),
  })
  .map(({ extra, summary, signature, placeholder }) => {
    const summaryMember = summary.length > 0 ? `,"summary":[${summary.join(",")}]` : "";
    const summaryDeltas = summary.map((content) => `{"content":${content},"type":"thought_summary"}`);
    if (signature === undefined) {
      return { unary: `{"type":"thought"${extra}${summaryMember}}`, start: `{"type":"thought"${extra}}`, deltas: summaryDeltas };
    }
    return {
      unary: placeholder
        ? `{"type":"thought"${extra},"signature":${signature}${summaryMember}}`
        : `{"type":"thought"${extra}${summaryMember},"signature":${signature}}`,
      start: placeholder ? `{"type":"thought"${extra},"signature":""}` : `{"type":"thought"${extra}}`,
      deltas: [...summaryDeltas, `{"signature":${signature},"type":"thought_signature"}`],
    };
  });

const functionCall = (id: string): fc.Arbitrary<GeneratedStep> =>
  fc
    .record({
      name: fc.constantFrom(...TOOL_NAMES, UNDECLARED_NAME),
      args: opaqueObject(1),
      how: fc.constantFrom("fragments", "fragments-no-seed", "whole", "object-delta"),
      cuts: fc.array(fc.nat(), { maxLength: 6 }),
    })
    .map(({ name, args, how, cuts }) => {
      const head = `{"type":"function_call","id":"${id}","name":"${name}"`;
      const unary = `${head},"arguments":${args}}`;
      // Fragments cut the arguments' text anywhere, mid-number, mid-escape, between a surrogate pair's halves.
      const fragments = cut([...args.split("")], cuts).map((piece) => `{"arguments":${JSON.stringify(piece)},"type":"arguments_delta"}`);
      const step = (start: string, deltas: string[]) => ({ unary, start, deltas, call: { id, name } });
      if (how === "whole") return step(unary, []);
      if (how === "object-delta") return step(`${head},"arguments":{}}`, [`{"type":"arguments_delta","arguments":${args}}`]);
      return step(how === "fragments" ? `${head},"arguments":{}}` : `${head}}`, fragments);
    });

const serverTool = (id: string): fc.Arbitrary<Omit<GeneratedStep, "call">> =>
  fc
    .record({
      kind: fc.constantFrom("google_search_call", "google_search_result", "code_execution_result"),
      extra: extras(EXTRA_NAMES),
      signature,
      value: opaque,
      typeAt: fc.nat(),
    })
    .map(({ kind, extra, signature, value, typeAt }) => {
      const field = kind.endsWith("_call") ? "arguments" : "result";
      const idMember = kind.endsWith("_call") ? `"id":"${id}"` : `"call_id":"${id}"`;
      return {
        unary: `{"type":"${kind}",${idMember}${extra},"signature":${signature},"${field}":${value}}`,
        start: `{"type":"${kind}",${idMember}${extra}}`,
        deltas: [withType(kind, [`"signature":${signature}`, `"${field}":${value}`], typeAt)],
      };
    });

/** A step type this relay has never heard of, sent whole in step.start. */
const unknownStep: fc.Arbitrary<Omit<GeneratedStep, "call">> = fc
  .record({ extra: extras(EXTRA_NAMES), body: opaqueObject() })
  .map(({ extra, body }) => {
    const unary = `{"type":"hologram_trace"${extra},"frames":${body}}`;
    return { unary, start: unary, deltas: [] };
  });

const step = (i: number): fc.Arbitrary<GeneratedStep> =>
  fc.oneof(modelOutput, thought, functionCall(`c${i}`), serverTool(`s${i}`), unknownStep) as fc.Arbitrary<GeneratedStep>;

const USAGE = '{"total_tokens": 12345678901234567890, "ratio": 1.10}';

/** An SSE body: each data line framed as Gemini frames it (data with line breaks on several `data:` lines). */
function sse(datas: readonly string[]): string {
  const frames = datas.map((data) => {
    const type = (JSON.parse(data) as { event_type: string }).event_type;
    return `event: ${type}\n${data
      .split("\n")
      .map((line) => `data: ${line}`)
      .join("\n")}\n\n`;
  });
  return `${frames.join("")}event: done\ndata: [DONE]\n\n`;
}

/** Each step's events, in order (step.start, deltas, step.stop as its mode says). */
function stepEvents(step: GeneratedStep, index: number, mode: StepMode): string[] {
  if (mode === "absent") return [];
  const events = [
    `{"index":${index},"step":${step.start},"event_type":"step.start"}`,
    ...step.deltas.map((delta) => `{"index":${index},"delta":${delta},"event_type":"step.delta"}`),
  ];
  if (mode === "streamed") events.push(`{"index":${index},"event_type":"step.stop"}`);
  return events;
}

/** Merges per-step event queues, each kept in order, the picks choosing which queue goes next. */
function interleaved(queues: string[][], picks: readonly number[]): string[] {
  const out: string[] = [];
  let p = 0;
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return out;
    out.push(open[(picks[p++] ?? 0) % open.length]!.shift()!);
  }
}

export const interaction: fc.Arbitrary<GeneratedInteraction> = fc
  .integer({ min: 1, max: 5 })
  .chain((n) =>
    fc.record({
      steps: fc.tuple(...Array.from({ length: n }, (_, i) => step(i))),
      modes: fc.array(
        fc.oneof({ arbitrary: fc.constant<StepMode>("streamed"), weight: 6 }, fc.constantFrom<StepMode>("unstopped", "absent")),
        { minLength: n, maxLength: n },
      ),
      extraCarried: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.nat({ max: n })),
      interleave: fc.array(fc.nat(), { maxLength: 40 }),
    }),
  )
  .map(({ steps, modes, extraCarried, interleave }) => {
    const needed = modes.reduce((most, mode, i) => (mode === "streamed" ? most : i + 1), 0);
    const carried = Math.min(steps.length, Math.max(needed, extraCarried));
    const status = steps.some((s) => s.call) ? "requires_action" : "completed";
    const unarySteps = steps.map((s) => s.unary);
    const completedSteps = carried > 0 ? `,"steps":[${unarySteps.slice(0, carried).join(",")}]` : "";
    const events = [
      '{"interaction":{"id":"v1_x","status":"in_progress","object":"interaction","model":"m"},"event_type":"interaction.created"}',
      '{"interaction_id":"v1_x","status":"in_progress","event_type":"interaction.status_update"}',
      ...interleaved(
        steps.map((s, i) => stepEvents(s, i, modes[i]!)),
        interleave,
      ),
      `{"interaction":{"id":"v1_x","status":"${status}","usage":${USAGE}${completedSteps},"object":"interaction"},"event_type":"interaction.completed"}`,
    ];
    return {
      steps,
      modes,
      carried,
      interleave,
      status,
      unaryBody: `{"id":"v1_x","object":"interaction","status":"${status}","steps":[${unarySteps.join(",")}],"usage":${USAGE}}`,
      sseBody: sse(events),
    };
  });

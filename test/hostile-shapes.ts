// Hostile request bodies for the checks the relay runs before any upstream call (schema, tools,
// integrity): each grows one thing a caller controls (tools, names, ids, calls, answers, user turns)
// and the relay's answer must stay small and quick whatever the size. Shared by the workerd test
// (test/routes/turns-bounded.test.ts) and the Node one (test/node/bounded.test.ts).
import fc from "fast-check";
import { expect } from "vitest";
import type { ProblemDetails } from "../src/errors";

export const MODEL = "gemini-3.5-flash";

/** What every refusal must stay under, whatever the body (the crash body's 422 on main was 100 MB). */
export const MAX_PROBLEM_BYTES = 64 * 1024;

const text = (t: string) => ({ type: "user_input", content: [{ type: "text", text: t }] });
const call = (id: string, name: string) => ({ type: "function_call", id, name, arguments: {} });
const result = (callId: string, name: string) => ({ type: "function_result", call_id: callId, name, result: "ok" });
/** A distinct string of exactly `length` characters. */
const long = (prefix: string, i: number, length: number) => `${prefix}${i}_`.padEnd(length, "x");

export const tools = (count: number, nameLength: number) =>
  Array.from({ length: count }, (_, i) => ({ type: "function", name: long("tool", i, nameLength) }));

/** The crash body: 1,000 tools with 1,000-character names and 9,999 calls to none of them. */
export function crashBody(toolCount = 1_000, nameLength = 1_000, calls = 9_999) {
  const history = [text("go"), ...Array.from({ length: calls }, (_, i) => call(`c${i}`, `undeclared_${i}`))];
  return { model: MODEL, tools: tools(toolCount, nameLength), history, input: "and now?" };
}

/** The sizes of each hostile part of one body; any of them may be large. */
export interface Shape {
  /** Declared tools (their names at Gemini's longest). */
  tools: number;
  /** Calls to tools the request does not declare, each with a long name (model-authored: warnings). */
  undeclared: number;
  /** Calls left unanswered before the final user turn. */
  unanswered: number;
  /** User turns, each after a call it leaves unanswered. */
  userTurns: number;
  /** Results for ids no call has. */
  unknownResults: number;
  /** Extra answers to one call. */
  duplicates: number;
  /** Answered calls followed by as many user turns (quadratic for a check that rescans earlier calls per user turn). */
  rescans: number;
  /** Length of every id and name the relay may quote. */
  idLength: number;
}

/** About this many characters of ids and names per body at most, so a run stays a few MB. */
const ID_BUDGET = 2_000_000;

export const shapes: fc.Arbitrary<Shape> = fc
  .record({
    tools: fc.integer({ min: 0, max: 512 }),
    undeclared: fc.integer({ min: 0, max: 2_000 }),
    unanswered: fc.integer({ min: 0, max: 2_000 }),
    userTurns: fc.integer({ min: 0, max: 1_000 }),
    unknownResults: fc.integer({ min: 1, max: 2_000 }),
    duplicates: fc.integer({ min: 0, max: 1_000 }),
    rescans: fc.integer({ min: 0, max: 2_000 }),
    idLength: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 2_000 })),
  })
  .map((shape) => {
    // Long ids come with fewer of them: the body's ids and names stay within the budget.
    const scale = Math.min(
      1,
      ID_BUDGET / (shape.idLength * (4 * shape.undeclared + shape.userTurns + shape.unanswered + shape.unknownResults)),
    );
    const scaled = (n: number) => Math.floor(n * scale);
    return {
      ...shape,
      undeclared: scaled(shape.undeclared),
      userTurns: scaled(shape.userTurns),
      unanswered: scaled(shape.unanswered),
      unknownResults: Math.max(1, scaled(shape.unknownResults)),
    };
  });

/** A body that mixes every shape; it always carries at least one caller error, so the relay answers 422. */
export function hostileBody(shape: Shape) {
  const id = (kind: string, i: number) => long(kind, i, shape.idLength);
  const history: unknown[] = [text("go")];
  for (let i = 0; i < shape.rescans; i++) history.push(call(`r${i}`, "tool0"), result(`r${i}`, "tool0"));
  for (let i = 0; i < shape.rescans; i++) history.push(text("again"));
  for (let i = 0; i < shape.undeclared; i++) history.push(call(id("u", i), id("undeclared", i)), result(id("u", i), id("undeclared", i)));
  for (let i = 0; i < shape.userTurns; i++) history.push(call(id("t", i), "tool0"), text("never mind"));
  if (shape.duplicates > 0) history.push(call("dup", "tool0"));
  for (let i = 0; i <= shape.duplicates; i++) history.push(result("dup", "tool0"));
  for (let i = 0; i < shape.unanswered; i++) history.push(call(id("p", i), "tool0"));
  const input = [
    ...Array.from({ length: shape.unknownResults }, (_, i) => result(id("nobody", i), "tool0")),
    ...(shape.unanswered > 0 ? [text("and now?")] : []),
  ];
  return { model: MODEL, tools: tools(Math.max(shape.tools, 1), 128), history, input };
}

/** Tool declarations past Gemini's limits (too many, names too long), or not tools at all (`{}`). */
export const toolShapes = fc.record({
  count: fc.integer({ min: 1, max: 5_000 }),
  nameLength: fc.integer({ min: 1, max: 3_000 }),
  malformed: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300_000 })),
});

/** A body declaring `count` function tools with names of `nameLength`, then `malformed` empty objects. */
export const toolsBody = ({ count, nameLength, malformed }: { count: number; nameLength: number; malformed: number }) => ({
  model: MODEL,
  tools: [...tools(count, nameLength), ...Array.from({ length: malformed }, () => ({}))],
  input: "hi",
});

/** Asserts a refusal is a problem document of bounded size, listing a bounded number of items. */
export function expectBounded(status: number, text: string, expected: number): ProblemDetails {
  expect(status, text.slice(0, 500)).toBe(expected);
  expect(text.length).toBeLessThan(MAX_PROBLEM_BYTES);
  const problem = JSON.parse(text) as ProblemDetails;
  expect(problem.detail.length).toBeLessThan(2_048);
  expect(problem.errors?.length ?? 0).toBeLessThanOrEqual(21);
  for (const item of problem.errors ?? []) expect(item.message.length).toBeLessThan(2_048);
  return problem;
}

/**
 * Bodies that put `n` invalid elements wherever the relay checks a list element by element (issue
 * 25: zod wrote one issue per element before anything capped them, so 600 KB of `[1, 1, …]` got a
 * 29.6 MB 400), and the other lists a refusal names one item per element of (unknown fields, stored
 * resources). Each is refused with a 400 of at most MAX_LISTED + 1 items. Content lists count as
 * steps: run them with MAX_STEPS ≥ n.
 */
export function invalidLists(n: number): { name: string; body: Record<string, unknown> }[] {
  const ones = Array.from({ length: n }, () => 1);
  const keyed = (prefix: string) => Object.fromEntries(ones.map((one, i) => [`${prefix}${i}`, one]));
  const base = { model: MODEL, input: "hi" };
  const call = { type: "function_call", id: "c", name: "f", arguments: {} };
  return [
    { name: "unknown top-level fields", body: { ...base, ...keyed("unknown_") } },
    { name: "response_modalities", body: { ...base, response_modalities: ones } },
    { name: "safety_settings", body: { ...base, safety_settings: ones } },
    { name: "response_format", body: { ...base, response_format: ones } },
    { name: "labels", body: { ...base, labels: keyed("label_") } },
    { name: "content blocks", body: { ...base, input: ones.map(() => ({ type: "text", text: 1 })) } },
    { name: "steps", body: { ...base, input: ones.map(() => ({ type: "function_result" })) } },
    { name: "a step's content", body: { ...base, input: [{ type: "user_input", content: ones }] } },
    { name: "a text block's annotations", body: { ...base, input: [{ type: "text", text: "hi", annotations: ones }] } },
    {
      name: "a function result's content blocks",
      body: {
        ...base,
        history: [text("go"), call],
        input: [{ type: "function_result", call_id: "c", result: ones.map(() => ({ type: "text" })) }],
      },
    },
    { name: "stored resources", body: { ...base, input: ones.map(() => ({ type: "image", uri: "files/abc" })) } },
    { name: "a long unknown field", body: { ...base, ["x".repeat(n * 8)]: 1 } },
    { name: "a label with a long key", body: { ...base, labels: { ["k".repeat(n * 8)]: 1 } } },
  ];
}

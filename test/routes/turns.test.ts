import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { integrityFindings } from "../../src/turn/integrity";
import type { StepValue } from "../../src/schemas";
import { geminiUpstream } from "../../src/upstream/gemini";
import { problemOf, relayWithEmulator, TEST_KEY } from "../helpers";

const MODEL = "gemini-3.5-flash";
const orderTool = {
  type: "function",
  name: "get_order_status",
  description: "Look up the shipping status of an order",
  parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
};

describe("POST /v1/turns: the seed scenario (support agent with get_order_status)", () => {
  it("runs three turns from client-held history, signatures intact", async () => {
    const relay = relayWithEmulator();
    const system_instruction = "You are a support agent.";

    const t1 = await relay.ok({ model: MODEL, system_instruction, tools: [orderTool], input: "Where is my order A-4417?" });
    expect(t1.status).toBe("requires_action");
    const call = t1.steps.find((s) => s.type === "function_call")!;
    expect(call).toMatchObject({ name: "get_order_status", arguments: { order_id: "A-4417" } });
    expect(t1.steps.find((s) => s.type === "thought")?.signature).toEqual(expect.any(String));
    expect(t1.history).toEqual([{ type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] }, ...t1.steps]);
    expect(t1.output_text).toBeUndefined();

    const result = { type: "function_result", call_id: call.id, name: "get_order_status", result: "shipped" };
    const t2 = await relay.ok({ model: MODEL, system_instruction, tools: [orderTool], history: t1.history, input: [result] });
    expect(t2.status).toBe("completed");
    expect(t2.steps.at(-1)?.type).toBe("model_output");
    expect(t2.output_text).toMatch(/shipped/);
    expect(t2.history).toEqual([...t1.history, result, ...t2.steps]);

    const t3 = await relay.ok({ model: MODEL, system_instruction, tools: [orderTool], history: t2.history, input: "When will it arrive?" });
    expect(t3.status).toBe("completed");
    // The emulator verifies every thought signature it issued and says so.
    expect(t3.output_text).toMatch(/history intact/);
    expect(t3.output_text).toMatch(/signatures? verified/);

    // What the emulator received each turn is exactly the history the caller held, plus the new input.
    const creates = relay.creates();
    expect(creates).toHaveLength(3);
    expect(creates[1]!.input).toEqual([...t1.history, result]);
    expect(creates[2]!.input).toEqual([...t2.history, t3.history.at(-2)]);
    for (const body of creates) {
      expect(body.store).toBe(false);
      expect(body.tools).toEqual([orderTool]);
      expect(body.system_instruction).toBe(system_instruction);
    }
  });

  it("fails where Gemini would when a signature was altered on the way back", async () => {
    const relay = relayWithEmulator();
    const t1 = await relay.ok({ model: MODEL, tools: [orderTool], input: "Where is my order A-4417?" });
    const call = t1.steps.find((s) => s.type === "function_call")!;
    const tampered = t1.history.map((s) => (s.type === "thought" ? { ...s, signature: "AAAA" + String(s.signature).slice(4) } : s));
    const res = await relay.turn({
      model: MODEL,
      tools: [orderTool],
      history: tampered,
      input: [{ type: "function_result", call_id: call.id, name: call.name, result: "shipped" }],
    });
    expect(res.status).toBe(400);
    const problem = await problemOf(res);
    expect(problem.code).toBe("upstream_rejected");
  });
});

describe("POST /v1/turns: exactness", () => {
  // JSON values including the keys that trip up naive object handling.
  const oddKey = fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "ключ", "🔑", "", "a.b", "$ref");
  const key = fc.oneof(oddKey, fc.string({ maxLength: 6 }));
  const leaf = fc.oneof(
    fc.string({ maxLength: 10 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
  );
  const json = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.array(tie("value"), { maxLength: 3 }),
      fc.dictionary(key, tie("value"), { maxKeys: 3 }),
    ),
  })).value;
  const extras = fc.dictionary(
    key.filter((k) => !["type", "content", "id", "name", "arguments", "call_id", "result", "signature", "summary", "text"].includes(k)),
    json,
    { maxKeys: 3 },
  );
  const text = fc.record({ type: fc.constant("text"), text: fc.string({ maxLength: 20 }) });
  const withExtras = <T extends object>(base: fc.Arbitrary<T>) =>
    fc.tuple(base, extras).map(([b, e]) => JSON.parse(JSON.stringify({ ...e, ...b })) as T);
  const single = fc.oneof(
    withExtras(fc.record({ type: fc.constant("user_input"), content: fc.array(withExtras(text), { maxLength: 2 }) })),
    withExtras(fc.record({ type: fc.constant("model_output"), content: fc.array(withExtras(text), { maxLength: 2 }) })),
    withExtras(fc.record({ type: fc.constant("thought"), signature: fc.base64String({ maxLength: 40 }) })),
  );
  // A function call and its answer, with unknown fields and odd keys on both.
  const callPair = fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.dictionary(key, json, { maxKeys: 3 }),
      fc.oneof(fc.string(), fc.dictionary(key, json, { maxKeys: 3 })),
      extras,
      extras,
    )
    .map(([id, args, result, e1, e2]) =>
      JSON.parse(
        JSON.stringify([
          { ...e1, type: "function_call", id, name: "f", arguments: args },
          { ...e2, type: "function_result", call_id: id, name: "f", result },
        ]),
      ),
    );
  const steps = (max: number) =>
    fc
      .array(
        fc.oneof(
          single.map((s) => [s]),
          callPair,
        ),
        { maxLength: max },
      )
      .map((groups) => groups.flat());
  const step = single;

  // Histories the integrity checks accept (those have their own tests): calls answered, signed, declared.
  const tools = [{ type: "function", name: "f" }];
  const consistent = (steps: { type: string }[]) =>
    integrityFindings([...(steps as StepValue[]), { type: "user_input", content: [{ type: "text", text: "next" }] }], String).length ===
      0 &&
    // The emulator verifies signatures it issued on thoughts before calls, as Gemini 3 does.
    !steps.some((s, i) => s.type === "thought" && steps[i + 1]?.type === "function_call");

  // JSON.parse builds objects with an own "__proto__" key, as a caller's body would have them.
  const asWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

  it("returns prior history deep-equal to what was sent and new steps deep-equal to what the upstream sent", async () => {
    const relay = relayWithEmulator();
    await fc.assert(
      fc.asyncProperty(steps(6).filter(consistent), fc.array(step, { minLength: 1, maxLength: 4 }), async (history, reply) => {
        relay.emulator.reset();
        // Scripted replies are answered exactly; the relay must hand them back exactly.
        const scripted = reply.filter((s) => s.type !== "user_input");
        relay.emulator.script("exact", { steps: asWire(scripted), status: "completed" });
        const sentHistory = asWire(history);
        const raw = JSON.stringify({ model: "exact", tools, history: sentHistory, input: "next" });
        const res = await relay.turn(raw);
        expect(res.status).toBe(200);
        const body = JSON.parse(await res.text());
        const newInput = { type: "user_input", content: [{ type: "text", text: "next" }] };
        // Compared as JSON text: deep-equal and in the same key order (an own `constructor` key defeats toStrictEqual).
        expect(JSON.stringify(body.history)).toBe(JSON.stringify([...sentHistory, newInput, ...scripted]));
        expect(JSON.stringify(body.steps)).toBe(JSON.stringify(scripted));
        expect(JSON.stringify(relay.creates()[0]!.input)).toBe(JSON.stringify([...sentHistory, newInput]));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps __proto__ and constructor keys as data, at any depth", async () => {
    const relay = relayWithEmulator();
    const reply =
      '[{"type":"thought","signature":"s","__proto__":{"polluted":true}},{"type":"model_output","content":[{"type":"text","text":"ok","constructor":{"prototype":1}}]}]';
    relay.emulator.script("odd", { steps: JSON.parse(reply) });
    const history =
      '[{"type":"user_input","content":[{"type":"text","text":"hi","__proto__":[1,2]}],"__proto__":{"x":"y"}},{"type":"model_output","constructor":"c"}]';
    const res = await relay.turn(`{"model":"odd","history":${history},"input":"again"}`);
    const text = await res.text();
    expect(text).toContain('"__proto__":{"x":"y"}');
    expect(text).toContain('"__proto__":[1,2]');
    expect(text).toContain('"__proto__":{"polluted":true}');
    expect(text).toContain('"constructor":{"prototype":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("does not append an echoed user_input twice", async () => {
    const relay = relayWithEmulator();
    const echo = { type: "user_input", content: [{ type: "text", text: "hi" }] };
    const answer = { type: "model_output", content: [{ type: "text", text: "hello" }] };
    relay.emulator.script("echoing", { steps: [echo, answer] });
    const body = await relay.ok({ model: "echoing", input: "hi" });
    expect(body.steps).toEqual([answer]);
    expect(body.history).toEqual([echo, answer]);
  });

  it("returns status and usage as received, and output_text like the SDK", async () => {
    const relay = relayWithEmulator();
    const usage = { total_input_tokens: 7, total_output_tokens: 2, total_tokens: 9, future_counter: { nested: 1 } };
    relay.emulator.script("u", {
      steps: [
        {
          type: "model_output",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
      status: "incomplete",
      usage,
    });
    const body = await relay.ok({ model: "u", input: "x" });
    expect(body.status).toBe("incomplete");
    expect(body.usage).toEqual(usage);
    expect(body.output_text).toBe("ab");
  });
});

describe("POST /v1/turns: what goes upstream", () => {
  it("always sends store: false and forwards the interaction-scoped fields exactly", async () => {
    const relay = relayWithEmulator();
    const fields = {
      system_instruction: "Be brief.",
      tools: [orderTool, { type: "code_execution" }],
      generation_config: { thinking_level: "low", max_output_tokens: 256, future_knob: [1, { a: 2 }] },
      response_format: { type: "text", mime_type: "application/json", schema: { type: "object" } },
      safety_settings: [{ category: "HARM_CATEGORY_HATE_SPEECH", threshold: "BLOCK_NONE" }],
    };
    await relay.ok({ model: MODEL, input: "hello", store: false, ...fields });
    const [body] = relay.creates();
    expect(body).toEqual({
      model: MODEL,
      input: [{ type: "user_input", content: [{ type: "text", text: "hello" }] }],
      store: false,
      ...fields,
    });
  });

  it("sends the key in x-goog-api-key and uses the default v1beta path", async () => {
    const relay = relayWithEmulator();
    await relay.ok({ model: MODEL, input: "hi" });
    const [request] = relay.emulator.requests;
    expect(request!.path).toBe("/v1beta/interactions");
    expect(request!.headers["x-goog-api-key"]).toBe(TEST_KEY);
  });

  it("pins the API version from GEMINI_API_VERSION", async () => {
    const relay = relayWithEmulator({ GEMINI_API_VERSION: "v1" });
    await relay.ok({ model: MODEL, input: "hi" });
    expect(relay.emulator.requests[0]!.path).toBe("/v1/interactions");
  });

  it("runs continuation hops itself: same input plus the token, steps concatenated, usage summed", async () => {
    const relay = relayWithEmulator();
    const first = { type: "model_output", content: [{ type: "text", text: "part one, " }] };
    const second = { type: "model_output", content: [{ type: "text", text: "part two" }] };
    relay.emulator.script(
      "long",
      { steps: [first], status: "requires_continuation", usage: { total_input_tokens: 10, total_output_tokens: 5, total_tokens: 15 } },
      { steps: [second], usage: { total_input_tokens: 10, total_output_tokens: 3, total_tokens: 13 } },
    );
    const body = await relay.ok({ model: "long", input: "write a lot" });
    expect(body.steps).toEqual([first, second]);
    expect(body.status).toBe("completed");
    expect(body.usage).toEqual({ total_input_tokens: 20, total_output_tokens: 8, total_tokens: 28 });
    const [hop1, hop2] = relay.creates();
    expect(hop2!.input).toEqual(hop1!.input);
    expect(hop2!.continuation_token).toEqual(expect.any(String));
    expect(hop2!.store).toBe(false);
  });
});

describe("POST /v1/turns: upstream failures", () => {
  const fail = async (error: { status: number; message?: string; retryAfterSeconds?: number; retryAfterMs?: number }, bindings = {}) => {
    const relay = relayWithEmulator(bindings);
    relay.emulator.script("f", { error });
    const res = await relay.turn({ model: "f", input: "x" });
    return { res, relay };
  };

  it("passes 400-class errors through with the upstream's status and message", async () => {
    const { res } = await fail({ status: 400, message: "Thinking level minimal is not supported." });
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p.code).toBe("upstream_rejected");
    expect(p.detail).toBe("Thinking level minimal is not supported.");
    const notFound = await fail({ status: 404, message: "Model 'gemini-9' not found." });
    expect(notFound.res.status).toBe(404);
  });

  it("answers 429 with Retry-After from the upstream, in whole seconds", async () => {
    const a = await fail({ status: 429, retryAfterSeconds: 7 });
    expect(a.res.status).toBe(429);
    expect(a.res.headers.get("retry-after")).toBe("7");
    expect((await problemOf(a.res)).code).toBe("upstream_rate_limited");
    const b = await fail({ status: 429, retryAfterMs: 1500 });
    expect(b.res.headers.get("retry-after")).toBe("2");
    const c = await fail({ status: 429 });
    expect(c.res.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("maps 5xx to 502 after exactly one upstream call", async () => {
    for (const status of [500, 503]) {
      const { res, relay } = await fail({ status, message: "backend error" });
      expect(res.status).toBe(502);
      expect((await problemOf(res)).code).toBe("upstream_unavailable");
      expect(relay.creates()).toHaveLength(1);
    }
  });

  it("maps a refused relay key to 502, not to the caller's 401", async () => {
    const { res } = await fail({ status: 401, message: "API key not valid." });
    expect(res.status).toBe(502);
    expect((await problemOf(res)).code).toBe("upstream_auth_failed");
  });

  it("answers 504 when the upstream is slower than UPSTREAM_TIMEOUT_MS, and aborts the upstream call", async () => {
    const relay = relayWithEmulator({ UPSTREAM_TIMEOUT_MS: "50" });
    relay.emulator.script("slow", { steps: [{ type: "model_output", content: [] }], delayMs: 5_000 });
    const res = await relay.turn({ model: "slow", input: "x" });
    expect(res.status).toBe(504);
    expect((await problemOf(res)).code).toBe("upstream_timeout");
    await expect.poll(() => relay.emulator.requests[0]?.aborted).toBe(true);
  });

  it("answers 502 when the upstream cannot be reached", async () => {
    const app = createApp({
      makeUpstream: (config) => geminiUpstream(config, { fetch: () => Promise.reject(new TypeError("fetch failed")) }),
    });
    const res = await app.request(
      "/v1/turns",
      { method: "POST", body: JSON.stringify({ model: MODEL, input: "x" }), headers: { "content-type": "application/json" } },
      { GEMINI_API_KEY: TEST_KEY, AUTH_MODE: "none" },
    );
    expect(res.status).toBe(502);
    expect((await problemOf(res)).code).toBe("upstream_unavailable");
  });

  it("never puts the API key in a response, even when the upstream echoes it", async () => {
    const { res } = await fail({ status: 400, message: `API key ${TEST_KEY} is not valid for this model` });
    const text = await res.text();
    expect(text).not.toContain(TEST_KEY);
    expect(text).toContain("[redacted]");
  });
});

describe("POST /v1/turns: configuration and routing", () => {
  it("answers a clear configuration error when the key is missing", async () => {
    const relay = relayWithEmulator({ GEMINI_API_KEY: undefined });
    const res = await relay.turn({ model: MODEL, input: "x" });
    expect(res.status).toBe(500);
    const p = await problemOf(res);
    expect(p.code).toBe("configuration_error");
    expect(p.detail).toMatch(/GEMINI_API_KEY/);
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("validates before calling the upstream", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn({ model: MODEL, input: "x", store: true });
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe("retention_refused");
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("answers invalid JSON with 400", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn("{not json");
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe("invalid_json");
  });

  it("answers 404 for unknown routes and 405 for the wrong method, in the same shape", async () => {
    const relay = relayWithEmulator();
    const missing = await relay.app.request("/v2/nothing", {}, relay.env);
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).code).toBe("not_found");
    const wrong = await relay.app.request("/v1/turns", { method: "GET" }, relay.env);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await problemOf(wrong)).code).toBe("method_not_allowed");
  });

  it("serves /healthz without a key or an upstream call", async () => {
    const relay = relayWithEmulator({ GEMINI_API_KEY: undefined });
    const res = await relay.app.request("/healthz", {}, relay.env);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("answers /healthz with the configuration error of a relay that could serve no turn (a monitor sees the broken deploy)", async () => {
    for (const bindings of [{ AUTH_MODE: "bogus" }, { AUTH_MODE: "tokens", RELAY_TOKENS: "short" }]) {
      const relay = relayWithEmulator(bindings);
      const res = await relay.app.request("/healthz", {}, relay.env);
      expect(res.status).toBe(500);
      expect((await problemOf(res)).code).toBe("configuration_error");
    }
  });
});

// The HTTP surface of the emulator: routes, auth, request checks, response shape, scripts, latency and control routes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BASE, create, createEmulator, harness, json, MODEL, send, userInput, type Json } from "./helpers.js";

/** What the SDK's error classes carry (they are not exported, so tests read the fields). */
interface SdkError {
  name: string;
  status: number;
  message: string;
  headers?: Headers;
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error("expected the SDK call to throw");
}

describe("create (non-stream)", () => {
  it("answers 200 with Google's JSON content type and the Interaction shape", async () => {
    const { emulator } = harness();
    const response = await create(emulator, { model: MODEL, input: "hello", store: false });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await response.json()) as Json;
    expect(Object.keys(body)).toEqual(["id", "object", "status", "model", "created", "updated", "service_tier", "steps", "usage"]);
    expect(body).toMatchObject({ object: "interaction", status: "completed", model: MODEL, service_tier: "standard" });
    expect(body.id).toMatch(/^v1_[A-Za-z0-9_-]+$/);
    expect(body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.steps).toEqual([{ type: "model_output", content: [{ type: "text", text: "You said: hello" }] }]);
    const usage = body.usage as Record<string, unknown>;
    expect(usage).toMatchObject({ total_cached_tokens: 0, total_thought_tokens: 0, total_tool_use_tokens: 0 });
    expect(usage.input_tokens_by_modality).toEqual([{ modality: "text", tokens: usage.total_input_tokens }]);
    expect(usage.total_tokens).toBe(
      Number(usage.total_input_tokens) +
        Number(usage.total_output_tokens) +
        Number(usage.total_thought_tokens) +
        Number(usage.total_tool_use_tokens),
    );
  });

  it("never echoes the user_input steps of the input", async () => {
    const { emulator } = harness();
    const response = await create(emulator, { model: MODEL, input: [userInput("first")], store: false });
    const body = (await response.json()) as { steps: Json[] };
    expect(body.steps.map((step) => step.type)).toEqual(["model_output"]);
  });

  it("is read by the SDK, which computes output_text (default v1beta)", async () => {
    const { emulator, client } = harness();
    const interaction = await client.interactions.create({ model: MODEL, input: "ping", store: false }, { maxRetries: 0 });
    expect(interaction.output_text).toBe("You said: ping");
    expect(interaction.status).toBe("completed");
    expect(emulator.requests[0]).toMatchObject({ method: "POST", path: "/v1beta/interactions", status: 200, aborted: false });
    expect(emulator.requests[0]?.headers["x-goog-api-key"]).toBe("k");
    expect(emulator.requests[0]?.body).toEqual({ model: MODEL, input: "ping", store: false });
  });

  it("serves the v1 version segment the 3.x SDKs use", async () => {
    const { emulator, client } = harness({}, "v1");
    const interaction = await client.interactions.create({ model: MODEL, input: "ping", store: false }, { maxRetries: 0 });
    expect(interaction.output_text).toBe("You said: ping");
    expect(emulator.requests[0]?.path).toBe("/v1/interactions");
  });

  it("serves v1alpha and any path prefix", async () => {
    const emulator = createEmulator();
    for (const path of ["/v1alpha/interactions", "/proxy/prefix/v1beta/interactions", "/v1/interactions/"]) {
      const response = await send(emulator, "POST", path, { model: MODEL, input: "x" });
      expect(response.status, path).toBe(200);
    }
  });

  it("accepts a string, one content block, a content list and a step list as input", async () => {
    const emulator = createEmulator();
    const inputs = [
      "a",
      { type: "text", text: "a" },
      [
        { type: "text", text: "a" },
        { type: "image", data: "iVBORw0KGgo=", mime_type: "image/png" },
      ],
      [userInput("a")],
    ];
    for (const input of inputs) {
      const body = (await (await create(emulator, { model: MODEL, input })).json()) as { steps: Json[] };
      expect(body.steps, JSON.stringify(input)).toEqual([{ type: "model_output", content: [{ type: "text", text: "You said: a" }] }]);
    }
  });
});

describe("auth", () => {
  it("answers 401 authentication without a key, and the SDK sees AuthenticationError", async () => {
    const emulator = createEmulator();
    const response = await create(emulator, { model: MODEL, input: "x" }, {});
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await response.json()) as { error: Json };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error.code).toBe("authentication");
    expect(typeof body.error.message).toBe("string");
    expect(emulator.requests[0]?.status).toBe(401);
  });

  it("accepts Authorization: Bearer", async () => {
    const emulator = createEmulator();
    expect((await create(emulator, { model: MODEL, input: "x" }, { authorization: "Bearer tok" })).status).toBe(200);
  });

  it("checks the key against EMULATOR_API_KEY when one is configured", async () => {
    const { emulator, client } = harness({ apiKey: "secret" });
    const error = await sdkError(client.interactions.create({ model: MODEL, input: "x" }, { maxRetries: 0 }));
    expect(error.status).toBe(401);
    expect(error.name).toBe("AuthenticationError");
    expect((await create(emulator, { model: MODEL, input: "x" }, { "x-goog-api-key": "secret" })).status).toBe(200);
  });
});

describe("request checks", () => {
  async function errorOf(body: unknown): Promise<{ status: number; code: string; message: string }> {
    const response = await create(createEmulator(), body);
    const payload = (await response.json()) as { error: { code: string; message: string } };
    return { status: response.status, ...payload.error };
  }

  it("rejects unknown top-level fields with parameter_unknown", async () => {
    const error = await errorOf({ model: MODEL, input: "x", temperature: 1 });
    expect(error).toMatchObject({ status: 400, code: "parameter_unknown" });
    expect(error.message).toContain('"temperature"');
  });

  it("rejects bodies that are not JSON objects, and a missing model", async () => {
    expect(await errorOf("{not json")).toMatchObject({ status: 400, code: "invalid_request" });
    expect(await errorOf([1, 2])).toMatchObject({ status: 400, code: "invalid_request" });
    const noModel = await errorOf({ input: "x" });
    expect(noModel).toMatchObject({ status: 400, code: "invalid_request" });
    expect(noModel.message).toContain("model");
  });

  it("enforces the store rules", async () => {
    const previous = await errorOf({ model: MODEL, input: "x", store: false, previous_interaction_id: "v1_a" });
    expect(previous).toMatchObject({ status: 400, code: "invalid_request" });
    expect(previous.message).toContain("previous_interaction_id");
    const background = await errorOf({ model: MODEL, input: "x", store: false, background: true });
    expect(background).toMatchObject({ status: 400, code: "invalid_request" });
    expect(background.message).toContain("background");
    expect(await errorOf({ model: MODEL, input: "x", previous_interaction_id: "v1_a" })).toMatchObject({ status: 404, code: "not_found" });
  });

  it("rejects steps of unknown type and function results without a name", async () => {
    const unknown = await errorOf({ model: MODEL, input: [userInput("x"), { type: "assistant", text: "y" }] });
    expect(unknown).toMatchObject({ status: 400, code: "invalid_request" });
    expect(unknown.message).toContain("input[1].type");
    const nameless = await errorOf({
      model: MODEL,
      input: [
        userInput("x"),
        { type: "function_call", id: "a1", name: "f", arguments: {} },
        { type: "function_result", call_id: "a1", result: "r" },
      ],
    });
    expect(nameless).toMatchObject({ status: 400, code: "invalid_request" });
    expect(nameless.message).toMatch(/^Invalid input received/);
  });

  it("rejects unsupported tool types like the API does", async () => {
    const error = await errorOf({ model: MODEL, input: "x", tools: [{ type: "invalid_tool_type_xyz" }] });
    expect(error).toMatchObject({ status: 400, code: "invalid_request" });
    expect(error.message).toContain("tools[0]");
  });

  it("surfaces as BadRequestError through the SDK", async () => {
    const { client } = harness();
    const error = await sdkError(
      client.interactions.create({ model: MODEL, input: "x", store: false, background: true }, { maxRetries: 0 }),
    );
    expect(error.name).toBe("BadRequestError");
    expect(error.status).toBe(400);
  });
});

describe("get, delete and cancel", () => {
  it("answer 404 not_found (nothing is stored) and the SDK throws NotFoundError", async () => {
    const { emulator, client } = harness();
    const created = await client.interactions.create({ model: MODEL, input: "x", store: false }, { maxRetries: 0 });
    const calls = [
      client.interactions.get(created.id, undefined, { maxRetries: 0 }),
      client.interactions.delete(created.id, undefined, { maxRetries: 0 }),
      client.interactions.cancel(created.id, undefined, { maxRetries: 0 }),
    ];
    for (const call of calls) {
      const error = await sdkError(call);
      expect(error.name).toBe("NotFoundError");
      expect(error.status).toBe(404);
      expect(error.message).toContain(created.id);
    }
    expect(emulator.requests.map((request) => [request.method, request.path.replace(created.id, "ID"), request.status])).toEqual([
      ["POST", "/v1beta/interactions", 200],
      ["GET", "/v1beta/interactions/ID?stream=false", 404],
      ["DELETE", "/v1beta/interactions/ID", 404],
      ["POST", "/v1beta/interactions/ID/cancel", 404],
    ]);
  });

  it("answer 405 for a wrong method and 404 for unknown paths, in Google's shape", async () => {
    const emulator = createEmulator();
    const wrong = await send(emulator, "PUT", "/v1beta/interactions");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(((await wrong.json()) as { error: Json }).error.code).toBe("method_not_allowed");
    const unknown = await send(emulator, "GET", "/v1beta/models");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(((await unknown.json()) as { error: Json }).error.code).toBe("not_found");
    expect(emulator.requests.map((request) => request.status)).toEqual([405, 404]);
  });
});

describe("scripted replies", () => {
  it("are consumed FIFO per model; the deterministic model answers when the queue is empty", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [{ type: "model_output", content: [{ type: "text", text: "one" }] }] }, { steps: [] });
    emulator.script("other-model", { steps: [{ type: "model_output", content: [{ type: "text", text: "other" }] }] });
    const texts: Array<string | undefined> = [];
    for (let turn = 0; turn < 3; turn += 1) {
      texts.push((await client.interactions.create({ model: MODEL, input: "hi", store: false }, { maxRetries: 0 })).output_text);
    }
    expect(texts).toEqual(["one", undefined, "You said: hi"]);
  });

  it("default their status from the steps and keep a given status and usage verbatim", async () => {
    const emulator = createEmulator();
    const usage = { total_tokens: 7, odd: [1] };
    emulator.script(
      MODEL,
      { steps: [{ type: "function_call", id: "c1", name: "f", arguments: {} }] },
      { steps: [], status: "failed", usage },
    );
    const first = (await (await create(emulator, { model: MODEL, input: "x" })).json()) as Json;
    expect(first.status).toBe("requires_action");
    const second = (await (await create(emulator, { model: MODEL, input: "x" })).json()) as Json;
    expect(second).toMatchObject({ status: "failed", usage, steps: [] });
  });

  it("return the steps exactly as given, odd keys and unicode included (property)", async () => {
    const { emulator, client } = harness();
    const oddKey = fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty", "ключ", "🔑", "", "a.b");
    const step = fc.record({
      type: fc.constantFrom("model_output", "thought", "function_call", "mystery"),
      payload: fc.dictionary(oddKey, json(3)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 4 }), async (generated) => {
        const steps = generated.map(({ type, payload }) => Object.fromEntries([["type", type], ...Object.entries(payload)]));
        emulator.script(MODEL, { steps, status: "completed" });
        const raw = await create(emulator, { model: MODEL, input: "x" });
        const text = await raw.text();
        expect(JSON.stringify((JSON.parse(text) as { steps: unknown }).steps)).toBe(JSON.stringify(steps));
        emulator.script(MODEL, { steps, status: "completed" });
        const viaSdk = await client.interactions.create({ model: MODEL, input: "x", store: false }, { maxRetries: 0 });
        expect(viaSdk.steps).toEqual(steps);
      }),
      { numRuns: 60 },
    );
  });

  it("are copied when scripted, so later edits by the test change nothing", async () => {
    const emulator = createEmulator();
    const steps = [{ type: "model_output", content: [{ type: "text", text: "before" }] }];
    emulator.script(MODEL, { steps });
    steps[0]!.content[0]!.text = "after";
    const body = (await (await create(emulator, { model: MODEL, input: "x" })).json()) as { steps: unknown };
    expect(body.steps).toEqual([{ type: "model_output", content: [{ type: "text", text: "before" }] }]);
  });

  it("are refused when malformed", () => {
    const emulator = createEmulator();
    expect(() => emulator.script(MODEL, { steps: "nope" } as never)).toThrow(/steps/);
    expect(() => emulator.script(MODEL, { error: { status: 200 } })).toThrow(/error.status/);
  });
});

describe("scripted errors", () => {
  it("use Google's error shape, the default code for the status and the retry headers", async () => {
    const emulator = createEmulator();
    emulator.script(
      MODEL,
      { error: { status: 429, retryAfterSeconds: 7, retryAfterMs: 1 } },
      { error: { status: 503, code: "custom_code", message: "Busy." } },
    );
    const limited = await create(emulator, { model: MODEL, input: "x" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("retry-after-ms")).toBe("1");
    expect(((await limited.json()) as { error: Json }).error.code).toBe("rate_limit_exceeded");
    const busy = await create(emulator, { model: MODEL, input: "x" });
    expect(busy.status).toBe(503);
    expect(busy.headers.has("retry-after")).toBe(false);
    expect(await busy.json()).toEqual({ error: { code: "custom_code", message: "Busy." } });
  });

  it("map to the SDK's typed errors with the retry hint visible", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { error: { status: 429, message: "Slow down.", retryAfterSeconds: 3 } }, { error: { status: 500 } });
    const limited = await sdkError(client.interactions.create({ model: MODEL, input: "x", store: false }, { maxRetries: 0 }));
    expect(limited.name).toBe("RateLimitError");
    expect(limited.message).toBe("429 Slow down.");
    expect(limited.headers?.get("retry-after")).toBe("3");
    const failed = await sdkError(client.interactions.create({ model: MODEL, input: "x", store: false }, { maxRetries: 0 }));
    expect(failed.name).toBe("InternalServerError");
  });

  it("are retried by the SDK like real ones, honouring retry-after-ms", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { error: { status: 503, retryAfterMs: 1 } }, { error: { status: 503, retryAfterMs: 1 } });
    const interaction = await client.interactions.create({ model: MODEL, input: "x", store: false });
    expect(interaction.output_text).toBe("You said: x");
    expect(emulator.requests.map((request) => request.status)).toEqual([503, 503, 200]);
  });
});

describe("magic prompt words", () => {
  it("trigger 429 and 503 with retry-after: 1, and 500", async () => {
    const emulator = createEmulator();
    for (const [word, status] of [
      ["[emulator:429]", 429],
      ["[emulator:503]", 503],
      ["[emulator:500]", 500],
    ] as const) {
      const response = await create(emulator, { model: MODEL, input: `please ${word}` });
      expect(response.status).toBe(status);
      expect(response.headers.get("retry-after")).toBe(status === 500 ? null : "1");
    }
  });

  it("slow down the answer and are not echoed", async () => {
    const emulator = createEmulator();
    const started = Date.now();
    const body = (await (await create(emulator, { model: MODEL, input: "hello [emulator:slow=60]" })).json()) as { steps: unknown };
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(body.steps).toEqual([{ type: "model_output", content: [{ type: "text", text: "You said: hello" }] }]);
  });
});

describe("latency and aborts", () => {
  it("delays by latencyMs plus the script's delayMs", async () => {
    const emulator = createEmulator({ latencyMs: 30 });
    emulator.script(MODEL, { steps: [], delayMs: 30 });
    const started = Date.now();
    expect((await create(emulator, { model: MODEL, input: "x" })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    const before404 = Date.now();
    expect((await send(emulator, "GET", "/v1beta/interactions/v1_x")).status).toBe(404);
    expect(Date.now() - before404).toBeGreaterThanOrEqual(25);
  });

  it("records a caller that aborts during the delay as aborted", async () => {
    const { emulator, client } = harness({ latencyMs: 5_000 });
    const controller = new AbortController();
    const call = client.interactions.create({ model: MODEL, input: "x", store: false }, { maxRetries: 0, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const error = await sdkError(call);
    expect(error.name).toBe("APIUserAbortError");
    expect(emulator.requests[0]).toMatchObject({ status: 499, aborted: true });
  });
});

describe("control routes", () => {
  it("script, list and reset over HTTP", async () => {
    const emulator = createEmulator();
    const control = (method: string, path: string, body?: string) =>
      emulator.fetch(new Request(`${BASE}/__emulator/${path}`, { method, ...(body === undefined ? {} : { body }) }));
    // Raw JSON: an object literal would turn `__proto__` into a prototype instead of a key.
    const scripted = await control(
      "POST",
      "script",
      `{"model":"${MODEL}","replies":[{"steps":[{"type":"model_output","content":[{"type":"text","text":"scripted"}],"__proto__":{"x":1}}]},{"error":{"status":429}}]}`,
    );
    expect(scripted.status).toBe(200);
    expect(await scripted.json()).toEqual({ model: MODEL, queued: 2 });

    const first = await create(emulator, { model: MODEL, input: "x" });
    expect(await first.text()).toContain('"__proto__":{"x":1}');
    expect((await create(emulator, { model: MODEL, input: "x" })).status).toBe(429);

    const log = (await (await control("GET", "requests")).json()) as Array<{ status: number; path: string; body: unknown }>;
    expect(log.map((entry) => [entry.path, entry.status])).toEqual([
      ["/v1beta/interactions", 200],
      ["/v1beta/interactions", 429],
    ]);
    expect(log[0]?.body).toEqual({ model: MODEL, input: "x" });

    expect((await control("POST", "reset")).status).toBe(200);
    expect(emulator.requests).toHaveLength(0);
    expect(await (await control("GET", "requests")).json()).toEqual([]);
  });

  it("refuse malformed scripts and wrong methods", async () => {
    const emulator = createEmulator();
    const bad = await emulator.fetch(
      new Request(`${BASE}/__emulator/script`, { method: "POST", body: JSON.stringify({ model: MODEL, replies: [{ stream: {} }] }) }),
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: Json }).error.message).toContain("replies[0]");
    expect((await emulator.fetch(new Request(`${BASE}/__emulator/reset`))).status).toBe(405);
    expect(emulator.requests).toHaveLength(0);
  });

  it("reset also drops queued scripts", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, { error: { status: 500 } });
    emulator.reset();
    expect((await create(emulator, { model: MODEL, input: "x" })).status).toBe(200);
  });
});

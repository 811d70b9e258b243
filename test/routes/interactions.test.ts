// The drop-in endpoint, driven by the official @google/genai SDK pointed at the relay by base URL only.
import { GoogleGenAI } from "@google/genai";
import { describe, expect, it } from "vitest";
import { parseSse, relayWithEmulator, TEST_KEY } from "../helpers";

const MODEL = "gemini-3.5-flash";
const CALLER_KEY = "caller-credential-xyz";
const tools = [
  {
    type: "function",
    name: "get_order_status",
    description: "Look up an order",
    parameters: { type: "object", properties: { order_id: { type: "string" } } },
  },
];

/** An app's existing SDK client, changed only in its base URL (and here, its transport to the in-process relay). */
function sdkThroughRelay(apiVersion?: string, bindings = {}) {
  const relay = relayWithEmulator(bindings);
  const client = new GoogleGenAI({
    apiKey: CALLER_KEY,
    httpOptions: {
      baseUrl: "http://relay.test",
      ...(apiVersion ? { apiVersion } : {}),
      fetch: (input, init) => Promise.resolve(relay.app.request(new Request(input, init), undefined, relay.env)),
    },
  });
  return { relay, client };
}

type Step = Record<string, unknown> & { type: string };

describe("drop-in POST /{version}/interactions", () => {
  for (const version of [undefined, "v1"]) {
    const label = version ?? "the SDK's default (v1beta)";
    it(`completes a stateless tool conversation with ${label}, non-streamed`, async () => {
      const { relay, client } = sdkThroughRelay(version);
      const first = await client.interactions.create(
        { model: MODEL, tools: tools as never, input: "Where is my order A-4417?" },
        { maxRetries: 0 },
      );
      expect(first.status).toBe("requires_action");
      const steps = first.steps as unknown as Step[];
      const call = steps.find((s) => s.type === "function_call")!;
      const history: Step[] = [{ type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] }, ...steps];
      const second = await client.interactions.create(
        {
          model: MODEL,
          tools: tools as never,
          store: false,
          input: [...history, { type: "function_result", call_id: call.id, name: call.name, result: "shipped" }] as never,
        },
        { maxRetries: 0 },
      );
      expect(second.status).toBe("completed");
      expect(second.output_text).toMatch(/shipped/);

      const upstreamCalls = relay.emulator.requests;
      expect(upstreamCalls.map((r) => r.path)).toEqual(Array(2).fill(`/${version ?? "v1beta"}/interactions`));
      for (const r of upstreamCalls) {
        expect((r.body as { store: unknown }).store).toBe(false);
        // The relay's key goes upstream, never the caller's credential.
        expect(r.headers["x-goog-api-key"]).toBe(TEST_KEY);
      }
      expect((upstreamCalls[1]!.body as { input: unknown }).input).toEqual([
        ...history,
        { type: "function_result", call_id: call.id, name: call.name, result: "shipped" },
      ]);
    });

    it(`streams with ${label}: the events the upstream sent, as it sent them`, async () => {
      const { relay, client } = sdkThroughRelay(version);
      const script = {
        steps: [
          { type: "thought", signature: "c2ln", summary: [{ type: "text", text: "Thinking" }] },
          { type: "model_output", content: [{ type: "text", text: "Hello there, how can I help?" }] },
        ],
      };
      relay.emulator.script("scripted", script, script);
      // Direct: the same SDK against the emulator, for comparison.
      const direct = new GoogleGenAI({
        apiKey: "k",
        httpOptions: {
          baseUrl: "http://emulator.test",
          ...(version ? { apiVersion: version } : {}),
          fetch: (i, init) => relay.emulator.fetch(new Request(i, init)),
        },
      });
      const collect = async (c: GoogleGenAI) => {
        const events: Record<string, unknown>[] = [];
        const stream = await c.interactions.create({ model: "scripted", input: "hi", stream: true }, { maxRetries: 0 });
        for await (const e of stream) events.push(e as never);
        return events;
      };
      const viaRelay = await collect(client);
      const viaDirect = await collect(direct);
      // Interaction ids and timestamps are fresh per call; everything else is identical.
      const stable = (events: Record<string, unknown>[]) =>
        JSON.parse(
          JSON.stringify(events)
            .replace(/"v1_[A-Za-z0-9_-]+"/g, '"ID"')
            .replace(/"\d{4}-\d\d-\d\dT[\d:]+Z"/g, '"T"'),
        );
      expect(stable(viaRelay)).toEqual(stable(viaDirect));
      expect(viaRelay.at(-1)!.event_type).toBe("interaction.completed");
      expect(relay.emulator.requests[0]!.body as { store: unknown; stream: unknown }).toMatchObject({ store: false, stream: true });
    });
  }

  it("refuses retention in Google's error shape, which the SDK surfaces", async () => {
    const { relay, client } = sdkThroughRelay();
    const refused = [{ store: true }, { background: true }, { previous_interaction_id: "v1_abc" }];
    for (const extra of refused) {
      const err = await client.interactions
        .create({ model: MODEL, input: "hi", ...extra } as never, { maxRetries: 0 })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400 });
      expect(String((err as Error).message)).toMatch(/retain data/);
      expect(JSON.parse((err as { body: string }).body)).toEqual({
        error: { code: "invalid_request", message: expect.stringMatching(/retain data/) },
      });
    }
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("answers get, delete and cancel with 404 saying the relay stores nothing", async () => {
    const { client } = sdkThroughRelay();
    for (const call of [
      () => client.interactions.get("v1_abc"),
      () => client.interactions.delete("v1_abc"),
      () => client.interactions.cancel("v1_abc"),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 404 });
      expect(String((err as Error).message)).toMatch(/stores nothing/);
    }
  });

  it("passes upstream errors through with their status, body and Retry-After", async () => {
    const { relay, client } = sdkThroughRelay();
    relay.emulator.script("limited", {
      error: { status: 429, message: "You have exceeded the per-minute token limit.", retryAfterSeconds: 7 },
    });
    const err = await client.interactions.create({ model: "limited", input: "hi" }, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429 });
    expect(JSON.parse((err as { body: string }).body)).toEqual({
      error: { code: "rate_limit_exceeded", message: "You have exceeded the per-minute token limit." },
    });
    expect((err as { headers: Headers }).headers.get("retry-after")).toBe("7");
    expect((err as { headers: Headers }).headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=none");
  });

  it("returns the upstream's interaction object exactly, without SDK-added fields", async () => {
    const { relay } = sdkThroughRelay();
    const raw = await relay.app.request(
      "/v1beta/interactions",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: MODEL, input: "hello" }) },
      relay.env,
    );
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["created", "id", "model", "object", "service_tier", "status", "steps", "updated", "usage"]);
    expect(body).not.toHaveProperty("output_text");
  });

  it("keeps a silent drop-in stream alive with SSE comments and ends it with [DONE]", async () => {
    const { relay } = sdkThroughRelay(undefined, { STREAM_KEEPALIVE_MS: "20" });
    relay.emulator.script("thinking", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "done" }] }],
      stream: { pauseMs: 120 },
    });
    const res = await relay.app.request(
      "/v1beta/interactions",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "thinking", input: "x", stream: true }),
      },
      relay.env,
    );
    const { comments, events } = parseSse(await res.text());
    expect(comments).toContain("keep-alive");
    expect(events.at(-1)).toEqual({ event: "done", data: "[DONE]" });
  });

  it("answers invalid JSON in Google's shape", async () => {
    const { relay } = sdkThroughRelay();
    const res = await relay.app.request(
      "/v1beta/interactions",
      { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" },
      relay.env,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "invalid_request", message: expect.stringMatching(/JSON/) } });
  });

  describe("keeps the operator's settings", () => {
    const post = (relay: ReturnType<typeof relayWithEmulator>, path: string, body: unknown) =>
      Promise.resolve(
        relay.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, relay.env),
      );

    it("refuses a body without `model` when ALLOWED_MODELS is set, before any upstream call", async () => {
      const { relay, client } = sdkThroughRelay(undefined, { ALLOWED_MODELS: MODEL });
      for (const stream of [false, true]) {
        const res = await post(relay, "/v1beta/interactions", { input: "hi", stream });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error: { code: "invalid_request", message: expect.stringMatching(/`model` is required.*ALLOWED_MODELS/) },
        });
      }
      // The SDK surfaces it as Google's own refusal.
      const err = await client.interactions.create({ input: "hi" } as never, { maxRetries: 0 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400 });
      expect(String((err as Error).message)).toMatch(/ALLOWED_MODELS/);
      expect(relay.emulator.requests).toHaveLength(0);
      // Without ALLOWED_MODELS nothing changes: Gemini says what it makes of a body without a model.
      const open = relayWithEmulator();
      await post(open, "/v1beta/interactions", { input: "hi" });
      expect(open.emulator.requests).toHaveLength(1);
    });

    it("forwards to the version GEMINI_API_VERSION pins, whatever the path says (unary and streamed)", async () => {
      for (const path of ["/v1alpha/interactions", "/v1beta/interactions", "/v1/interactions"]) {
        const relay = relayWithEmulator({ GEMINI_API_VERSION: "v1" });
        for (const stream of [false, true]) {
          const res = await post(relay, path, { model: MODEL, input: "hi", stream });
          expect(res.status, path).toBe(200);
          await res.text();
        }
        expect(relay.emulator.requests.map((r) => r.path)).toEqual(["/v1/interactions", "/v1/interactions"]);
      }
      // Unpinned, the path's version goes upstream as the caller's SDK chose it.
      const unpinned = relayWithEmulator();
      await (await post(unpinned, "/v1alpha/interactions", { model: MODEL, input: "hi" })).text();
      expect(unpinned.emulator.requests.map((r) => r.path)).toEqual(["/v1alpha/interactions"]);
    });

    it("refuses a field it does not know, unless PASSTHROUGH_FIELDS lets it through (fail closed)", async () => {
      const { relay, client } = sdkThroughRelay();
      const res = await post(relay, "/v1beta/interactions", { model: MODEL, input: "hi", zzz_new_field: 1 });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: "parameter_unknown",
          message: expect.stringMatching(/^Unknown field `zzz_new_field`.*\/zzz_new_field: .*PASSTHROUGH_FIELDS=zzz_new_field$/),
        },
      });
      // The SDK surfaces it as Google's own refusal; nothing went upstream.
      const err = await client.interactions
        .create({ model: MODEL, input: "hi", zzz_new_field: 1 } as never, { maxRetries: 0 })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 400 });
      expect(relay.emulator.requests).toHaveLength(0);

      const open = relayWithEmulator({ PASSTHROUGH_FIELDS: "zzz_new_field" });
      await (await post(open, "/v1beta/interactions", { model: MODEL, input: "hi", zzz_new_field: 1 })).text();
      // Through to Gemini as sent (the emulator, like Gemini today, then refuses a field it does not know).
      expect(open.emulator.requests[0]!.body).toMatchObject({ zzz_new_field: 1, store: false });
    });

    it("refuses `__proto__` as a field: it never stands in for `model` or `stream`", async () => {
      const relay = relayWithEmulator({ ALLOWED_MODELS: MODEL });
      const bodies = [
        `{"input":"hi","__proto__":{"model":"${MODEL}"}}`,
        `{"model":"gemini-other","input":"hi","__proto__":{"model":"${MODEL}"}}`,
        `{"model":"${MODEL}","input":"hi","__proto__":{"stream":true}}`,
      ];
      for (const body of bodies) {
        const res = await relay.app.request(
          "/v1beta/interactions",
          { method: "POST", headers: { "content-type": "application/json" }, body },
          relay.env,
        );
        expect(res.status, body).toBe(400);
        expect(await res.json()).toEqual({
          error: { code: "parameter_unknown", message: expect.stringMatching(/^Unknown field `__proto__`.*\/__proto__: is not a field/) },
        });
      }
      expect(relay.emulator.requests).toHaveLength(0);
    });

    it("counts the input's steps against MAX_STEPS", async () => {
      const relay = relayWithEmulator({ MAX_STEPS: "2" });
      const step = { type: "user_input", content: [{ type: "text", text: "hi" }] };
      const res = await post(relay, "/v1beta/interactions", { model: MODEL, input: [step, step, step] });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({
        error: { code: "invalid_request", message: expect.stringMatching(/3 steps; at most 2.*MAX_STEPS/) },
      });
      expect(relay.emulator.requests).toHaveLength(0);
      expect((await post(relay, "/v1beta/interactions", { model: MODEL, input: [step, step] })).status).toBe(200);
    });
  });
});

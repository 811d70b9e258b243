// Production hardening through the whole app: callers, limits, upstream faults, logs and headers.
import { env as workerEnv } from "cloudflare:test";
import { GoogleGenAI } from "@google/genai";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseSse, problemOf, relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
const json = { "content-type": "application/json" };
const ok = { type: "model_output", content: [{ type: "text", text: "fine" }] };

afterEach(() => vi.restoreAllMocks());

describe("callers", () => {
  const secured = () =>
    relayWithEmulator({ AUTH_MODE: "tokens", RELAY_TOKENS: "tok-one-0123456789abcdef0123456789ab, tok-two-0123456789abcdef0123456789ab" });

  it("lets in only callers with a relay token", async () => {
    const relay = secured();
    const body = JSON.stringify({ model: MODEL, input: "hi" });
    const anonymous = await relay.app.request("/v1/turns", { method: "POST", headers: json, body }, relay.env);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await problemOf(anonymous)).code).toBe("unauthorized");
    const wrong = await relay.app.request(
      "/v1/turns",
      { method: "POST", headers: { ...json, authorization: "Bearer tok-three-0123456789abcdef0123456789" }, body },
      relay.env,
    );
    expect(wrong.status).toBe(401);
    const right = await relay.app.request(
      "/v1/turns",
      { method: "POST", headers: { ...json, authorization: "Bearer tok-two-0123456789abcdef0123456789ab" }, body },
      relay.env,
    );
    expect(right.status).toBe(200);
    expect(relay.emulator.requests).toHaveLength(1);
  });

  it("takes the token from x-goog-api-key on the drop-in route, and answers a bad one in Google's shape", async () => {
    const relay = secured();
    const sdk = (key: string) =>
      new GoogleGenAI({
        apiKey: key,
        httpOptions: {
          baseUrl: "http://relay.test",
          fetch: (i, init) => Promise.resolve(relay.app.request(new Request(i, init), undefined, relay.env)),
        },
      });
    const done = await sdk("tok-one-0123456789abcdef0123456789ab").interactions.create({ model: MODEL, input: "hi" }, { maxRetries: 0 });
    expect(done.status).toBe("completed");
    const err = await sdk("nope")
      .interactions.create({ model: MODEL, input: "hi" }, { maxRetries: 0 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    expect(JSON.parse((err as { body: string }).body)).toEqual({ error: { code: "authentication", message: expect.any(String) } });
  });

  it("refuses every call when tokens mode has no tokens configured", async () => {
    const relay = relayWithEmulator({ AUTH_MODE: undefined });
    const res = await relay.turn({ model: MODEL, input: "hi" }, { headers: { ...json, authorization: "Bearer x" } });
    expect(res.status).toBe(500);
    expect((await problemOf(res)).detail).toMatch(/RELAY_TOKENS/);
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("keeps /healthz open", async () => {
    const relay = secured();
    expect((await relay.app.request("/healthz", {}, relay.env)).status).toBe(200);
  });

  it("limits each caller with the Rate Limiting binding, and says when to come back", async () => {
    const relay = relayWithEmulator({
      AUTH_MODE: "tokens",
      RELAY_TOKENS: "rl-a-0123456789abcdef0123456789abcdef,rl-b-0123456789abcdef0123456789abcdef",
      CALLER_RATE_LIMIT: workerEnv.CALLER_RATE_LIMIT,
    });
    const hit = (token: string) =>
      relay.app.request("/v1/turns", { method: "GET", headers: { authorization: `Bearer ${token}` } }, relay.env);
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) statuses.push((await hit("rl-a-0123456789abcdef0123456789abcdef")).status);
    expect(statuses.slice(0, 100).every((s) => s === 405)).toBe(true);
    const limited = await hit("rl-a-0123456789abcdef0123456789abcdef");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect((await problemOf(limited)).code).toBe("rate_limited");
    // Another caller has its own budget.
    expect((await hit("rl-b-0123456789abcdef0123456789abcdef")).status).toBe(405);
  });

  it("throttles a client after 10 failed authentications a minute (429 + Retry-After), right token or not", async () => {
    const relay = secured();
    const hit = (token: string, address: string) =>
      relay.app.request(
        "/v1/turns",
        { method: "GET", headers: { authorization: `Bearer ${token}`, "cf-connecting-ip": address } },
        relay.env,
      );
    const good = "tok-one-0123456789abcdef0123456789ab";
    // Successes are not failures: they never add up to a throttle.
    for (let i = 0; i < 12; i++) expect((await hit(good, "203.0.113.7")).status).toBe(405);
    for (let i = 0; i < 10; i++) expect((await hit(`guess-${i}`, "203.0.113.7")).status).toBe(401);
    const throttled = await hit(good, "203.0.113.7");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(await problemOf(throttled)).toMatchObject({ code: "rate_limited", detail: expect.stringMatching(/failed authentications/) });
    // Counted per client address: another client is not held back.
    expect((await hit(good, "198.51.100.2")).status).toBe(405);
  });

  it("keys the rate limit by client address with AUTH_MODE=none, where the runtime gives one", async () => {
    const keys: string[] = [];
    const counter: RateLimit = { limit: async ({ key }) => (keys.push(key), { success: true }) };
    const relay = relayWithEmulator({ CALLER_RATE_LIMIT: counter });
    const hit = (headers: Record<string, string>) => relay.app.request("/v1/turns", { method: "GET", headers }, relay.env);
    await hit({ "cf-connecting-ip": "203.0.113.7" });
    await hit({ "cf-connecting-ip": "203.0.113.7" });
    await hit({ "cf-connecting-ip": "2001:db8::1" });
    await hit({});
    expect(keys[0]).toMatch(/^anonymous:[0-9a-f]{16}$/);
    expect(keys[0]).not.toContain("203");
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toMatch(/^anonymous:[0-9a-f]{16}$/);
    expect(keys[2]).not.toBe(keys[0]);
    expect(keys[3]).toBe("anonymous");
  });

  it("refuses a weak secret per request on Workers, naming the setting", async () => {
    const relay = relayWithEmulator({ AUTH_MODE: "jwt", JWT_SECRET: "short" });
    const res = await relay.turn({ model: MODEL, input: "hi" });
    expect(res.status).toBe(500);
    expect((await problemOf(res)).errors).toEqual([{ path: "JWT_SECRET", message: expect.stringMatching(/at least 32 bytes/) }]);
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("enforces the model allowlist", async () => {
    const relay = relayWithEmulator({ ALLOWED_MODELS: "gemini-3.5-flash, gemini-3.5-pro" });
    expect((await relay.turn({ model: "gemini-3.5-flash", input: "hi" })).status).toBe(200);
    const res = await relay.turn({ model: "gemini-ultra", input: "hi" });
    expect(res.status).toBe(403);
    expect((await problemOf(res)).errors?.[0]?.path).toBe("/model");
  });

  it("answers CORS only for configured origins, preflight included", async () => {
    const relay = relayWithEmulator({ CORS_ORIGINS: "https://app.example" });
    const preflight = (origin: string) =>
      relay.app.request(
        "/v1/turns",
        {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
        },
        relay.env,
      );
    const allowed = await preflight("https://app.example");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(allowed.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    const res = await relay.turn({ model: MODEL, input: "hi" }, { headers: { ...json, origin: "https://app.example" } });
    expect(res.headers.get("access-control-expose-headers")).toMatch(/Request-Id/);
    const closed = relayWithEmulator();
    const none = await closed.app.request(
      "/v1/turns",
      { method: "OPTIONS", headers: { origin: "https://app.example", "access-control-request-method": "POST" } },
      closed.env,
    );
    expect(none.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a request without an Origin (no CORS request) with no CORS headers, and the same turn", async () => {
    const relay = relayWithEmulator({ CORS_ORIGINS: "https://app.example" });
    const plain = await relay.turn({ model: MODEL, input: "hi" }, { headers: json });
    const browser = await relay.turn({ model: MODEL, input: "hi" }, { headers: { ...json, origin: "https://app.example" } });
    expect([...plain.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(browser.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(await browser.text());
  });
});

describe("limits", () => {
  it("answers 413 for a body over MAX_BODY_BYTES and for too many steps", async () => {
    const relay = relayWithEmulator({ MAX_BODY_BYTES: "2048", MAX_STEPS: "3" });
    const big = await relay.turn({ model: MODEL, input: "x".repeat(4000) });
    expect(big.status).toBe(413);
    expect((await problemOf(big)).code).toBe("payload_too_large");
    const user = { type: "user_input", content: [{ type: "text", text: "q" }] };
    const many = await relay.turn({ model: MODEL, history: [user, ok, user, ok], input: "more" });
    expect(many.status).toBe(413);
    expect((await problemOf(many)).detail).toMatch(/MAX_STEPS/);
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("accepts a gzip-compressed turn", async () => {
    const relay = relayWithEmulator();
    const body = await new Response(
      new Blob([JSON.stringify({ model: MODEL, input: "compressed hello" })]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer();
    const res = await relay.turn(undefined, { body, headers: { ...json, "content-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output_text: string }).output_text).toMatch(/compressed hello/);
  });

  it("answers wrong method, wrong content type and unknown route in the one problem shape", async () => {
    const relay = relayWithEmulator();
    expect((await relay.app.request("/v1/turns", { method: "PUT" }, relay.env)).status).toBe(405);
    const form = await relay.turn(undefined, { body: "model=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBe(415);
    expect((await problemOf(form)).code).toBe("unsupported_media_type");
    expect((await problemOf(await relay.app.request("/nowhere", {}, relay.env))).status).toBe(404);
  });

  it("answers a hostile deeply nested body with 400, not a crash", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn(`{"model":"m","input":"x","tools":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(res.status).toBe(400);
    expect((await problemOf(res)).code).toBe("too_deep");
  });
});

describe("upstream faults", () => {
  it("retries 503 and 429 with backoff, honouring Retry-After, then succeeds", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    relay.emulator.script("flaky", { error: { status: 503 } }, { error: { status: 429, retryAfterMs: 50 } }, { steps: [ok] });
    const started = Date.now();
    const res = await relay.turn({ model: "flaky", input: "x" });
    expect(res.status).toBe(200);
    expect(relay.creates()).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50); // the Retry-After was waited for (an order, not a speed, check)
  });

  it("never turns one caller request into more than 1 + UPSTREAM_MAX_RETRIES upstream calls", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    relay.emulator.script("down", ...Array.from({ length: 10 }, () => ({ error: { status: 503, retryAfterMs: 1 } })));
    const res = await relay.turn({ model: "down", input: "x" });
    expect(res.status).toBe(502);
    expect(relay.creates()).toHaveLength(3);
  });

  it("does not retry when the Retry-After would pass the deadline, nor 4xx, nor 502", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2", UPSTREAM_TIMEOUT_MS: "1000" });
    relay.emulator.script("later", { error: { status: 429, retryAfterSeconds: 30 } });
    const res = await relay.turn({ model: "later", input: "x" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("30");
    relay.emulator.script("bad", { error: { status: 400 } }, { error: { status: 502 } });
    await relay.turn({ model: "bad", input: "x" });
    await relay.turn({ model: "bad", input: "x" });
    expect(relay.creates()).toHaveLength(3);
  });

  it("retries a stream only before its first event, and reports a later failure without re-running calls", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    const call = { type: "function_call", id: "call0001", name: "lookup", arguments: { q: "x" } };
    relay.emulator.script(
      "s",
      { error: { status: 503, retryAfterMs: 1 } },
      {
        steps: [
          { type: "thought", signature: "c2ln" },
          call,
          { type: "model_output", content: [{ type: "text", text: "and then ".repeat(40) }] },
        ],
        stream: { fault: { afterEvents: 12, kind: "cut" } },
      },
    );
    const res = await relay.turn({ model: "s", tools: [{ type: "function", name: "lookup" }], input: "x", stream: true });
    expect(res.status).toBe(200);
    const { events } = parseSse(await res.text());
    expect(events.filter((e) => e.event === "turn.step").map((e) => JSON.parse(e.data).step.type)).toEqual(["thought", "function_call"]);
    const problem = JSON.parse(events.at(-1)!.data);
    expect(events.at(-1)!.event).toBe("turn.error");
    expect(problem.detail).toMatch(/did not retry/);
    expect(problem.detail).toMatch(/"call0001"/);
    expect(relay.creates()).toHaveLength(2); // the refused open, then the stream that broke: never a third
  });

  it("lets the caller's SDK own retries on the drop-in route: one upstream call per SDK attempt", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    relay.emulator.script("down", ...Array.from({ length: 10 }, () => ({ error: { status: 503, retryAfterMs: 1 } })));
    const sdk = new GoogleGenAI({
      apiKey: "k",
      httpOptions: {
        baseUrl: "http://relay.test",
        fetch: (i, init) => Promise.resolve(relay.app.request(new Request(i, init), undefined, relay.env)),
      },
    });
    const err = await sdk.interactions.create({ model: "down", input: "x" }).catch((e: unknown) => e); // the SDK's default: 5 attempts
    expect(err).toMatchObject({ status: 503 });
    expect(relay.creates()).toHaveLength(5);
  });
});

describe("logs and headers", () => {
  it("marks every answer not to be cached or content-sniffed: JSON, streams, errors, both routes", async () => {
    const relay = relayWithEmulator();
    const answers = [
      await relay.turn({ model: MODEL, input: "hi" }),
      await relay.turn({ model: MODEL, input: "hi", stream: true }),
      await relay.turn("{not json"),
      await relay.app.request("/v1beta/interactions", { method: "POST", headers: json, body: "{}" }, relay.env),
      await relay.app.request("/healthz", {}, relay.env),
      await relay.app.request("/nowhere", {}, relay.env),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
      expect(res.headers.get("cache-control"), res.url).toBe("no-store");
    }
    expect(answers[1]!.headers.get("content-type")).toMatch(/^text\/event-stream/);
  });

  it("logs the relay's own request id, the caller's Request-Id apart: bounded and printable only", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    const sent = ["support-7f3a", `a\x01b\x7fc ${"x".repeat(300)}`];
    const responses = [];
    for (const id of sent) {
      const res = await relay.app.request("/healthz", { headers: { "request-id": id } }, relay.env);
      await res.arrayBuffer();
      responses.push(res);
    }
    await expect.poll(() => lines.length).toBe(2);
    const logs = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const [i, res] of responses.entries()) {
      // Chosen by the relay, whatever the caller sent: a caller cannot pick or collide the ids in the logs.
      expect(res.headers.get("request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(logs[i]!.request_id).toBe(res.headers.get("request-id"));
    }
    expect(logs[0]!.caller_request_id).toBe("support-7f3a");
    expect(logs[1]!.caller_request_id).toBe(`abc ${"x".repeat(124)}`);
  });

  it("writes one content-free JSON log line per request, and sends Request-Id and Server-Timing", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    const res = await relay.turn({
      model: MODEL,
      history: [{ type: "user_input", content: [{ type: "text", text: "earlier" }] }, ok],
      input: "secret words",
    });
    const text = await res.text();
    expect(res.headers.get("request-id")).toMatch(/^[\w-]{8,}$/);
    expect(res.headers.get("server-timing")).toMatch(/^relay;dur=\d+,upstream;dur=\d+$/);
    await expect.poll(() => lines.length).toBe(1);
    const log = JSON.parse(lines[0]!);
    expect(log).toMatchObject({
      request_id: res.headers.get("request-id"),
      method: "POST",
      route: "/v1/turns",
      model: MODEL,
      caller: "anonymous",
      status: 200,
      outcome: "sent",
      upstream_status: 200,
      retries: 0,
      history_steps: 2,
      bytes_out: new TextEncoder().encode(text).byteLength,
    });
    expect(log.bytes_in).toBeGreaterThan(50);
    expect(lines[0]).not.toMatch(/secret|earlier|fine/);
  });

  it("writes the line at once, never a 500, for an execution context without waitUntil (a host's stand-in `{}`)", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    const res = await relay.app.fetch(new Request("http://relay.test/healthz"), relay.env, {} as never);
    expect(res.status).toBe(200);
    await res.text();
    expect(lines).toHaveLength(1);
  });

  it("writes the line at once, and answers as it would, when the context's waitUntil throws", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const ctx = {
      waitUntil() {
        throw new Error("no waitUntil here");
      },
      passThroughOnException() {},
      props: {},
    };
    const relay = relayWithEmulator();
    const res = await relay.app.fetch(new Request("http://relay.test/healthz"), relay.env, ctx);
    expect(res.status).toBe(200);
    await res.text();
    expect(lines).toHaveLength(1);
    // and only once: no timer left to write it again
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(lines).toHaveLength(1);
  });

  it("on Workers, writes an app's first line after its response (in a task the request waits for), later lines at once", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const waits: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void waits.push(promise), passThroughOnException() {}, props: {} };
    const relay = relayWithEmulator();
    const health = () => relay.app.fetch(new Request("http://relay.test/healthz"), relay.env, ctx);
    const first = await health();
    await first.text();
    expect(lines).toEqual([]);
    expect(waits).toHaveLength(1);
    await Promise.all(waits);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      route: "/healthz",
      status: 200,
      outcome: "sent",
      request_id: first.headers.get("request-id"),
    });
    const second = await health();
    await second.text();
    expect(waits).toHaveLength(1);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ route: "/healthz", request_id: second.headers.get("request-id") });
  });
});

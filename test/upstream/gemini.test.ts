import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config";
import { RelayError } from "../../src/errors";
import { geminiUpstream, upstreamError, type HttpFailure } from "../../src/upstream/gemini";
import { retryAfterMs, retryAfterSeconds } from "../../src/upstream/retry";
import { keyRedactor } from "../../src/upstream/redact";
import type { Upstream, UpstreamEvent } from "../../src/upstream/upstream";
import { redirectingNetwork, UPSTREAM } from "./hostile-network";

const KEY = "relay-key-abc";
const live = () => new AbortController().signal;
/** Gemini's failure answer, as the client hands it to upstreamError. */
const httpError = (status: number, message: string, headers: Record<string, string> = {}): HttpFailure => ({
  status,
  headers: new Headers(headers),
  body: JSON.stringify({ error: { code: "x", message } }),
});
const map = (err: unknown, signal = live()) => upstreamError(err, { signal, apiKey: KEY, timeoutMs: 1234 });

describe("retryAfterMs", () => {
  it("prefers retry-after-ms, then retry-after in seconds or as an HTTP date", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "3" }))).toBe(3000);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(new Headers({ "retry-after": inTenSeconds }))).toBeGreaterThan(8_000);
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
  it("takes only delta-seconds or an IMF-fixdate: anything else is no hint, never an instant retry or an endless wait", () => {
    for (const value of ["-5", "1e308", "1e3", "0x10", "3.5", "+3", "Infinity", "", "Sunday, 06-Nov-94 08:49:37 GMT", "2030-01-01"]) {
      expect(retryAfterMs(new Headers({ "retry-after": value })), value).toBeUndefined();
    }
    for (const value of ["-1", "1e308", "Infinity", "NaN"]) {
      expect(retryAfterMs(new Headers({ "retry-after-ms": value, "retry-after": "4" })), value).toBe(4000);
    }
    expect(retryAfterMs(new Headers({ "retry-after": " 7 " }))).toBe(7000);
    expect(retryAfterMs(new Headers({ "retry-after": new Date(Date.now() - 60_000).toUTCString() }))).toBe(0);
  });
  it("caps a huge hint at a day, so the Retry-After the caller gets is always a whole number of seconds", () => {
    const huge = "9".repeat(400);
    expect(retryAfterMs(new Headers({ "retry-after": huge }))).toBe(86_400_000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": huge }))).toBe(86_400_000);
    expect(retryAfterMs(new Headers({ "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT" }))).toBe(86_400_000);
    expect(retryAfterSeconds(new Headers({ "retry-after": huge }))).toBe(86_400);
    const err = map(httpError(429, "slow down", { "retry-after": huge }));
    expect(err.headers["retry-after"]).toBe("86400");
    const rejected = map(httpError(429, "slow down", { "retry-after": "1e308" }));
    expect(rejected.headers["retry-after"]).toBe("5");
  });
  it("rounds up to whole seconds, at least 1, for a Retry-After header", () => {
    expect(retryAfterSeconds(new Headers({ "retry-after-ms": "1" }))).toBe(1);
    expect(retryAfterSeconds(new Headers({ "retry-after-ms": "1500" }))).toBe(2);
  });
});

describe("upstreamError", () => {
  it("maps statuses honestly", () => {
    const cases: [number, number, string][] = [
      [400, 400, "upstream_rejected"],
      [404, 404, "upstream_rejected"],
      [401, 502, "upstream_auth_failed"],
      [403, 502, "upstream_auth_failed"],
      [408, 504, "upstream_timeout"],
      [429, 429, "upstream_rate_limited"],
      [500, 502, "upstream_unavailable"],
      [503, 502, "upstream_unavailable"],
      [504, 504, "upstream_timeout"],
    ];
    for (const [upstream, status, code] of cases) {
      const err = map(httpError(upstream, "boom"));
      expect([err.status, err.code], `upstream ${upstream}`).toEqual([status, code]);
      if (upstream !== 401 && upstream !== 403) expect(err.upstream?.status).toBe(upstream);
    }
  });

  it("keeps the upstream's message and wait hint, with the key redacted", () => {
    const err = map(httpError(429, `quota for ${KEY} exceeded`, { "retry-after-ms": "1200" }));
    expect(err.detail).toContain("[redacted]");
    expect(err.detail).not.toContain(KEY);
    expect(err.upstream?.body).not.toContain(KEY);
    expect(err.upstream?.retryAfterMs).toBe(1200);
    expect(err.headers["retry-after"]).toBe("2");
  });

  it("tells a deadline from a caller that left, and a lost connection from both", () => {
    expect(map(new Error("x"), AbortSignal.abort(new DOMException("t", "TimeoutError"))).code).toBe("upstream_timeout");
    expect(map(new Error("x"), AbortSignal.abort(new DOMException("a", "AbortError"))).code).toBe("client_closed");
    expect(map(new TypeError("fetch failed")).code).toBe("upstream_unavailable");
  });
});

/** The adapter on a fetch that answers every call with `reply`, under the given key. */
function upstreamAnswering(reply: () => Response, apiKey = KEY): Upstream {
  const config = readConfig({ GEMINI_API_KEY: apiKey, GEMINI_BASE_URL: UPSTREAM, AUTH_MODE: "none" });
  return geminiUpstream(config, { fetch: () => Promise.resolve(reply()) });
}

// What the routes hand the adapter: members with their commas, a forwarded body that carries store: false.
const members = ['"model":"m"', ",", '"input":"hi"'];
const forward = { body: new Blob(['{"model":"m","input":"hi","store":false}']), apiVersion: "v1beta" };

/** Every call the adapter makes, each reading its reply to the end. */
const CALLS: Record<string, (upstream: Upstream) => Promise<unknown>> = {
  createInteraction: (u) => u.createInteraction({ members }, live()),
  streamInteraction: async (u) => collect(await u.streamInteraction({ members }, live())),
  forwardInteraction: (u) => u.forwardInteraction(forward, live()),
  forwardInteractionStream: async (u) => collect(await u.forwardInteractionStream(forward, live())),
};

async function collect(events: AsyncIterable<UpstreamEvent>): Promise<UpstreamEvent[]> {
  const all: UpstreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe("redirects", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`never follows a ${status}: a 502 that says so, and the other origin never sees the key or the body`, async () => {
      const network = redirectingNetwork(status);
      const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: UPSTREAM, AUTH_MODE: "none" });
      for (const [name, call] of Object.entries(CALLS)) {
        const err = await call(geminiUpstream(config, { fetch: network.fetch })).catch((e: unknown) => e);
        expect(err, name).toBeInstanceOf(RelayError);
        expect([(err as RelayError).status, (err as RelayError).code], name).toEqual([502, "upstream_unavailable"]);
        expect((err as RelayError).detail, name).toMatch(new RegExp(`redirect \\(${status}\\).*does not follow redirects`));
        expect((err as RelayError).detail, name).not.toContain("elsewhere.test");
      }
      expect(network.upstreamCalls()).toBe(4);
      expect(network.elsewhere).toEqual([]);
    });
  }
});

describe("keyRedactor", () => {
  const secret = 'k"ey\\/ +&x';
  const redactor = keyRedactor(secret);

  it("finds the key as sent, JSON-escaped and percent-encoded, in text and in bytes", () => {
    const text = `raw ${secret}; json ${JSON.stringify(secret)}; url ?key=${encodeURIComponent(secret)}`;
    const expected = `raw [redacted]; json "[redacted]"; url ?key=[redacted]`;
    expect(redactor.text(text)).toBe(expected);
    const bytes = new TextEncoder().encode(text);
    expect(new TextDecoder().decode(redactor.bytes(bytes))).toBe(expected);
  });

  it("hands back the same string and the same array when the key is not there", () => {
    const text = `{"steps":[{"type":"model_output","content":[{"type":"text","text":"k\\"ey almost"}]}]}`;
    expect(redactor.text(text)).toBe(text);
    const bytes = new TextEncoder().encode(text);
    expect(redactor.bytes(bytes)).toBe(bytes);
    expect(keyRedactor("").text(text)).toBe(text);
  });

  it("redacts bytes exactly as it redacts their text, and leaves no spelling behind (generated keys and bodies)", () => {
    // Keys without a character of "[redacted]", so what it writes cannot spell a key again.
    const key = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((k) => ![..."[redacted]"].some((c) => k.includes(c)));
    const part = fc.oneof(fc.string({ unit: "grapheme", maxLength: 8 }), fc.constant("\u0000"));
    fc.assert(
      fc.property(key, fc.array(part, { maxLength: 8 }), (k, parts) => {
        const r = keyRedactor(k);
        const spellings = [k, JSON.stringify(k).slice(1, -1), encodeURIComponent(k)];
        const text = parts.join([...k][0]!) + parts.join(k) + spellings.join(" ");
        const redacted = r.text(text);
        return (
          new TextDecoder().decode(r.bytes(new TextEncoder().encode(text))) === redacted && !spellings.some((s) => redacted.includes(s))
        );
      }),
    );
  });
});

describe("the key in what the upstream answers", () => {
  const sse =
    (...events: string[]) =>
    () =>
      new Response(events.join(""), { headers: { "content-type": "text/event-stream" } });
  const json = (text: string) => () => new Response(text, { headers: { "content-type": "application/json" } });
  const errorEvent = (message: string) =>
    `event: error\ndata: ${JSON.stringify({ event_type: "error", error: { code: "api_error", message } })}\n\n`;
  const created =
    'event: interaction.created\ndata: {"event_type":"interaction.created", "interaction": {"id":"v1_x","status":"in_progress"}}\n\n';

  it("is redacted from forwarded SSE events on both streams; events without it are as received", async () => {
    const reply = sse(created, errorEvent(`API key ${KEY} is not valid`));
    const forwarded = await collect(await upstreamAnswering(reply).forwardInteractionStream(forward, live()));
    expect(forwarded.map((e) => e.data)).toEqual([
      '{"event_type":"interaction.created", "interaction": {"id":"v1_x","status":"in_progress"}}',
      '{"event_type":"error","error":{"code":"api_error","message":"API key [redacted] is not valid"}}',
    ]);
    expect(forwarded[1]!.value).toEqual({ event_type: "error", error: { code: "api_error", message: "API key [redacted] is not valid" } });

    const turnEvents: UpstreamEvent[] = [];
    const err = await (async () => {
      for await (const event of await upstreamAnswering(reply).streamInteraction({ members }, live())) turnEvents.push(event);
    })().catch((e: unknown) => e);
    expect(turnEvents.map((e) => e.data)).toEqual(forwarded.map((e) => e.data));
    expect((err as RelayError).detail).toContain("[redacted]");
    expect((err as RelayError).detail).not.toContain(KEY);
  });

  it("is redacted from an event's SSE name and from its JSON-escaped spelling", async () => {
    const odd = 'key"with\\quote';
    const reply = sse(`event: ${odd}\ndata: plain\n\n`, errorEvent(`bad key ${odd}`));
    const events = await collect(await upstreamAnswering(reply, odd).forwardInteractionStream(forward, live()));
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["[redacted]", "plain"],
      ["error", '{"event_type":"error","error":{"code":"api_error","message":"bad key [redacted]"}}'],
    ]);
  });

  it("is redacted from unary replies, and a reply without it keeps every byte", async () => {
    const quoting = `{"status":"completed", "steps":[{"type":"model_output","content":[{"type":"text","text":"the key is ${KEY}"}]}]}`;
    const bytes = await upstreamAnswering(json(quoting)).forwardInteraction(forward, live());
    expect(new TextDecoder().decode(bytes)).toBe(quoting.replace(KEY, "[redacted]"));
    const turn = await upstreamAnswering(json(quoting)).createInteraction({ members }, live());
    expect(new TextDecoder().decode(turn.steps[0]!.bytes)).toBe(
      '{"type":"model_output","content":[{"type":"text","text":"the key is [redacted]"}]}',
    );

    const clean = '{ "status" : "completed",\n "steps":[{"type":"model_output","content":[{"text":"caf\\u00e9","type":"text"}]}] }';
    expect(new TextDecoder().decode(await upstreamAnswering(json(clean)).forwardInteraction(forward, live()))).toBe(clean);
  });
});

describe("the upstream call", () => {
  it("is one fetch of the URL and init, with no Request built in between", async () => {
    const inputs: unknown[] = [];
    const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: UPSTREAM, AUTH_MODE: "none" });
    const upstream = geminiUpstream(config, {
      fetch: (input, init) => {
        inputs.push(input, init?.redirect);
        return Promise.resolve(Response.json({ status: "completed", steps: [] }));
      },
    });
    await upstream.forwardInteraction(forward, live());
    expect(inputs).toEqual([`${UPSTREAM}/v1beta/interactions`, "manual"]);
  });
});

import { describe, expect, it } from "vitest";
import { retryAfterMs, retryAfterSeconds, upstreamError } from "../../src/upstream/gemini";

const KEY = "relay-key-abc";
const live = () => new AbortController().signal;
const httpError = (status: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  error: { error: { code: "x", message } },
  body: JSON.stringify({ error: { code: "x", message } }),
  message: `${status} ${message}`,
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

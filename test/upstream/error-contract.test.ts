/**
 * The upstream module's error contract: what each Gemini failure answer becomes, on every call the
 * module makes (a turn's unary and streamed create, the drop-in's unary and streamed create) and
 * through both routes. Bodies are shaped as Gemini sends them: the Interactions API's string codes,
 * Google's older `{code: 400, status: "INVALID_ARGUMENT"}` shape (what its front end answers for a
 * bad key: the relay's key, so a 502 like 401/403, never a 400 that blames the caller), Google's HTML error pages, and bodies cut short or empty. Some of them quote the key (a
 * proxy or an error page may), which must never reach a caller.
 */
import { describe, expect, it } from "vitest";
import { readConfig } from "../../src/config";
import { googleErrorResponse, RelayError } from "../../src/errors";
import { geminiUpstream } from "../../src/upstream/gemini";
import type { Upstream, UpstreamEvent } from "../../src/upstream/upstream";
import { relayOverFetch, TEST_KEY } from "../helpers";

const KEY = TEST_KEY;
const JSON_TYPE = "application/json; charset=UTF-8";
const HTML_TYPE = "text/html; charset=UTF-8";

interface Failure {
  status: number;
  body: string;
  headers: Record<string, string>;
}

interface Expected {
  status: number;
  code: string;
  /** The upstream's status and body as kept for the drop-in routes (undefined: the relay answers in its own words). */
  upstream?: number;
  /** Retry-After the caller is given. */
  retryAfter?: string;
  /** The upstream's wait hint in ms, as the retry policy reads it. */
  retryAfterMs?: number;
  /** Words the detail carries (Google's message, when there is one). */
  says: string;
}

const googleError = (code: string | number, message: string, extra: object = {}) => JSON.stringify({ error: { code, message, ...extra } });

const GFE_404 = `<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <title>Error 404 (Not Found)!!1</title>
  <p><b>404.</b> <ins>That’s an error.</ins>
  <p>The requested URL <code>/v1beta/interactions?key=${encodeURIComponent(KEY)}</code> was not found on this server.  <ins>That’s all we know.</ins>
`;
const GFE_502 = `<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <title>Error 502 (Server Error)!!1</title>
  <p><b>502.</b> <ins>That’s an error.</ins>
  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>
`;

/** Each recorded-style failure and what it becomes (the same on every call and route). */
const CASES: Record<string, [Failure, Expected]> = {
  "400 invalid_request": [
    { status: 400, body: googleError("invalid_request", "Request contains an invalid argument."), headers: { "content-type": JSON_TYPE } },
    { status: 400, code: "upstream_rejected", upstream: 400, says: "Request contains an invalid argument." },
  ],
  "400 API_KEY_INVALID (Google's older shape, quoting the key)": [
    {
      status: 400,
      body: `{\n  "error": {\n    "code": 400,\n    "message": "API key not valid: ${KEY}. Please pass a valid API key.",\n    "status": "INVALID_ARGUMENT",\n    "details": [\n      {\n        "@type": "type.googleapis.com/google.rpc.ErrorInfo",\n        "reason": "API_KEY_INVALID",\n        "domain": "googleapis.com"\n      }\n    ]\n  }\n}\n`,
      headers: { "content-type": JSON_TYPE },
    },
    // The operator's key, not the caller's request: a 502 like 401/403 (a 400 would tell the caller to fix what it sent).
    { status: 502, code: "upstream_auth_failed", says: "API key not valid: [redacted]. Please pass a valid API key." },
  ],
  "400 INVALID_ARGUMENT with another reason": [
    {
      status: 400,
      body: googleError(400, "Invalid value at 'input'.", {
        status: "INVALID_ARGUMENT",
        details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", reason: "FIELD_INVALID" }],
      }),
      headers: { "content-type": JSON_TYPE },
    },
    { status: 400, code: "upstream_rejected", upstream: 400, says: "Invalid value at 'input'." },
  ],
  "401 authentication (quoting the key)": [
    { status: 401, body: googleError("authentication", `API key ${KEY} is not valid.`), headers: { "content-type": JSON_TYPE } },
    { status: 502, code: "upstream_auth_failed", says: "API key [redacted] is not valid." },
  ],
  "403 PERMISSION_DENIED": [
    {
      status: 403,
      body: googleError(403, "Generative Language API has not been used in project 12345 before or it is disabled.", {
        status: "PERMISSION_DENIED",
      }),
      headers: { "content-type": JSON_TYPE },
    },
    { status: 502, code: "upstream_auth_failed", says: "has not been used in project 12345" },
  ],
  "404 not_found": [
    { status: 404, body: googleError("not_found", "models/gemini-9 is not found."), headers: { "content-type": JSON_TYPE } },
    { status: 404, code: "upstream_rejected", upstream: 404, says: "models/gemini-9 is not found." },
  ],
  "429 with Retry-After": [
    {
      status: 429,
      body: googleError("rate_limit_exceeded", "You have exceeded the per-minute token limit. Please retry later."),
      headers: { "content-type": JSON_TYPE, "retry-after": "7" },
    },
    { status: 429, code: "upstream_rate_limited", upstream: 429, retryAfter: "7", retryAfterMs: 7000, says: "per-minute token limit" },
  ],
  "429 with retry-after-ms": [
    {
      status: 429,
      body: googleError("rate_limit_exceeded", "Slow down."),
      headers: { "content-type": JSON_TYPE, "retry-after-ms": "1500" },
    },
    { status: 429, code: "upstream_rate_limited", upstream: 429, retryAfter: "2", retryAfterMs: 1500, says: "Slow down." },
  ],
  // Retry-After is delta-seconds or an HTTP date: "1e308" is neither (no hint, the relay's default),
  // and a wait beyond a day is a day, so the header a caller gets is always a whole number of seconds.
  "429 with a Retry-After that is no number of seconds": [
    {
      status: 429,
      body: googleError("rate_limit_exceeded", "Slow down."),
      headers: { "content-type": JSON_TYPE, "retry-after": "1e308" },
    },
    { status: 429, code: "upstream_rate_limited", upstream: 429, retryAfter: "5", says: "Slow down." },
  ],
  "429 with a Retry-After of centuries": [
    {
      status: 429,
      body: googleError("rate_limit_exceeded", "Slow down."),
      headers: { "content-type": JSON_TYPE, "retry-after": "99999999999" },
    },
    { status: 429, code: "upstream_rate_limited", upstream: 429, retryAfter: "86400", retryAfterMs: 86_400_000, says: "Slow down." },
  ],
  "429 without Retry-After (RESOURCE_EXHAUSTED)": [
    {
      status: 429,
      body: googleError(429, "Resource has been exhausted (e.g. check quota).", { status: "RESOURCE_EXHAUSTED" }),
      headers: { "content-type": JSON_TYPE },
    },
    { status: 429, code: "upstream_rate_limited", upstream: 429, retryAfter: "5", says: "Resource has been exhausted" },
  ],
  "500 api_error": [
    { status: 500, body: googleError("api_error", "An internal error has occurred."), headers: { "content-type": JSON_TYPE } },
    { status: 502, code: "upstream_unavailable", upstream: 500, says: "The Gemini API failed with 500: An internal error has occurred." },
  ],
  "503 with Retry-After": [
    {
      status: 503,
      body: googleError("service_unavailable", "The model is overloaded. Please try again later."),
      headers: { "content-type": JSON_TYPE, "retry-after": "2" },
    },
    { status: 502, code: "upstream_unavailable", upstream: 503, retryAfter: "2", retryAfterMs: 2000, says: "The model is overloaded." },
  ],
  "503 UNAVAILABLE": [
    {
      status: 503,
      body: googleError(503, "The service is currently unavailable.", { status: "UNAVAILABLE" }),
      headers: { "content-type": JSON_TYPE },
    },
    { status: 502, code: "upstream_unavailable", upstream: 503, says: "The service is currently unavailable." },
  ],
  "504 deadline_exceeded": [
    { status: 504, body: googleError("deadline_exceeded", "Deadline expired."), headers: { "content-type": JSON_TYPE } },
    { status: 504, code: "upstream_timeout", upstream: 504, says: "Deadline expired." },
  ],
  "404 HTML page (Google's front end, quoting the key in a URL)": [
    { status: 404, body: GFE_404, headers: { "content-type": HTML_TYPE } },
    { status: 404, code: "upstream_rejected", upstream: 404, says: "" },
  ],
  "502 HTML page": [
    { status: 502, body: GFE_502, headers: { "content-type": HTML_TYPE } },
    { status: 502, code: "upstream_unavailable", upstream: 502, says: "The Gemini API failed with 502" },
  ],
  "400 with a truncated JSON body": [
    { status: 400, body: '{"error":{"code":"invalid_request","mess', headers: { "content-type": JSON_TYPE } },
    { status: 400, code: "upstream_rejected", upstream: 400, says: "" },
  ],
  "500 with a truncated JSON body": [
    { status: 500, body: '{"error":{"code":"api_error","message":"An inter', headers: { "content-type": JSON_TYPE } },
    { status: 502, code: "upstream_unavailable", upstream: 500, says: "The Gemini API failed with 500" },
  ],
  "503 with an empty body": [
    { status: 503, body: "", headers: {} },
    { status: 502, code: "upstream_unavailable", upstream: 503, says: "The Gemini API failed with 503" },
  ],
  "400 with an empty JSON body": [
    { status: 400, body: "", headers: { "content-type": JSON_TYPE } },
    { status: 400, code: "upstream_rejected", upstream: 400, says: "" },
  ],
};

const answering =
  ({ status, body, headers }: Failure) =>
  () =>
    Promise.resolve(new Response(body === "" ? null : body, { status, headers }));

const live = () => new AbortController().signal;
const members = ['"model":"gemini-3.5-flash"', ",", '"input":"hi"'];
const forward = (stream: boolean) => ({
  body: new Blob([`{"model":"gemini-3.5-flash","input":"hi","store":false${stream ? ',"stream":true' : ""}}`]),
  apiVersion: "v1beta",
});

async function drain(events: AsyncIterable<UpstreamEvent>): Promise<void> {
  for await (const _ of events) void _;
}

/** Every call the module makes, each read to its end. */
const CALLS: Record<string, (upstream: Upstream) => Promise<unknown>> = {
  "turn, unary": (u) => u.createInteraction({ members }, live()),
  "turn, streamed": async (u) => drain(await u.streamInteraction({ members }, live())),
  "drop-in, unary": (u) => u.forwardInteraction(forward(false), live()),
  "drop-in, streamed": async (u) => drain(await u.forwardInteractionStream(forward(true), live())),
};

const redacted = (text: string) => text.split(KEY).join("[redacted]").split(encodeURIComponent(KEY)).join("[redacted]");

describe("Gemini's failure answers, as the upstream module reports them", () => {
  for (const [name, [failure, expected]] of Object.entries(CASES)) {
    for (const [callName, call] of Object.entries(CALLS)) {
      it(`${name} (${callName})`, async () => {
        const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none" });
        const err = await call(geminiUpstream(config, { fetch: answering(failure) })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RelayError);
        const relayError = err as RelayError;
        expect([relayError.status, relayError.code]).toEqual([expected.status, expected.code]);
        expect(relayError.detail).toContain(expected.says);
        if (expected.upstream === undefined) expect(relayError.upstream).toBeUndefined();
        else
          expect(relayError.upstream).toEqual({
            status: expected.upstream,
            body: redacted(failure.body),
            retryAfterMs: expected.retryAfterMs,
          });
        expect(relayError.headers).toEqual(expected.retryAfter ? { "retry-after": expected.retryAfter } : {});
        // The key in none of what a caller may see: detail, the problem, the drop-in's Google-shaped answer.
        const seen = JSON.stringify([relayError.detail, relayError.toProblem(), relayError.upstream, relayError.headers]);
        expect(seen).not.toContain(KEY);
        expect(seen).not.toContain(encodeURIComponent(KEY));
        expect(await googleErrorResponse(relayError).text()).not.toContain(KEY);
      });
    }
  }
});

describe("Gemini's failure answers, through the routes", () => {
  const post = (app: ReturnType<typeof relayOverFetch>, path: string, body: object) =>
    Promise.resolve(
      app.app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, app.env),
    );

  for (const [name, [failure, expected]] of Object.entries(CASES)) {
    for (const stream of [false, true]) {
      const mode = stream ? "streamed" : "unary";
      it(`${name}: /v1/turns, ${mode}: a problem with the mapped status and code, no key`, async () => {
        const res = await post(relayOverFetch(answering(failure)), "/v1/turns", { model: "gemini-3.5-flash", input: "hi", stream });
        const text = await res.text();
        expect(res.status, text).toBe(expected.status);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(JSON.parse(text)).toMatchObject({ status: expected.status, code: expected.code });
        if (expected.retryAfter) expect(res.headers.get("retry-after")).toBe(expected.retryAfter);
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(encodeURIComponent(KEY));
      });

      it(`${name}: the drop-in route, ${mode}: Gemini's status and body as received (key redacted), or the relay's own 502`, async () => {
        const res = await post(relayOverFetch(answering(failure)), "/v1beta/interactions", {
          model: "gemini-3.5-flash",
          input: "hi",
          stream,
        });
        const text = await res.text();
        expect(res.status, text).toBe(expected.upstream ?? expected.status);
        if (expected.upstream !== undefined) expect(text).toBe(redacted(failure.body));
        else expect(JSON.parse(text)).toMatchObject({ error: { code: "api_error" } });
        if (expected.retryAfter) expect(res.headers.get("retry-after")).toBe(expected.retryAfter);
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(encodeURIComponent(KEY));
      });
    }
  }
});

describe("an `error` event after the stream began", () => {
  const created =
    'event: interaction.created\ndata: {"interaction":{"id":"v1_x","status":"in_progress"},"event_type":"interaction.created"}\n\n';
  const errorEvent = (code: string, message: string) =>
    `event: error\ndata: ${JSON.stringify({ error: { code, message }, event_type: "error" })}\n\n`;
  const streaming = (event: string) => () =>
    Promise.resolve(new Response(created + event, { headers: { "content-type": "text/event-stream" } }));
  const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none" });

  const EVENT_CASES: [string, number, string][] = [
    ["invalid_request", 400, "upstream_rejected"],
    ["rate_limit_exceeded", 429, "upstream_rate_limited"],
    ["api_error", 502, "upstream_unavailable"],
    ["service_unavailable", 502, "upstream_unavailable"],
    ["deadline_exceeded", 504, "upstream_timeout"],
    ["gateway_timeout", 504, "upstream_timeout"],
    ["something_new", 502, "upstream_unavailable"],
  ];
  for (const [code, status, relayCode] of EVENT_CASES) {
    it(`${code}: a turn's stream yields it, then ends as ${status} ${relayCode}; the drop-in's forwards it and goes on`, async () => {
      const event = errorEvent(code, `Failed for key ${KEY}.`);
      const seen: UpstreamEvent[] = [];
      const err = await (async () => {
        for await (const e of await geminiUpstream(config, { fetch: streaming(event) }).streamInteraction({ members }, live()))
          seen.push(e);
      })().catch((e: unknown) => e);
      expect(seen.map((e) => e.type)).toEqual(["interaction.created", "error"]);
      expect(err).toBeInstanceOf(RelayError);
      expect([(err as RelayError).status, (err as RelayError).code]).toEqual([status, relayCode]);
      expect((err as RelayError).detail).toContain("Failed for key [redacted].");
      expect(JSON.stringify([seen, (err as RelayError).toProblem(), (err as RelayError).upstream])).not.toContain(KEY);

      const forwarded: UpstreamEvent[] = [];
      for await (const e of await geminiUpstream(config, { fetch: streaming(event) }).forwardInteractionStream(forward(true), live())) {
        forwarded.push(e);
      }
      expect(forwarded.map((e) => e.data)).toEqual(seen.map((e) => e.data));
    });
  }
});

describe("a failure answer without an error message", () => {
  const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none" });
  const detailOf = async (failure: Failure) =>
    (
      (await geminiUpstream(config, { fetch: answering(failure) })
        .createInteraction({ members }, live())
        .catch((e: unknown) => e)) as RelayError
    ).detail;

  it("is described by its type and its first 200 characters, whitespace folded", async () => {
    const detail = await detailOf({ status: 502, body: GFE_502, headers: { "content-type": HTML_TYPE } });
    expect(detail).toBe(
      `The Gemini API failed with 502: no error message (${HTML_TYPE}): ${GFE_502.replace(/\s+/g, " ").trim().slice(0, 200)}…`,
    );
    expect(await detailOf({ status: 503, body: "", headers: {} })).toBe("The Gemini API failed with 503: no error message (empty body)");
    expect(await detailOf({ status: 400, body: '{"error":{"code":"invalid_request","mess', headers: { "content-type": JSON_TYPE } })).toBe(
      `no error message (${JSON_TYPE}): {"error":{"code":"invalid_request","mess`,
    );
  });

  it("never quotes the key, even where the cut falls inside it", async () => {
    for (let at = 180; at <= 200; at++) {
      const body = `${"x".repeat(at)}${KEY}${"y".repeat(50)}`;
      const detail = await detailOf({ status: 500, body, headers: { "content-type": "text/plain" } });
      expect(detail).not.toContain(KEY.slice(0, 6));
    }
  });
});

describe("a 200 of a type other than the one asked for", () => {
  for (const [callName, call] of Object.entries(CALLS)) {
    it(`is a 502 the relay words itself, never the upstream's 200 passed on (${callName})`, async () => {
      const config = readConfig({ GEMINI_API_KEY: KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none" });
      const reply = { status: 200, body: "<html>login</html>", headers: { "content-type": "text/html" } };
      const err = (await call(geminiUpstream(config, { fetch: answering(reply) })).catch((e: unknown) => e)) as RelayError;
      expect([err.status, err.code, err.upstream]).toEqual([502, "upstream_unavailable", undefined]);
      expect(err.detail).toMatch(/a 200 reply of type text\/html where (application\/json|text\/event-stream) was asked for/);
    });
  }
});

// Every setting in the README's configuration table, walked against both routes that call Gemini
// (/v1/turns and the drop-in Interactions route): each is honoured, or says why it does not apply
// there (and, where it can, shows what happens instead). A row added to the table without a case
// here fails the first test.
import { sign } from "hono/jwt";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import readme from "../../README.md?raw";
import { readConfig, type Bindings } from "../../src/config";
import { MemoryRateLimiter } from "../../src/node/rate-limiter";
import { parseSse, relayWithEmulator } from "../helpers";

type Route = "turns" | "drop-in";
const ROUTES: Record<Route, string> = { turns: "/v1/turns", "drop-in": "/v1beta/interactions" };
const MODEL = "gemini-3.5-flash";
const BODY = { model: MODEL, input: "hi" };
const STEP = { type: "user_input", content: [{ type: "text", text: "hi" }] };

/** A relay on a fresh emulator; `urls` records where each upstream call went. */
function relayOn(route: Route, bindings: Partial<Bindings> = {}) {
  const { app, env, emulator } = relayWithEmulator(bindings);
  const urls: string[] = [];
  const serve = emulator.fetch.bind(emulator);
  emulator.fetch = (request) => {
    urls.push(request.url);
    return serve(request);
  };
  const request = (init: Omit<RequestInit, "headers"> & { headers?: Record<string, string>; duplex?: "half" }) =>
    Promise.resolve(
      app.request(ROUTES[route], { method: "POST", ...init, headers: { "content-type": "application/json", ...init.headers } }, env),
    );
  const send = (body: object = BODY, headers: Record<string, string> = {}) => request({ body: JSON.stringify(body), headers });
  /** The status, the body read to its end (so streams finish). */
  const status = async (body?: object, headers?: Record<string, string>) => {
    const res = await send(body, headers);
    await res.text();
    return res.status;
  };
  return { app, env, emulator, urls, request, send, status };
}

/** The route's error code: problem details on /v1/turns, Google's shape on the drop-in route. */
async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { code?: string; detail?: string; error?: { code: string; message: string } };
  return body.error
    ? { status: res.status, code: body.error.code, message: body.error.message }
    : { status: res.status, code: body.code!, message: body.detail! };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const JWT_SECRET = "a-long-random-hs256-secret-for-the-settings-test-0123456789abcdef";
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;
const TRANSCRIPT_KEY = "k1:0123456789abcdef0123456789abcdef-settings";
const denyAll: RateLimit = { limit: () => Promise.resolve({ success: false }) };

/** The Node listener caps connections before any request is read, so no route sees it (test/node/server.test.ts holds it). */
const CONNECTIONS_ONLY = "a Node listener setting: it caps connections before any request is read or routed (test/node/server.test.ts)";

type Check = (route: Route) => Promise<void>;
/** Honoured on a route (`check` shows it), or not applicable there, with the reason and, if any, what holds instead. */
type Case = { check: Check } | { notApplicable: string; check?: Check };

const both = (check: Check): Record<Route, Case> => ({ turns: { check }, "drop-in": { check } });

const SETTINGS: Record<string, Record<Route, Case>> = {
  GEMINI_API_KEY: both(async (route) => {
    const relay = relayOn(route, { GEMINI_API_KEY: "operator-key-9f8e7d" });
    expect(await relay.status()).toBe(200);
    expect(relay.emulator.requests[0]!.headers["x-goog-api-key"]).toBe("operator-key-9f8e7d");
  }),

  GEMINI_BASE_URL: both(async (route) => {
    const relay = relayOn(route, { GEMINI_BASE_URL: "http://egress-proxy.test/gemini" });
    expect(await relay.status()).toBe(200);
    expect(relay.urls).toEqual(["http://egress-proxy.test/gemini/v1beta/interactions"]);
  }),

  GEMINI_API_VERSION: both(async (route) => {
    const relay = relayOn(route, { GEMINI_API_VERSION: "v1" });
    // The drop-in path says v1beta (the SDK's default); the operator's pin wins.
    for (const stream of [false, true]) expect(await relay.status({ ...BODY, stream })).toBe(200);
    expect(relay.emulator.requests.map((r) => r.path)).toEqual(["/v1/interactions", "/v1/interactions"]);
  }),

  AUTH_MODE: both(async (route) => {
    const RELAY_TOKENS = "relay-token-0123456789abcdef0123456789abcdef";
    // tokens, set or left as the default: a call without a relay token is refused.
    expect(await relayOn(route, { AUTH_MODE: "tokens", RELAY_TOKENS }).status()).toBe(401);
    expect(await relayOn(route, { AUTH_MODE: undefined, RELAY_TOKENS }).status()).toBe(401);
    expect(await relayOn(route, { AUTH_MODE: "none", RELAY_TOKENS }).status()).toBe(200);
  }),

  RELAY_TOKENS: both(async (route) => {
    const token = "relay-token-0123456789abcdef0123456789abcdef";
    const relay = relayOn(route, { AUTH_MODE: "tokens", RELAY_TOKENS: token });
    expect(await relay.status(BODY, bearer(token))).toBe(200);
    // The official SDKs send their apiKey as x-goog-api-key.
    expect(await relay.status(BODY, { "x-goog-api-key": token })).toBe(200);
    expect(await relay.status(BODY, bearer(`${token}x`))).toBe(401);
  }),

  JWT_SECRET: both(async (route) => {
    const relay = relayOn(route, { AUTH_MODE: "jwt", JWT_SECRET });
    expect(await relay.status(BODY, bearer(await sign({ sub: "u1", exp: inAMinute() }, JWT_SECRET)))).toBe(200);
    expect(await relay.status(BODY, bearer(await sign({ sub: "u1", exp: inAMinute() }, `${JWT_SECRET}-other`)))).toBe(401);
  }),

  JWT_JWKS_URL: both(async (route) => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    // Only the JWKS fetch uses the global fetch (the upstream has its own); a URL per route, as keys are cached per URL.
    const jwksUrl = `https://issuer.example/${route}/jwks.json`;
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ keys: [publicJwk] }));
    const claims = { sub: "u1", aud: "relay", iss: "https://issuer.example", exp: inAMinute() };
    const relay = relayOn(route, { AUTH_MODE: "jwt", JWT_JWKS_URL: jwksUrl, JWT_AUDIENCE: "relay", JWT_ISSUER: "https://issuer.example" });
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(privateKey);
    expect(await relay.status(BODY, bearer(token))).toBe(200);
    expect(await relay.status(BODY, bearer(await sign(claims, JWT_SECRET)))).toBe(401);
  }),

  JWT_AUDIENCE: both(async (route) => {
    const relay = relayOn(route, { AUTH_MODE: "jwt", JWT_SECRET, JWT_AUDIENCE: "relay" });
    expect(await relay.status(BODY, bearer(await sign({ sub: "u1", aud: "relay", exp: inAMinute() }, JWT_SECRET)))).toBe(200);
    expect(await relay.status(BODY, bearer(await sign({ sub: "u1", aud: "another-app", exp: inAMinute() }, JWT_SECRET)))).toBe(401);
  }),

  JWT_ISSUER: both(async (route) => {
    const relay = relayOn(route, { AUTH_MODE: "jwt", JWT_SECRET, JWT_ISSUER: "https://issuer.example" });
    const token = (iss: string) => sign({ sub: "u1", iss, exp: inAMinute() }, JWT_SECRET);
    expect(await relay.status(BODY, bearer(await token("https://issuer.example")))).toBe(200);
    expect(await relay.status(BODY, bearer(await token("https://someone-else.example")))).toBe(401);
  }),

  ALLOWED_MODELS: both(async (route) => {
    const relay = relayOn(route, { ALLOWED_MODELS: MODEL });
    expect(await relay.status()).toBe(200);
    expect(await errorOf(await relay.send({ ...BODY, model: "gemini-3.5-pro" }))).toMatchObject({ status: 403 });
    expect(await errorOf(await relay.send({ input: "hi" }))).toMatchObject({ status: 400, message: expect.stringMatching(/model/) });
    expect(relay.emulator.requests).toHaveLength(1);
  }),

  CORS_ORIGINS: both(async (route) => {
    const relay = relayOn(route, { CORS_ORIGINS: "https://app.example" });
    const preflight = (origin: string) =>
      relay.request({ method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } }).then((res) => res.headers);
    expect((await preflight("https://app.example")).get("access-control-allow-origin")).toBe("https://app.example");
    expect((await preflight("https://evil.example")).get("access-control-allow-origin")).toBeNull();
    const res = await relay.send(BODY, { origin: "https://app.example" });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
  }),

  ALLOW_GROUNDING: both(async (route) => {
    const body = { ...BODY, tools: [{ type: "google_search" }] };
    expect(await relayOn(route).status(body)).toBe(400);
    const allowed = relayOn(route, { ALLOW_GROUNDING: "true" });
    expect(await allowed.status(body)).toBe(200);
    expect(allowed.emulator.requests).toHaveLength(1);
  }),

  ALLOW_STORED_RESOURCES: both(async (route) => {
    const body = { ...BODY, tools: [{ type: "file_search", file_search_store_names: ["fileSearchStores/manuals"] }] };
    expect(await relayOn(route).status(body)).toBe(400);
    const allowed = relayOn(route, { ALLOW_STORED_RESOURCES: "true" });
    await allowed.status(body);
    expect(allowed.emulator.requests).toHaveLength(1);
  }),

  UPSTREAM_TIMEOUT_MS: both(async (route) => {
    const relay = relayOn(route, { UPSTREAM_TIMEOUT_MS: "50" });
    relay.emulator.script(MODEL, { steps: [{ type: "model_output", content: [{ type: "text", text: "late" }] }], delayMs: 2_000 });
    expect(await relay.status()).toBe(504);
  }),

  UPSTREAM_MAX_RETRIES: {
    turns: {
      check: async () => {
        const relay = relayOn("turns", { UPSTREAM_MAX_RETRIES: "1" });
        relay.emulator.script(MODEL, { error: { status: 503, message: "overloaded" } });
        expect(await relay.status()).toBe(200);
        expect(relay.emulator.requests).toHaveLength(2);
      },
    },
    "drop-in": {
      notApplicable: "the drop-in route never retries: the caller's SDK does (up to 5 attempts), so the relay's would multiply them",
      check: async () => {
        const relay = relayOn("drop-in", { UPSTREAM_MAX_RETRIES: "2" });
        relay.emulator.script(MODEL, { error: { status: 503, message: "overloaded" } });
        expect(await relay.status()).toBe(503);
        expect(relay.emulator.requests).toHaveLength(1);
      },
    },
  },

  STREAM_KEEPALIVE_MS: both(async (route) => {
    const relay = relayOn(route, { STREAM_KEEPALIVE_MS: "20" });
    relay.emulator.script(MODEL, {
      steps: [{ type: "model_output", content: [{ type: "text", text: "done" }] }],
      stream: { pauseMs: 120 },
    });
    const { comments } = parseSse(await (await relay.send({ ...BODY, stream: true })).text());
    expect(comments).toContain("keep-alive");
  }),

  STREAM_OPEN_WAIT_MS: both(async (route) => {
    const slow = { steps: [{ type: "model_output", content: [{ type: "text", text: "done" }] }], delayMs: 150 };
    const firstComments = async (bindings: Partial<Bindings>) => {
      const relay = relayOn(route, bindings);
      relay.emulator.script(MODEL, slow);
      return parseSse(await (await relay.send({ ...BODY, stream: true })).text()).comments;
    };
    expect(await firstComments({ STREAM_OPEN_WAIT_MS: "0" })).toContain("waiting for the Gemini API");
    expect(await firstComments({ STREAM_OPEN_WAIT_MS: "5000" })).not.toContain("waiting for the Gemini API");
  }),

  RETRY_AFTER_MAX_MS: {
    turns: {
      check: async () => {
        const relay = relayOn("turns", { UPSTREAM_MAX_RETRIES: "2", RETRY_AFTER_MAX_MS: "100" });
        relay.emulator.script(MODEL, { error: { status: 429, retryAfterSeconds: 30 } });
        const res = await relay.send();
        expect([res.status, res.headers.get("retry-after")]).toEqual([429, "30"]);
        expect(relay.emulator.requests).toHaveLength(1);
        relay.emulator.script(MODEL, { error: { status: 429, retryAfterMs: 10 } });
        expect(await relay.status()).toBe(200);
      },
    },
    "drop-in": {
      notApplicable: "the drop-in route never retries, so it waits out no Retry-After: Gemini's goes to the caller's SDK as received",
      check: async () => {
        const relay = relayOn("drop-in", { UPSTREAM_MAX_RETRIES: "2", RETRY_AFTER_MAX_MS: "60000" });
        relay.emulator.script(MODEL, { error: { status: 429, retryAfterMs: 10 } });
        expect(await relay.status()).toBe(429);
        expect(relay.emulator.requests).toHaveLength(1);
      },
    },
  },

  BODY_TIMEOUT_MS: both(async (route) => {
    const relay = relayOn(route, { BODY_TIMEOUT_MS: "100" });
    const stalled = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"model":"m",')),
    });
    const res = await relay.request({ body: stalled, duplex: "half" });
    expect(res.status).toBe(408);
  }),

  MAX_BODY_BYTES: both(async (route) => {
    const relay = relayOn(route, { MAX_BODY_BYTES: "1024" });
    expect(await relay.status({ ...BODY, input: "x".repeat(2_000) })).toBe(413);
    expect(await relay.status()).toBe(200);
  }),

  MAX_STEPS: both(async (route) => {
    const relay = relayOn(route, { MAX_STEPS: "2" });
    expect(await relay.status({ ...BODY, input: [STEP, STEP, STEP] })).toBe(413);
    expect(await relay.status({ ...BODY, input: [STEP, STEP] })).toBe(200);
    expect(relay.emulator.requests).toHaveLength(1);
  }),

  MAX_JSON_DEPTH: both(async (route) => {
    const nested = (depth: number): unknown => (depth === 0 ? "x" : { a: nested(depth - 1) });
    const body = (depth: number) => ({ ...BODY, tools: [{ type: "function", name: "f", parameters: nested(depth) }] });
    const relay = relayOn(route, { MAX_JSON_DEPTH: "16" });
    expect(await errorOf(await relay.send(body(30)))).toMatchObject({ status: 400, message: expect.stringMatching(/MAX_JSON_DEPTH/) });
    expect(relay.emulator.requests).toHaveLength(0);
  }),

  PASSTHROUGH_FIELDS: both(async (route) => {
    expect(await errorOf(await relayOn(route).send({ ...BODY, new_field: 1 }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Unknown field `new_field`/),
    });
    const relay = relayOn(route, { PASSTHROUGH_FIELDS: "new_field" });
    await relay.status({ ...BODY, new_field: 1 });
    // Through to Gemini as sent (the emulator, like Gemini today, then refuses a field it does not know).
    expect(relay.emulator.requests[0]!.body).toMatchObject({ new_field: 1 });
  }),

  CALLER_RATE_LIMIT: both(async (route) => {
    const relay = relayOn(route, { CALLER_RATE_LIMIT: denyAll });
    expect(await relay.status()).toBe(429);
    expect(relay.emulator.requests).toHaveLength(0);
  }),

  RATE_LIMIT_PERIOD_SECONDS: both(async (route) => {
    const res = await relayOn(route, { CALLER_RATE_LIMIT: denyAll, RATE_LIMIT_PERIOD_SECONDS: "7" }).send();
    expect([res.status, res.headers.get("retry-after")]).toEqual([429, "7"]);
  }),

  // Node only: the Node entry builds its in-memory limiter from it (src/node/server.ts), as here.
  RATE_LIMIT_REQUESTS: both(async (route) => {
    const bindings = { RATE_LIMIT_REQUESTS: "1" };
    const relay = relayOn(route, { ...bindings, CALLER_RATE_LIMIT: new MemoryRateLimiter(readConfig(bindings).rateLimit) });
    expect(await relay.status()).toBe(200);
    expect(await relay.status()).toBe(429);
  }),

  MAX_CONNECTIONS: {
    turns: { notApplicable: CONNECTIONS_ONLY },
    "drop-in": { notApplicable: CONNECTIONS_ONLY },
  },

  TRANSCRIPT_KEYS: {
    turns: {
      check: async () => {
        const res = await relayOn("turns", { TRANSCRIPT_KEYS: TRANSCRIPT_KEY }).send();
        expect(((await res.json()) as { attestation?: string }).attestation).toMatch(/^v2\.k1\./);
      },
    },
    "drop-in": {
      notApplicable:
        "the Interactions body has no field for an attestation, so the drop-in route answers as without keys (TRANSCRIPT_MODE=require refuses the route, below)",
      check: async () => {
        const res = await relayOn("drop-in", { TRANSCRIPT_KEYS: TRANSCRIPT_KEY }).send();
        expect(res.status).toBe(200);
        expect(await res.json()).not.toHaveProperty("attestation");
      },
    },
  },

  TRANSCRIPT_MODE: {
    turns: {
      check: async () => {
        const relay = relayOn("turns", { TRANSCRIPT_KEYS: TRANSCRIPT_KEY, TRANSCRIPT_MODE: "require" });
        const history = [STEP, { type: "model_output", content: [{ type: "text", text: "made up" }] }];
        expect(await errorOf(await relay.send({ ...BODY, history }))).toMatchObject({ code: "attestation_failed" });
        expect(relay.emulator.requests).toHaveLength(0);
      },
    },
    "drop-in": {
      check: async () => {
        const relay = relayOn("drop-in", { TRANSCRIPT_KEYS: TRANSCRIPT_KEY, TRANSCRIPT_MODE: "require" });
        expect(await errorOf(await relay.send())).toMatchObject({ status: 403, code: "permission_denied" });
      },
    },
  },

  TRANSCRIPT_ALLOW_DROP_IN: {
    turns: {
      notApplicable: "it opens the drop-in route in require mode; /v1/turns carries attestations and still requires them",
      check: async () => {
        const relay = relayOn("turns", { TRANSCRIPT_KEYS: TRANSCRIPT_KEY, TRANSCRIPT_MODE: "require", TRANSCRIPT_ALLOW_DROP_IN: "true" });
        const history = [STEP, { type: "model_output", content: [{ type: "text", text: "made up" }] }];
        expect(await errorOf(await relay.send({ ...BODY, history }))).toMatchObject({ code: "attestation_failed" });
      },
    },
    "drop-in": {
      check: async () => {
        const bindings = { TRANSCRIPT_KEYS: TRANSCRIPT_KEY, TRANSCRIPT_MODE: "require", TRANSCRIPT_ALLOW_DROP_IN: "true" };
        expect(await relayOn("drop-in", bindings).status()).toBe(200);
      },
    },
  },

  TRANSCRIPT_BIND_CALLER: {
    turns: {
      check: async () => {
        const [alice, bob] = ["relay-token-alice-0123456789abcdef0123456789", "relay-token-bob-0123456789abcdef0123456789abc"];
        const relay = relayOn("turns", {
          AUTH_MODE: "tokens",
          RELAY_TOKENS: `${alice},${bob}`,
          TRANSCRIPT_KEYS: TRANSCRIPT_KEY,
          TRANSCRIPT_BIND_CALLER: "true",
        });
        const { history, attestation } = (await (await relay.send(BODY, bearer(alice))).json()) as {
          history: unknown[];
          attestation: string;
        };
        expect(attestation).toMatch(/\.caller$/);
        const next = { ...BODY, history, attestation };
        expect(await errorOf(await relay.send(next, bearer(bob)))).toMatchObject({
          code: "attestation_failed",
          message: expect.stringMatching(/another caller/),
        });
        expect(await relay.status(next, bearer(alice))).toBe(200);
      },
    },
    "drop-in": {
      notApplicable:
        "the Interactions body has no field for an attestation, so there is nothing to bind: the drop-in route answers as without it",
      check: async () => {
        const token = "relay-token-alice-0123456789abcdef0123456789";
        const bindings = { AUTH_MODE: "tokens", RELAY_TOKENS: token, TRANSCRIPT_KEYS: TRANSCRIPT_KEY, TRANSCRIPT_BIND_CALLER: "true" };
        expect(await relayOn("drop-in", bindings).status(BODY, bearer(token))).toBe(200);
      },
    },
  },
};

/** The setting names of the README's configuration table (a row may name two, e.g. `JWT_SECRET` / `JWT_JWKS_URL`). */
function documentedSettings(): string[] {
  const section = readme.slice(readme.indexOf("\n## Configuration\n"), readme.indexOf("\n## ", readme.indexOf("\n## Configuration\n") + 1));
  const rows = section.split("\n").filter((line) => line.startsWith("| `"));
  return rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("every setting in the README's configuration table, on both routes", () => {
  it("has a case here for each row of the table, and none for a setting it does not list", () => {
    const documented = documentedSettings();
    expect(documented.length).toBeGreaterThan(20);
    expect(Object.keys(SETTINGS).sort()).toEqual([...documented].sort());
  });

  for (const [name, routes] of Object.entries(SETTINGS)) {
    for (const [route, entry] of Object.entries(routes) as [Route, Case][]) {
      const title =
        "notApplicable" in entry ? `${name} on ${route}: not applicable, ${entry.notApplicable}` : `${name} is honoured on ${route}`;
      it(title, async () => {
        if ("notApplicable" in entry) expect(entry.notApplicable.length).toBeGreaterThan(20);
        await entry.check?.(route);
      });
    }
  }
});

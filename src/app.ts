/**
 * createApp(deps): the Hono app. First the /docs page's Scalar bundle where the runtime has no static
 * assets (Node). Then middleware in order: request id, log and timings → API and transcript
 * response headers → config and upstream session → CORS → public routes → caller (failed-auth
 * throttle, auth, rate limit) → routes; one error handler; not-found. Tests build it with their own upstream; src/index.ts builds it for production, and
 * src/node/server.ts with the socket's address as the client's.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { TrieRouter } from "hono/router/trie-router";
import { ATTESTATION_WARNING_HEADER } from "./turn/attestation";
import { authenticate, rateLimitKey } from "./http/auth";
import { FailedAuthThrottle } from "./http/auth-throttle";
import { readConfig, type Config } from "./config";
import { RelayError, googleErrorResponse, toRelayError } from "./errors";
import { ATTEMPTS_HEADER, observe } from "./http/observe";
import { PREFERENCE_APPLIED_HEADER } from "./http/prefer";
import { retentionHeader } from "./turn/retention";
import { REFERENCE_BUNDLE } from "./openapi/page";
import { referenceBundle, service } from "./routes/service";
import { DROP_IN_PATH, interactions } from "./routes/interactions";
import { turns } from "./routes/turns";
import { geminiUpstream } from "./upstream/gemini";
import { UpstreamSession } from "./upstream/session";
import type { Upstream } from "./upstream/upstream";
import type { AppEnv } from "./env";

export interface AppDeps {
  /** Builds the upstream for one request; defaults to the Gemini client (upstream/gemini.ts). */
  makeUpstream?: (config: Config) => Upstream;
  /**
   * The address of the client that sent the request, where the runtime knows it: on Workers the
   * cf-connecting-ip header Cloudflare sets (a client cannot forge it there); on Node the socket's.
   * It keys the failed-auth throttle, and the rate limit with AUTH_MODE=none.
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * Reads Scalar's browser bundle, which GET /docs loads from REFERENCE_BUNDLE. Workers serve that
   * file from their static assets (wrangler.toml [assets]) before the app runs, so only the Node
   * entry passes this; the app reads it once, on first request.
   */
  readReferenceBundle?: () => Promise<Uint8Array<ArrayBuffer>>;
}

/** Response headers browsers may read (CORS). */
const EXPOSED_HEADERS = [
  "Request-Id",
  "Server-Timing",
  "Relay-Retention",
  "Retry-After",
  ATTEMPTS_HEADER,
  ATTESTATION_WARNING_HEADER,
  PREFERENCE_APPLIED_HEADER,
];
/** The caller's remaining budget of upstream attempts for this request (its typed client sends it on retries). */
const BUDGET_HEADER = "relay-retry-budget";

const cloudflareClientAddress = (request: Request) => request.headers.get("cf-connecting-ip") ?? undefined;

export function createApp({
  makeUpstream = (config) => geminiUpstream(config),
  clientAddress = cloudflareClientAddress,
  readReferenceBundle,
}: AppDeps = {}): Hono<AppEnv> {
  // The router hono's default settles on for these routes: its first choice, the RegExpRouter, cannot
  // take one of them, and finding that out cost each new isolate's first request ~1.5 ms.
  const app = new Hono<AppEnv>({ router: new TrieRouter() });

  // A static file, public and cacheable: served before the middleware, as Workers serve their assets
  // before the Worker runs (no auth, no no-store, the same answer on both runtimes).
  if (readReferenceBundle) app.get(REFERENCE_BUNDLE, referenceBundle(readReferenceBundle));

  app.use(observe());
  app.use(responseHeaders());
  app.use(configAndUpstream(makeUpstream));
  app.use(corsFromConfig());

  // Open routes (no caller auth): health and the API contract.
  app.route("/", service);
  app.use(identifyCaller(clientAddress, new FailedAuthThrottle()));
  app.route("/v1/turns", turns);
  app.route("/", interactions);

  app.notFound((c) => {
    throw new RelayError(404, "not_found", { detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}. See POST /v1/turns.` });
  });
  app.onError((err, c) => {
    const relayError = toRelayError(err);
    if (relayError.code === "internal_error") {
      // Content-free: the error's class only, never its message (it may quote the request).
      console.error(
        JSON.stringify({
          level: "error",
          request_id: c.get("requestId"),
          error: relayError.cause instanceof Error ? relayError.cause.name : typeof relayError.cause,
        }),
      );
    }
    // One error type, two renderings: problem details on /v1/*, Google's shape where SDKs call.
    return DROP_IN_PATH.test(c.req.path) ? googleErrorResponse(relayError) : relayError.getResponse();
  });
  return app;
}

/**
 * Answers are for the caller alone: never cached by a browser or a proxy on the way (a turn's reply
 * is private data), and never content-sniffed into something other than their declared type. Every
 * response says what it left behind (Relay-Retention), errors included (they left nothing).
 */
function responseHeaders(): MiddlewareHandler<AppEnv> {
  return async function responseHeadersPerRequest(c, next) {
    await next();
    const headers = c.res.headers;
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Cache-Control", "no-store");
    headers.set("Relay-Retention", retentionHeader(c.get("retention")));
    const attestationWarning = c.get("attestationWarning");
    if (attestationWarning) headers.set(ATTESTATION_WARNING_HEADER, attestationWarning);
  };
}

/**
 * The config and the upstream session, each built on first use (routes that never call Gemini need no
 * key). The upstream client is one per config, as an SDK client is made once: it holds the settings
 * and the key, never anything a request carried.
 */
function configAndUpstream(makeUpstream: (config: Config) => Upstream): MiddlewareHandler<AppEnv> {
  const upstreams = new WeakMap<Config, Upstream>();
  const upstreamFor = (config: Config) => {
    let upstream = upstreams.get(config);
    if (!upstream) upstreams.set(config, (upstream = makeUpstream(config)));
    return upstream;
  };
  return async function configPerRequest(c, next) {
    let config: Config | undefined;
    let session: UpstreamSession | undefined;
    const configOnce = () => (config ??= readConfig(c.env ?? {}));
    c.set("config", configOnce);
    c.set(
      "upstream",
      () =>
        (session ??= new UpstreamSession(
          upstreamFor(configOnce()),
          configOnce(),
          c.get("metrics"),
          c.req.raw.signal,
          attemptBudget(c.req.header(BUDGET_HEADER)),
        )),
    );
    await next();
  };
}

/** A budget header is a small positive integer; anything else is ignored (the relay's own limit applies). */
function attemptBudget(value: string | undefined): number | undefined {
  const budget = Number(value);
  return value !== undefined && Number.isInteger(budget) && budget >= 1 && budget <= 10 ? budget : undefined;
}

/**
 * CORS for browser apps: only the configured origins, nothing by default; preflights answered here.
 * A request without an Origin header is no CORS request (browsers send one on every cross-origin
 * call and preflight), so it skips the middleware: hono's sets its headers on a placeholder response
 * and then copies them, two Response objects per request that only a browser reads.
 */
function corsFromConfig(): MiddlewareHandler<AppEnv> {
  // Built once per config (one per isolate on Workers), not per request.
  const handlers = new WeakMap<Config, MiddlewareHandler<AppEnv>>();
  return async function corsPerRequest(c, next) {
    if (c.req.header("origin") === undefined) return next();
    const config = c.get("config")();
    let handler = handlers.get(config);
    if (!handler) {
      const { corsOrigins } = config;
      handler = cors({
        origin: (origin) => (corsOrigins.includes(origin) ? origin : null),
        allowMethods: ["POST", "GET", "OPTIONS"],
        allowHeaders: ["content-type", "content-encoding", "authorization", "x-goog-api-key", "request-id", "prefer", BUDGET_HEADER],
        exposeHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      });
      handlers.set(config, handler);
    }
    return handler(c, next);
  };
}

/**
 * Throttles a client that failed authentication too often, authenticates the caller, and applies its
 * rate limit; the caller id is a hash, safe to log. The throttle is one per app: per isolate on
 * Workers, per process on Node. A client whose address the runtime does not give shares one count.
 */
function identifyCaller(clientAddress: (request: Request) => string | undefined, throttle: FailedAuthThrottle): MiddlewareHandler<AppEnv> {
  return async function callerPerRequest(c, next) {
    const config = c.get("config")();
    const address = clientAddress(c.req.raw);
    const client = address ?? "unknown";
    const wait = throttle.waitSeconds(client);
    if (wait > 0) {
      throw new RelayError(429, "rate_limited", {
        detail: `Too many failed authentications from this client; wait ${wait} seconds.`,
        headers: { "retry-after": String(wait) },
      });
    }
    const caller = await authenticate(c.req.raw.headers, config.auth, config.runtime).catch((err: unknown) => {
      if (err instanceof RelayError && err.status === 401) throttle.recordFailure(client);
      throw err;
    });
    c.set("caller", caller);
    c.get("metrics").caller = caller.id;
    if (config.rateLimiter) {
      const { success } = await config.rateLimiter.limit({ key: await rateLimitKey(caller, address) });
      if (!success) {
        const { periodSeconds } = config.rateLimit;
        throw new RelayError(429, "rate_limited", {
          detail: `This caller sent too many requests; wait ${periodSeconds} seconds.`,
          headers: { "retry-after": String(periodSeconds) },
        });
      }
    }
    await next();
  };
}

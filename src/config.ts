/**
 * The worker's configuration: read from its bindings (wrangler [vars], secrets and the rate-limit
 * binding), validated on first use and kept per bindings object (a Worker sees its env only with a
 * request, but it is one object for the isolate's life), and typed for everything downstream. A malformed value is a clear configuration error, never a crash.
 */
import * as z from "zod/mini";
import {
  configurationError,
  flag,
  howToSet,
  upstreamUrl,
  integer,
  invalidSettings,
  jwksUrl,
  jwtSecret,
  list,
  optionalString,
  relayTokens,
  transcriptKeys,
  type Runtime,
  type TranscriptKey,
} from "./config-values";
import { NOT_PASSTHROUGH } from "./fields";
import { lazy } from "./lazy";

/** The bindings the relay reads. Vars and secrets are strings; CALLER_RATE_LIMIT is a Rate Limiting binding. */
export interface Bindings {
  GEMINI_API_KEY?: string;
  GEMINI_BASE_URL?: string;
  GEMINI_API_VERSION?: string;
  UPSTREAM_TIMEOUT_MS?: string;
  UPSTREAM_MAX_RETRIES?: string;
  STREAM_KEEPALIVE_MS?: string;
  STREAM_OPEN_WAIT_MS?: string;
  RETRY_AFTER_MAX_MS?: string;
  BODY_TIMEOUT_MS?: string;
  ALLOW_GROUNDING?: string;
  ALLOW_STORED_RESOURCES?: string;
  AUTH_MODE?: string;
  RELAY_TOKENS?: string;
  JWT_SECRET?: string;
  JWT_JWKS_URL?: string;
  JWT_AUDIENCE?: string;
  JWT_ISSUER?: string;
  ALLOWED_MODELS?: string;
  CORS_ORIGINS?: string;
  MAX_BODY_BYTES?: string;
  MAX_STEPS?: string;
  MAX_JSON_DEPTH?: string;
  PASSTHROUGH_FIELDS?: string;
  TRANSCRIPT_KEYS?: string;
  TRANSCRIPT_MODE?: string;
  TRANSCRIPT_ALLOW_DROP_IN?: string;
  TRANSCRIPT_BIND_CALLER?: string;
  RATE_LIMIT_REQUESTS?: string;
  RATE_LIMIT_PERIOD_SECONDS?: string;
  CALLER_RATE_LIMIT?: RateLimit;
  /** Set by the entry, never by an operator: where the relay runs, so errors say how to set a setting there. */
  RUNTIME?: Runtime;
}

export type AuthMode = "tokens" | "jwt" | "none";

/** off: today's behaviour; verify: attest, and verify what comes back attested; require: refuse unattested model steps. */
export type TranscriptMode = "off" | "verify" | "require";

export interface Config {
  /** Where the relay runs: decides how a configuration error says to set a missing setting. */
  runtime: Runtime;
  /** Checked when the upstream is first needed (requireApiKey), so validation errors never wait on it. */
  apiKey?: string;
  /** Where upstream requests go; undefined means the SDK's default (Google). */
  baseUrl?: string;
  /** Pins the API version path segment (v1, v1beta, ...); undefined means the SDK's default. */
  apiVersion?: string;
  /** Deadline for one caller request's upstream work, retries included; past it the caller gets a 504. */
  upstreamTimeoutMs: number;
  /** Extra upstream attempts after a 429/500/503 (before any reply byte), within the deadline. */
  upstreamMaxRetries: number;
  /** Silence on a streamed turn after which the relay sends an SSE comment, so proxies keep the connection. */
  streamKeepAliveMs: number;
  /**
   * How long a streamed turn waits for the upstream's answer before it starts its own response
   * (headers, then keep-alives), so a slow first byte never meets a proxy's idle timeout.
   */
  streamOpenWaitMs: number;
  /** The longest upstream Retry-After the relay waits out itself; a longer one goes to the caller as a 429. */
  retryAfterMaxMs: number;
  /** How long the caller may take to send its whole body; a stalled body gets a 408. */
  bodyTimeoutMs: number;
  /** Google Search / Maps grounding (Google keeps those prompts and results for 30 days). Off by default. */
  allowGrounding: boolean;
  /** File search stores and Files API URIs (resources stored at Google). Off by default. */
  allowStoredResources: boolean;
  auth: {
    mode: AuthMode;
    /** Accepted bearer tokens (tokens mode). */
    tokens: string[];
    /** HS256 secret, or a JWKS URL for RS256/ES256 (jwt mode). */
    jwtSecret?: string;
    jwksUrl?: string;
    audience?: string;
    issuer?: string;
  };
  /** Models callers may use; undefined means any. */
  allowedModels?: string[];
  /** Browser origins allowed by CORS; empty means none. */
  corsOrigins: string[];
  maxBodyBytes: number;
  maxSteps: number;
  maxJsonDepth: number;
  /** Request fields the relay does not know that the operator lets through to Gemini as sent. */
  extraPassthroughFields: string[];
  /** Tamper-evident transcripts (issue 12): the mode, the keys (the first signs, all verify), the drop-in opt-in. */
  transcript: {
    mode: TranscriptMode;
    keys: TranscriptKey[];
    /** Lets the drop-in route (which cannot carry an attestation) run in require mode. */
    allowDropIn: boolean;
    /** Attestations bind the authenticated caller (TRANSCRIPT_BIND_CALLER; see attestation.ts); absent: false. */
    bindCaller?: boolean;
  };
  /**
   * Requests per caller per period. On Workers the CALLER_RATE_LIMIT binding counts (its limit and
   * period are in wrangler.toml) and only the period is read here, for Retry-After; on Node both
   * size the in-memory limiter (src/node/rate-limiter.ts).
   */
  rateLimit: { requests: number; periodSeconds: number };
  rateLimiter?: RateLimit;
}

/** Fields no operator setting may pass through: the relay writes them itself, or refuses them to keep nothing stored (src/fields.ts). */
const RELAY_OWNED_FIELDS = new Set(NOT_PASSTHROUGH);

/**
 * The bindings' schema, built by the first request (lazy.ts). Every request reads the settings, so this
 * moves its cost (~2 ms in workerd, most of it zod's first use) from the cold start to that request,
 * rather than saving it: what it buys is startup CPU well under issue 22's 10 ms on a loaded machine.
 */
const configSchema = lazy(() =>
  z.object({
    GEMINI_API_KEY: optionalString(),
    GEMINI_BASE_URL: z.pipe(optionalString(), z.optional(upstreamUrl())),
    GEMINI_API_VERSION: z.pipe(
      optionalString(),
      z.optional(z.string().check(z.regex(/^v\d+(?:(?:alpha|beta)\d*)?$/, "must look like v1, v1beta or v1alpha"))),
    ),
    UPSTREAM_TIMEOUT_MS: integer(300_000, 1, 3_600_000),
    UPSTREAM_MAX_RETRIES: integer(2, 0, 5),
    STREAM_KEEPALIVE_MS: integer(15_000, 1, 3_600_000),
    STREAM_OPEN_WAIT_MS: integer(10_000, 0, 60_000),
    RETRY_AFTER_MAX_MS: integer(5_000, 0, 60_000),
    BODY_TIMEOUT_MS: integer(30_000, 100, 600_000),
    ALLOW_GROUNDING: flag(),
    ALLOW_STORED_RESOURCES: flag(),
    AUTH_MODE: z.pipe(
      optionalString(),
      z._default(z.enum(["tokens", "jwt", "none"], { error: 'must be "tokens", "jwt" or "none"' }), "tokens"),
    ),
    RELAY_TOKENS: relayTokens(),
    JWT_SECRET: jwtSecret(),
    JWT_JWKS_URL: jwksUrl(),
    JWT_AUDIENCE: optionalString(),
    JWT_ISSUER: optionalString(),
    ALLOWED_MODELS: list(),
    CORS_ORIGINS: list(),
    MAX_BODY_BYTES: integer(25 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    MAX_STEPS: integer(10_000, 1, 1_000_000),
    MAX_JSON_DEPTH: integer(64, 8, 1_000),
    TRANSCRIPT_KEYS: transcriptKeys(),
    TRANSCRIPT_MODE: z.pipe(
      optionalString(),
      z.optional(z.enum(["off", "verify", "require"], { error: 'must be "off", "verify" or "require"' })),
    ),
    TRANSCRIPT_ALLOW_DROP_IN: flag(),
    TRANSCRIPT_BIND_CALLER: flag(),
    PASSTHROUGH_FIELDS: z.pipe(
      list(),
      z.optional(
        z.array(z.string().check(z.regex(/^[a-z][a-z0-9_]*$/, "must list snake_case field names, e.g. new_field"))).check(
          z.refine((fields) => !fields.some((field) => RELAY_OWNED_FIELDS.has(field)), {
            error: `must not list a field the relay owns or refuses (${[...RELAY_OWNED_FIELDS].join(", ")})`,
          }),
        ),
      ),
    ),
    RATE_LIMIT_REQUESTS: integer(120, 1, 1_000_000),
    RATE_LIMIT_PERIOD_SECONDS: integer(60, 1, 3_600),
  }),
);

/**
 * Configs already read, per bindings object. A Worker's env is one object for the isolate's life, so
 * this spares validating it on every request; it holds settings only, never anything a request carried.
 */
const readConfigs = new WeakMap<Bindings, Config>();

/** Validates the bindings; a malformed value is a clear configuration error naming it. */
export function readConfig(bindings: Bindings): Config {
  let config = readConfigs.get(bindings);
  if (!config) readConfigs.set(bindings, (config = parseConfig(bindings)));
  return config;
}

function parseConfig(bindings: Bindings): Config {
  const { CALLER_RATE_LIMIT, RUNTIME: runtime = "workers", ...vars } = bindings;
  const parsed = configSchema().safeParse(vars);
  if (!parsed.success) {
    throw invalidSettings(parsed.error);
  }
  const env = parsed.data;
  if (env.AUTH_MODE === "jwt" && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
    throw configurationError(
      `AUTH_MODE is jwt but neither JWT_SECRET (HS256) nor JWT_JWKS_URL (RS256/ES256) is set: set JWT_SECRET with ${howToSet(runtime, "JWT_SECRET")}, or JWT_JWKS_URL to your issuer's keys.`,
      [{ path: "JWT_SECRET", message: "or JWT_JWKS_URL is required in jwt mode" }],
    );
  }
  if (env.AUTH_MODE === "jwt" && !env.JWT_SECRET && !env.JWT_AUDIENCE) {
    // A shared identity provider (Google, Firebase, Auth0, Cognito) signs tokens for every app it
    // serves, all with the same issuer (Google's: https://accounts.google.com): only the audience
    // tells the tokens minted for this app from the others'.
    throw configurationError(
      "AUTH_MODE is jwt with JWT_JWKS_URL but JWT_AUDIENCE is not set: set the audience your tokens carry (e.g. your OAuth client id), so tokens the same issuer minted for other apps are refused. JWT_ISSUER alone does not: a shared provider uses one issuer for every app.",
      [{ path: "JWT_AUDIENCE", message: "is required with JWT_JWKS_URL" }],
    );
  }
  const transcriptKeyList = env.TRANSCRIPT_KEYS ?? [];
  const transcriptMode = env.TRANSCRIPT_MODE ?? (transcriptKeyList.length > 0 ? "verify" : "off");
  if (transcriptMode !== "off" && transcriptKeyList.length === 0) {
    throw configurationError(
      `TRANSCRIPT_MODE is ${transcriptMode} but TRANSCRIPT_KEYS is not set: set keyid:secret entries (the first signs), or TRANSCRIPT_MODE=off.`,
      [{ path: "TRANSCRIPT_KEYS", message: `is required when TRANSCRIPT_MODE is ${transcriptMode}` }],
    );
  }
  // Binding promises that a transcript continues only for its caller: refused where it could not keep that.
  if (env.TRANSCRIPT_BIND_CALLER && (transcriptMode === "off" || env.AUTH_MODE === "none")) {
    const [path, message] =
      transcriptMode === "off"
        ? ["TRANSCRIPT_KEYS", "is required with TRANSCRIPT_BIND_CALLER (without attestations there is nothing to bind)"]
        : ["AUTH_MODE", "must be tokens or jwt with TRANSCRIPT_BIND_CALLER (with none, every caller is the same one)"];
    throw configurationError(`TRANSCRIPT_BIND_CALLER is true but ${path} ${message}.`, [{ path, message }]);
  }
  return {
    runtime,
    apiKey: env.GEMINI_API_KEY,
    baseUrl: env.GEMINI_BASE_URL,
    apiVersion: env.GEMINI_API_VERSION,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    upstreamMaxRetries: env.UPSTREAM_MAX_RETRIES,
    streamKeepAliveMs: env.STREAM_KEEPALIVE_MS,
    streamOpenWaitMs: env.STREAM_OPEN_WAIT_MS,
    retryAfterMaxMs: env.RETRY_AFTER_MAX_MS,
    bodyTimeoutMs: env.BODY_TIMEOUT_MS,
    allowGrounding: env.ALLOW_GROUNDING,
    allowStoredResources: env.ALLOW_STORED_RESOURCES,
    auth: {
      mode: env.AUTH_MODE,
      tokens: env.RELAY_TOKENS ?? [],
      jwtSecret: env.JWT_SECRET,
      jwksUrl: env.JWT_JWKS_URL,
      audience: env.JWT_AUDIENCE,
      issuer: env.JWT_ISSUER,
    },
    allowedModels: env.ALLOWED_MODELS,
    corsOrigins: env.CORS_ORIGINS ?? [],
    maxBodyBytes: env.MAX_BODY_BYTES,
    maxSteps: env.MAX_STEPS,
    maxJsonDepth: env.MAX_JSON_DEPTH,
    extraPassthroughFields: env.PASSTHROUGH_FIELDS ?? [],
    transcript: {
      mode: transcriptMode,
      keys: transcriptKeyList,
      allowDropIn: env.TRANSCRIPT_ALLOW_DROP_IN,
      bindCaller: env.TRANSCRIPT_BIND_CALLER,
    },
    rateLimit: { requests: env.RATE_LIMIT_REQUESTS, periodSeconds: env.RATE_LIMIT_PERIOD_SECONDS },
    rateLimiter: CALLER_RATE_LIMIT,
  };
}

const listenSchema = lazy(() =>
  z.object({
    HOST: z.pipe(
      optionalString(),
      z.transform((value) => value ?? "127.0.0.1"),
    ),
    PORT: integer(8787, 0, 65_535),
    MAX_CONNECTIONS: integer(1024, 1, 1_000_000),
  }),
);

/** How the Node entry listens: HOST, PORT (0 picks a free port), and its cap on open connections. */
export interface ListenSettings {
  host: string;
  port: number;
  /** Connections past this many are closed as they arrive, so a flood of sockets cannot exhaust the process. */
  maxConnections: number;
}

/** Where and how the Node entry listens. Workers have no such settings (Cloudflare holds the connections). */
export function readListenSettings(env: Record<string, string | undefined>): ListenSettings {
  const parsed = listenSchema().safeParse(env);
  if (!parsed.success) {
    throw invalidSettings(parsed.error);
  }
  return { host: parsed.data.HOST, port: parsed.data.PORT, maxConnections: parsed.data.MAX_CONNECTIONS };
}

/** The key, or a configuration error that says how to set it on the runtime at hand. */
export function requireApiKey(config: Config): string {
  if (config.apiKey) return config.apiKey;
  throw configurationError(`GEMINI_API_KEY is not set. Set it with ${howToSet(config.runtime, "GEMINI_API_KEY")}.`, [
    { path: "GEMINI_API_KEY", message: "is required" },
  ]);
}

/** Tokens mode with no token refuses every call: the relay holds a paid key and never runs open. */
export function requireRelayTokens(auth: Config["auth"], runtime: Runtime): void {
  if (auth.mode !== "tokens" || auth.tokens.length > 0) return;
  throw configurationError(
    `AUTH_MODE is tokens but RELAY_TOKENS is empty: set it with ${howToSet(runtime, "RELAY_TOKENS")}, or set AUTH_MODE=none explicitly.`,
    [{ path: "RELAY_TOKENS", message: "is required in tokens mode" }],
  );
}

/**
 * What a Node process needs before it listens: the settings a Worker can only find missing per
 * request (its env arrives with the request) are checked once, at start, so `npm run serve` refuses
 * to start instead of answering every turn with a 500. (jwt mode without a secret or JWKS URL is
 * already refused by readConfig.)
 */
export function requireStartSettings(config: Config): void {
  requireApiKey(config);
  requireRelayTokens(config.auth, config.runtime);
}

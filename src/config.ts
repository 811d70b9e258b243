/**
 * The worker's configuration: read from its bindings (wrangler [vars] and secrets), validated once per
 * request (a Worker only sees its env per request), and typed for everything downstream.
 */
import * as z from "zod";
import { RelayError } from "./errors";

/** The bindings the relay reads. Every one is a string because that is what wrangler vars and secrets are. */
export interface Bindings {
  GEMINI_API_KEY?: string;
  GEMINI_BASE_URL?: string;
  GEMINI_API_VERSION?: string;
  UPSTREAM_TIMEOUT_MS?: string;
  STREAM_KEEPALIVE_MS?: string;
  ALLOW_GROUNDING?: string;
  ALLOW_STORED_RESOURCES?: string;
}

export interface Config {
  /** Checked when the upstream is first needed (requireApiKey), so validation errors never wait on it. */
  apiKey?: string;
  /** Where upstream requests go; undefined means the SDK's default (Google). */
  baseUrl?: string;
  /** Pins the API version path segment (v1, v1beta, ...); undefined means the SDK's default. */
  apiVersion?: string;
  /** Deadline for one upstream call; past it the caller gets a 504. */
  upstreamTimeoutMs: number;
  /** Silence on a streamed turn after which the relay sends an SSE comment, so proxies keep the connection. */
  streamKeepAliveMs: number;
  /** Google Search / Maps grounding (Google keeps those prompts and results for 30 days). Off by default. */
  allowGrounding: boolean;
  /** File search stores and Files API URIs (resources stored at Google). Off by default. */
  allowStoredResources: boolean;
}

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const ConfigSchema = z.object({
  GEMINI_API_KEY: optionalString,
  GEMINI_BASE_URL: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://127.0.0.1:9000" })
      .optional(),
  ),
  GEMINI_API_VERSION: optionalString.pipe(
    z
      .string()
      .regex(/^v\d+(?:(?:alpha|beta)\d*)?$/, "must look like v1, v1beta or v1alpha")
      .optional(),
  ),
  UPSTREAM_TIMEOUT_MS: milliseconds(300_000),
  STREAM_KEEPALIVE_MS: milliseconds(15_000),
  ALLOW_GROUNDING: flag(),
  ALLOW_STORED_RESOURCES: flag(),
});

function flag() {
  return optionalString.pipe(z.enum(["true", "false"], { error: 'must be "true" or "false"' }).optional()).transform((value) => value === "true");
}

function milliseconds(defaultValue: number) {
  return optionalString
    .transform((value) => value ?? String(defaultValue))
    .pipe(z.coerce.number<string>().int().min(1).max(3_600_000));
}

/** Validates the bindings; a missing key or a malformed value is a clear configuration error, not a crash. */
export function readConfig(bindings: Bindings): Config {
  const parsed = ConfigSchema.safeParse(bindings);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      path: String(issue.path[0] ?? ""),
      message: issue.message,
    }));
    throw new RelayError(500, "configuration_error", {
      detail: `Invalid configuration: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}.`,
      errors,
    });
  }
  const env = parsed.data;
  return {
    apiKey: env.GEMINI_API_KEY,
    baseUrl: env.GEMINI_BASE_URL,
    apiVersion: env.GEMINI_API_VERSION,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    streamKeepAliveMs: env.STREAM_KEEPALIVE_MS,
    allowGrounding: env.ALLOW_GROUNDING,
    allowStoredResources: env.ALLOW_STORED_RESOURCES,
  };
}

/** The key, or a configuration error that says how to set it. */
export function requireApiKey(config: Config): string {
  if (config.apiKey) return config.apiKey;
  throw new RelayError(500, "configuration_error", {
    detail: "GEMINI_API_KEY is not set. Set it with `wrangler secret put GEMINI_API_KEY` (or in .dev.vars for local development).",
    errors: [{ path: "GEMINI_API_KEY", message: "is required" }],
  });
}

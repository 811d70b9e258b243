/**
 * How each setting's text becomes a value (the zod readers config.ts's schema is built from), and how
 * a bad or missing one is reported: one configuration error naming it, and how to set it where the
 * relay runs.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { RelayError } from "./errors";
import { lazy } from "./lazy";

// zod/mini loads no locale (its messages would all be "Invalid input"): a configuration error quotes zod's English ones.
z.config(en());

/** Workers (the default: a Worker's env is all it has) or the Node entry (src/node/server.ts sets it). */
export type Runtime = "workers" | "node";

/** One transcript key (TRANSCRIPT_KEYS entry): its id travels in attestations, its secret never leaves the worker. */
export interface TranscriptKey {
  id: string;
  secret: string;
}

export const optionalString = lazy(() =>
  z.optional(
    z.pipe(
      z.string().check(z.trim()),
      z.transform((value: string) => (value === "" ? undefined : value)),
    ),
  ),
);

export function flag() {
  return z.pipe(
    z.pipe(optionalString(), z.optional(z.enum(["true", "false"], { error: 'must be "true" or "false"' }))),
    z.transform((value) => value === "true"),
  );
}

export function integer(defaultValue: number, min: number, max: number) {
  return z.pipe(
    z.pipe(
      optionalString(),
      z.transform((value) => value ?? String(defaultValue)),
    ),
    z.coerce.number<string>().check(z.int(), z.gte(min), z.lte(max)),
  );
}

/** A comma-separated list; undefined when not set. */
export function list() {
  return z.pipe(
    optionalString(),
    z.transform((value) =>
      value === undefined
        ? undefined
        : value
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== ""),
    ),
  );
}

/** `keyid:secret,...`: ids short and URL-safe (they travel in attestations), secrets long enough to be keys, ids unique. */
export const transcriptKeys = lazy(() =>
  z.pipe(
    optionalString(),
    z.optional(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((value: string) =>
            value
              .split(",")
              .map((entry) => entry.trim())
              .filter((entry) => entry !== ""),
          ),
        ),
        z
          .array(
            z.pipe(
              z
                .string()
                .check(
                  z.regex(
                    /^[A-Za-z0-9_-]{1,32}:.{32,}$/,
                    "must list keyid:secret entries (key id: 1-32 letters, digits, _ or -; secret: at least 32 characters)",
                  ),
                ),
              z.transform((entry: string): TranscriptKey => ({
                id: entry.slice(0, entry.indexOf(":")),
                secret: entry.slice(entry.indexOf(":") + 1),
              })),
            ),
          )
          .check(z.refine((keys) => new Set(keys.map((key) => key.id)).size === keys.length, { error: "must not repeat a key id" })),
      ),
    ),
  ),
);

export const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL, e.g. ${example}` });

/**
 * GEMINI_BASE_URL: an http(s) URL without a user name or password. fetch refuses such a URL on Node
 * (every call would be an unexplained 502) and would send them on in workerd; the message never quotes it.
 */
export const upstreamUrl = () =>
  httpUrl("http://127.0.0.1:9000").check(
    z.refine((url) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url), {
      error: "must not carry a user name or password: put credentials for an egress proxy in the proxy, not in the URL",
    }),
  );

/**
 * The shortest relay token and JWT secret accepted: 32 characters of a random hex or base64 string
 * are 128 bits or more, beyond guessing online (and failed guesses are throttled, src/http/auth-throttle.ts).
 * The same floor as a TRANSCRIPT_KEYS secret.
 */
export const MIN_SECRET_LENGTH = 32;

/** Each token at least MIN_SECRET_LENGTH characters; the message never quotes a token. */
export const relayTokens = lazy(() =>
  z.pipe(
    list(),
    z.optional(
      z.array(z.string()).check(
        z.refine((tokens) => tokens.every((token) => token.length >= MIN_SECRET_LENGTH), {
          error: `must list tokens of at least ${MIN_SECRET_LENGTH} characters each (e.g. \`openssl rand -hex 32\`)`,
        }),
      ),
    ),
  ),
);

/** Counted in UTF-8 bytes: that is the HMAC key jose gets. */
export const jwtSecret = lazy(() =>
  z.pipe(
    optionalString(),
    z.optional(
      z.string().check(
        z.refine((secret) => new TextEncoder().encode(secret).byteLength >= MIN_SECRET_LENGTH, {
          error: `must be at least ${MIN_SECRET_LENGTH} bytes (e.g. \`openssl rand -base64 48\`)`,
        }),
      ),
    ),
  ),
);

/** Hosts a plain-http JWKS URL may name: this machine only, where no one can alter the keys in transit. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** The issuer's keys decide who gets in: fetched over https, or over plain http from this machine only. */
export const jwksUrl = lazy(() =>
  z.pipe(
    optionalString(),
    z.optional(
      httpUrl("https://auth.example.com/.well-known/jwks.json").check(
        z.refine((url) => {
          const { protocol, hostname } = new URL(url);
          return protocol === "https:" || isLoopback(hostname);
        }, "must be an https:// URL (plain http:// only for localhost, 127.0.0.0/8 or [::1])"),
      ),
    ),
  ),
);

/** How to set a secret: the one place that knows each runtime's way (wrangler secrets, or the process environment). */
export function howToSet(runtime: Runtime, name: string): string {
  return runtime === "node"
    ? `\`export ${name}=...\` in the environment \`npm run serve\` starts from (or your supervisor's: systemd Environment=, docker run -e)`
    : `\`wrangler secret put ${name}\` (or in .dev.vars for local development)`;
}

/** One configuration error naming every malformed setting. */
export function invalidSettings(error: z.core.$ZodError): RelayError {
  const errors = error.issues.map((issue) => ({ path: String(issue.path[0] ?? ""), message: issue.message }));
  return configurationError(`Invalid configuration: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}.`, errors);
}

export function configurationError(detail: string, errors: { path: string; message: string }[]): RelayError {
  return new RelayError(500, "configuration_error", { detail, errors });
}

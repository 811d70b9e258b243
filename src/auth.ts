/**
 * Who is calling: static bearer tokens (compared in constant time), short-lived JWTs minted by the
 * app's own backend (HS256, or RS256/ES256 from a JWKS URL), or nobody (only when set explicitly).
 * The caller's identity is a hash, so logs and rate-limit keys never carry a token or a subject.
 */
import { decode, verify, verifyWithJwks } from "hono/jwt";
import type { Config } from "./config";
import { configurationError } from "./config";
import { RelayError } from "./errors";

/** What a caller without a valid relay token is told (also the contract's example). */
export const TOKEN_REQUIRED =
  "Send a valid relay token as `Authorization: Bearer <token>` (official SDKs send their apiKey as `x-goog-api-key`, which works too).";

export interface Caller {
  /** A short hash of the token or JWT subject: safe to log and to key rate limits by. */
  id: string;
}

/** The credential a request presents: `Authorization: Bearer`, or `x-goog-api-key` as the official SDKs send it. */
export function presentedCredential(headers: Headers): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "")?.[1];
  return bearer ?? headers.get("x-goog-api-key")?.trim() ?? undefined;
}

export async function authenticate(headers: Headers, auth: Config["auth"]): Promise<Caller> {
  if (auth.mode === "none") return { id: "anonymous" };
  const credential = presentedCredential(headers);
  if (auth.mode === "tokens") {
    if (auth.tokens.length === 0) {
      // Refuse rather than run open: a deployed relay holds a paid key.
      throw configurationError("AUTH_MODE is tokens but RELAY_TOKENS is empty: set it with `wrangler secret put RELAY_TOKENS`, or set AUTH_MODE=none explicitly.", [
        { path: "RELAY_TOKENS", message: "is required in tokens mode" },
      ]);
    }
    if (!credential || !(await matchesAny(credential, auth.tokens))) throw unauthorized(TOKEN_REQUIRED);
    return { id: `token:${await shortHash(credential)}` };
  }
  if (!credential) throw unauthorized("Send a JWT as `Authorization: Bearer <jwt>`.");
  const verification = { aud: auth.audience, iss: auth.issuer, exp: true, nbf: true };
  let subject: unknown;
  try {
    const payload = auth.jwtSecret
      ? await verify(credential, auth.jwtSecret, { alg: "HS256", ...verification })
      : await verifyWithJwks(credential, { keys: await jwksFor(credential, auth.jwksUrl!), allowedAlgorithms: ["RS256", "ES256"], verification });
    subject = payload.sub;
  } catch (err) {
    throw unauthorized(`The JWT was refused (${err instanceof Error ? err.name : "invalid"}). Mint a fresh one.`);
  }
  if (typeof subject !== "string" || subject === "") throw unauthorized("The JWT has no `sub` claim to identify the caller.");
  return { id: `jwt:${await shortHash(subject)}` };
}

/**
 * The issuer's published keys (JWT_JWKS_URL), kept per isolate so a request does not wait on a JWKS
 * fetch: public keys, nothing any request carried. A token signed with a key not seen yet (rotation)
 * refreshes them, at most every REFRESH_MS, so unknown key ids cannot turn into a flood of fetches.
 */
const jwks = new Map<string, { keys: JsonWebKey[]; fetchedAt: number }>();
const JWKS_TTL_MS = 10 * 60_000;
const REFRESH_MS = 30_000;

async function jwksFor(token: string, url: string): Promise<(JsonWebKey & { kid?: string })[]> {
  const kid = decode(token).header.kid;
  const cached = jwks.get(url);
  const age = cached ? Date.now() - cached.fetchedAt : Infinity;
  const knowsKid = cached?.keys.some((key) => (key as { kid?: string }).kid === kid);
  if (cached && age < JWKS_TTL_MS && (knowsKid || age < REFRESH_MS)) return cached.keys;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`JWKS ${response.status}`);
  const body = (await response.json()) as { keys?: unknown };
  if (!Array.isArray(body.keys)) throw new Error("JWKS without keys");
  jwks.set(url, { keys: body.keys as JsonWebKey[], fetchedAt: Date.now() });
  return body.keys as JsonWebKey[];
}

/** Constant time over every configured token: compares SHA-256 digests so lengths never leak either. */
async function matchesAny(credential: string, tokens: readonly string[]): Promise<boolean> {
  const presented = await digest(credential);
  let match = false;
  for (const token of tokens) {
    // No early exit: every token is compared, whatever matched before.
    if (crypto.subtle.timingSafeEqual(presented, await digest(token))) match = true;
  }
  return match;
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

async function shortHash(text: string): Promise<string> {
  const bytes = new Uint8Array(await digest(text));
  return [...bytes.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function unauthorized(detail: string): RelayError {
  return new RelayError(401, "unauthorized", { detail, headers: { "www-authenticate": 'Bearer realm="gemini-relay"' } });
}

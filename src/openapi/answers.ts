/**
 * Error examples as the relay answers them: each example names a request, which the build sends to
 * the relay itself (its app, in process) and whose answer it records. The document so quotes the
 * error catalogue (src/errors.ts) and the checks' own messages, never a copy that can drift.
 * Build-time only: the Worker serves the generated document and never imports this. The app comes
 * from the build (scripts/contract.ts) or a test: the entries' floor is above this one.
 */
import type { Example } from "./types";

/** A request to the relay: its path (POST /v1/turns by default), method, headers, body and bindings. */
export interface Asked {
  path?: string;
  init: RequestInit;
  bindings?: Record<string, unknown>;
}

/** The relay's app (createApp's), as the examples use it: one request in, its answer out. */
export interface RelayApp {
  request(path: string, init: RequestInit, env: Record<string, unknown>): Response | Promise<Response>;
}

/** Records the relay's answer to a request as an example (an answer that is not an error fails the build). */
export type Ask = (summary: string, asked: Asked) => Promise<Example>;

/** A JSON POST of `body`. */
export const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** What the examples' relay runs with unless a request says otherwise (a key, no auth, the defaults). */
const DEFAULT_BINDINGS = { GEMINI_API_KEY: "an-example-gemini-key-0123456789", AUTH_MODE: "none" };

/** Asks `app`: no example's request may reach the upstream (its app's upstream should refuse to be called). */
export function asking(app: RelayApp): Ask {
  return async (summary, { path = "/v1/turns", init, bindings }) => {
    const res = await app.request(path, init, { ...DEFAULT_BINDINGS, ...bindings });
    const value: unknown = await res.json();
    if (res.status < 400) throw new Error(`${summary}: the relay answered ${res.status}, not an error`);
    return { summary, value };
  };
}

// ---------------------------------------------------------------------------------------------
// What the examples' requests share: the settings each error needs, and the bodies that cause it.

export const TOKENS = { AUTH_MODE: "tokens", RELAY_TOKENS: "a-relay-token-0123456789abcdef0123" };
export const JWT_SECRET = "an-example-jwt-secret-of-48-bytes-0123456789abcd";
/** TRANSCRIPT_MODE=require, with a key. */
export const ATTESTED = { TRANSCRIPT_KEYS: `k1:${"1".repeat(32)}`, TRANSCRIPT_MODE: "require" };
/** A rate-limit binding that refuses every caller. */
export const RATE_LIMITED = { CALLER_RATE_LIMIT: { limit: () => Promise.resolve({ success: false }) } };
export const OVERSIZED: RequestInit = {
  method: "POST",
  headers: { "content-type": "application/json", "content-length": "30000000" },
  body: "{}",
};
export const NOT_JSON: RequestInit = { method: "POST", headers: { "content-type": "text/plain" }, body: "model=x" };

/** A JWT signed with JWT_SECRET that expired in 2001 (fixed, so the build is reproducible). */
export async function expiredJwt(): Promise<string> {
  const { SignJWT } = await import("jose");
  return new SignJWT({ sub: "user-42" })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(999_999_000)
    .setExpirationTime(1_000_000_000)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

/**
 * Who is calling: static bearer tokens (compared in constant time), short-lived JWTs minted by the
 * app's own backend (HS256, or RS256/ES256 from a JWKS URL; verified by jose), or nobody (only when
 * set explicitly). Everything here runs the same on Workers and on Node.
 * The caller's identity is a hash, so logs and rate-limit keys never carry a token or a subject.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { Config } from "../config";
import type { Runtime } from "../config-values";
import { requireRelayTokens } from "../config";
import { RelayError } from "../errors";
import { hex } from "../json/bytes";

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

/** Every caller of a relay with AUTH_MODE=none. */
const ANONYMOUS = "anonymous";

/** `runtime` only words the configuration error for an empty RELAY_TOKENS (how to set it there). */
export async function authenticate(headers: Headers, auth: Config["auth"], runtime: Runtime = "workers"): Promise<Caller> {
  if (auth.mode === "none") return { id: ANONYMOUS };
  const credential = presentedCredential(headers);
  if (auth.mode === "tokens") {
    requireRelayTokens(auth, runtime);
    if (!credential) throw unauthorized(TOKEN_REQUIRED);
    const match = matchingToken(credential, auth.tokens);
    if (match < 0) throw unauthorized(TOKEN_REQUIRED);
    return { id: (await tokenCallerIds(auth.tokens))[match]! };
  }
  if (!credential) throw unauthorized("Send a JWT as `Authorization: Bearer <jwt>`.");
  // `exp` is required: a token without one would be accepted forever.
  const verification = { audience: auth.audience, issuer: auth.issuer, requiredClaims: ["exp"] };
  let subject: unknown;
  try {
    const { payload } = auth.jwtSecret
      ? await jwtVerify(credential, new TextEncoder().encode(auth.jwtSecret), { algorithms: ["HS256"], ...verification })
      : await jwtVerify(credential, jwksFor(auth.jwksUrl!), { algorithms: ["RS256", "ES256"], ...verification });
    subject = payload.sub;
  } catch (err) {
    throw unauthorized(whyRefused(err));
  }
  if (typeof subject !== "string" || subject === "") throw unauthorized("The JWT has no `sub` claim to identify the caller.");
  return { id: `jwt:${await shortHash(subject)}` };
}

/** Which check the JWT failed, without the values the relay expected (its audience, issuer or keys). */
function whyRefused(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The JWT has expired (`exp` is past). Mint a fresh one.";
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = CLAIM_NAMES.get(err.claim);
    if (!claim) return "The JWT's claims failed validation.";
    if (err.reason === "missing") return `The JWT has no \`${err.claim}\` claim (${claim}), which this relay requires.`;
    if (err.claim === "nbf") return "The JWT is not valid yet (`nbf` is in the future).";
    return `The JWT's ${claim} (\`${err.claim}\`) is not one this relay accepts.`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return "The JWT's signature does not verify.";
  if (err instanceof errors.JOSEAlgNotAllowed) return "The JWT is signed with an algorithm this relay does not accept.";
  if (err instanceof errors.JWKSNoMatchingKey) return "No key the issuer publishes matches the JWT's key id.";
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return "The credential is not a well-formed JWT.";
  // The issuer's keys could not be had (JWKSTimeout, JWKSInvalid, a network error): named, not quoted.
  return `The JWT could not be verified (${err instanceof Error ? err.name : "invalid"}).`;
}

/** The registered claims jose checks, by name; any other is reported without naming it. */
const CLAIM_NAMES = new Map([
  ["aud", "audience"],
  ["iss", "issuer"],
  ["exp", "expiry"],
  ["nbf", "not-before time"],
  ["iat", "issue time"],
  ["sub", "subject"],
  ["typ", "type"],
]);

/**
 * What the rate limit counts a caller by: its id; with AUTH_MODE=none, where everyone is the same
 * anonymous caller, its client address (hashed, like every key) when the runtime gives one, so one
 * noisy client does not spend everybody's budget.
 */
export async function rateLimitKey(caller: Caller, clientAddress: string | undefined): Promise<string> {
  return caller.id === ANONYMOUS && clientAddress ? `${ANONYMOUS}:${await shortHash(clientAddress)}` : caller.id;
}

/**
 * The issuer's published keys (JWT_JWKS_URL), kept per isolate (per process on Node) so a request
 * does not wait on a JWKS fetch: public keys, nothing any request carried. jose keeps them for
 * JWKS_MAX_AGE_MS, refetches on a key id not seen yet (rotation) at most every JWKS_COOLDOWN_MS so
 * unknown ids cannot turn into a flood of fetches, shares one fetch between concurrent requests,
 * and gives up on a slow issuer after JWKS_TIMEOUT_MS (the caller gets a 401, never a hang).
 */
const remoteKeySets = new Map<string, JWTVerifyGetKey>();
const JWKS_MAX_AGE_MS = 10 * 60_000;
const JWKS_COOLDOWN_MS = 30_000;
const JWKS_TIMEOUT_MS = 5_000;

function jwksFor(url: string): JWTVerifyGetKey {
  let keySet = remoteKeySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: JWKS_MAX_AGE_MS,
      cooldownDuration: JWKS_COOLDOWN_MS,
      timeoutDuration: JWKS_TIMEOUT_MS,
    });
    remoteKeySets.set(url, keySet);
  }
  return keySet;
}

/** Each configured token's caller id (`token:` and a short hash), computed once per token list (one per isolate on Workers). */
const callerIdsOf = new WeakMap<readonly string[], Promise<string[]>>();

function tokenCallerIds(tokens: readonly string[]): Promise<string[]> {
  let ids = callerIdsOf.get(tokens);
  if (!ids) {
    ids = Promise.all(tokens.map(async (token) => `token:${await shortHash(token)}`));
    callerIdsOf.set(tokens, ids);
  }
  return ids;
}

/**
 * Which configured token the credential is (-1: none), in constant time: every character of every
 * token is compared, with no early exit, so the time depends on the tokens' lengths, never on how
 * much of one the credential got right.
 */
function matchingToken(credential: string, tokens: readonly string[]): number {
  let match = -1;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    let difference = credential.length ^ token.length;
    for (let i = 0; i < token.length; i++) difference |= token.charCodeAt(i) ^ credential.charCodeAt(i);
    match = difference === 0 ? t : match;
  }
  return match;
}

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

async function shortHash(text: string): Promise<string> {
  const bytes = new Uint8Array(await digest(text));
  return hex(bytes.subarray(0, 8));
}

function unauthorized(detail: string): RelayError {
  return new RelayError(401, "unauthorized", { detail, headers: { "www-authenticate": 'Bearer realm="gemini-relay"' } });
}

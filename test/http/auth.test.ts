import { sign } from "hono/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { authenticate, presentedCredential } from "../../src/http/auth";
import type { Config } from "../../src/config";
import { relayErrorOfAsync } from "../relay-error";

const tokens: Config["auth"] = { mode: "tokens", tokens: ["alpha-token", "beta-token"] };
const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });

const refusal = (headers: Headers, auth: Config["auth"]) => relayErrorOfAsync(() => authenticate(headers, auth));

afterEach(() => vi.restoreAllMocks());

describe("presentedCredential", () => {
  it("reads a bearer token or the SDKs' x-goog-api-key", () => {
    expect(presentedCredential(bearer("abc"))).toBe("abc");
    expect(presentedCredential(new Headers({ "x-goog-api-key": "k1" }))).toBe("k1");
    expect(presentedCredential(new Headers({ authorization: "Basic abc" }))).toBeUndefined();
  });
});

describe("authenticate: tokens", () => {
  it("accepts any configured token and identifies the caller by a hash, not the token", async () => {
    const a = await authenticate(bearer("alpha-token"), tokens);
    const b = await authenticate(new Headers({ "x-goog-api-key": "beta-token" }), tokens);
    expect(a.id).toMatch(/^token:[0-9a-f]{16}$/);
    expect(a.id).not.toContain("alpha");
    expect(b.id).not.toBe(a.id);
  });

  it("keeps a caller's id from one release to the next: the first 8 bytes of the token's SHA-256 (attestations bind it)", async () => {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("beta-token")));
    const expected = [...digest.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    expect((await authenticate(bearer("beta-token"), tokens)).id).toBe(`token:${expected}`);
  });

  it("refuses a missing or wrong token with 401 and WWW-Authenticate", async () => {
    for (const headers of [new Headers(), bearer("alpha-tokenX"), bearer("alpha"), bearer("alpha-tokeN"), bearer("blpha-token")]) {
      const err = await refusal(headers, tokens);
      expect(err.status).toBe(401);
      expect(err.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("refuses every call when no tokens are configured, instead of running open", async () => {
    const err = await refusal(bearer("anything"), { mode: "tokens", tokens: [] });
    expect(err.status).toBe(500);
    expect(err.code).toBe("configuration_error");
    expect(err.detail).toMatch(/RELAY_TOKENS/);
  });

  it("lets anyone in only when AUTH_MODE is none", async () => {
    expect(await authenticate(new Headers(), { mode: "none", tokens: [] })).toEqual({ id: "anonymous" });
  });
});

describe("authenticate: jwt (HS256)", () => {
  const auth: Config["auth"] = {
    mode: "jwt",
    tokens: [],
    jwtSecret: "s3cret-s3cret-s3cret-s3cret-s3cret",
    audience: "relay-audience",
    issuer: "https://app.example",
  };
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: object = {}) => ({ sub: "user-42", aud: "relay-audience", iss: "https://app.example", exp: now() + 60, ...extra });

  it("accepts a valid token and identifies the caller by its hashed subject", async () => {
    const caller = await authenticate(bearer(await sign(claims(), auth.jwtSecret!, "HS256")), auth);
    expect(caller.id).toMatch(/^jwt:[0-9a-f]{16}$/);
    expect(caller.id).not.toContain("42");
  });

  it("refuses expired, not-yet-valid, wrong-audience, wrong-issuer, wrongly signed and subject-less tokens", async () => {
    const bad = [
      await sign(claims({ exp: now() - 10 }), auth.jwtSecret!, "HS256"),
      await sign(claims({ nbf: now() + 600 }), auth.jwtSecret!, "HS256"),
      await sign(claims({ aud: "other" }), auth.jwtSecret!, "HS256"),
      await sign(claims({ iss: "https://evil.example" }), auth.jwtSecret!, "HS256"),
      await sign(claims(), "another-secret-another", "HS256"),
      await sign({ aud: "relay-audience", iss: "https://app.example", exp: now() + 60 }, auth.jwtSecret!, "HS256"),
      "not.a.jwt",
    ];
    for (const token of bad) expect((await refusal(bearer(token), auth)).status).toBe(401);
  });

  it("refuses a token without `exp`: it would be valid forever", async () => {
    const { exp: _, ...forever } = claims();
    const err = await refusal(bearer(await sign(forever, auth.jwtSecret!, "HS256")), auth);
    expect(err.status).toBe(401);
    expect(err.detail).toBe("The JWT has no `exp` claim (expiry), which this relay requires.");
  });

  it("says which check failed, never the value it expected", async () => {
    const reasons = [
      [claims({ aud: "other" }), auth.jwtSecret!, /audience \(`aud`\) is not one this relay accepts/],
      [claims({ aud: undefined }), auth.jwtSecret!, /no `aud` claim \(audience\)/],
      [claims({ iss: "https://evil.example" }), auth.jwtSecret!, /issuer \(`iss`\) is not one this relay accepts/],
      [claims({ exp: now() - 10 }), auth.jwtSecret!, /has expired/],
      [claims({ nbf: now() + 600 }), auth.jwtSecret!, /not valid yet/],
      [claims(), "another-secret-another-secret-another", /signature does not verify/],
    ] as const;
    for (const [payload, key, reason] of reasons) {
      const err = await refusal(bearer(await sign(payload, key, "HS256")), auth);
      expect(err.detail).toMatch(reason);
      // Only an expired token is told to mint a fresh one; no message quotes the audience or issuer.
      if (!/expired/.test(err.detail)) expect(err.detail).not.toMatch(/Mint/);
      expect(err.detail).not.toMatch(/relay-audience|app\.example/);
    }
    expect((await refusal(bearer("not.a.jwt"), auth)).detail).toMatch(/not a well-formed JWT/);
  });
});

describe("authenticate: jwt (RS256 via JWKS)", () => {
  it("verifies against the keys served at JWT_JWKS_URL", async () => {
    const pair = (await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["sign", "verify"],
    )) as CryptoKeyPair;
    const publicJwk = { ...((await crypto.subtle.exportKey("jwk", pair.publicKey)) as JsonWebKey), kid: "k1", alg: "RS256", use: "sig" };
    const privateJwk = { ...((await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey), kid: "k1", alg: "RS256" };
    const jwksUrl = "https://auth.example/.well-known/jwks.json";
    const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
      expect(String(input instanceof Request ? input.url : input)).toBe(jwksUrl);
      return Response.json({ keys: [publicJwk] });
    });
    // JWKS mode always pins an audience (readConfig requires JWT_AUDIENCE).
    const auth: Config["auth"] = { mode: "jwt", tokens: [], jwksUrl, audience: "my-app" };
    const token = await sign({ sub: "device-7", aud: "my-app", exp: Math.floor(Date.now() / 1000) + 60 }, privateJwk as never, "RS256");
    expect((await authenticate(bearer(token), auth)).id).toMatch(/^jwt:/);
    expect((await authenticate(bearer(token), auth)).id).toMatch(/^jwt:/);
    // The published keys are fetched once, not on every request.
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const forged = await sign({ sub: "device-7", aud: "my-app", exp: Math.floor(Date.now() / 1000) + 60 }, "hs-secret-hs-secret", "HS256");
    expect((await refusal(bearer(forged), auth)).status).toBe(401);
    // Signed by the issuer, but without `exp`: refused in JWKS mode too.
    const forever = await sign({ sub: "device-7", aud: "my-app" }, privateJwk as never, "RS256");
    expect((await refusal(bearer(forever), auth)).detail).toMatch(/no `exp` claim/);
  });

  it("gives up on an issuer that does not answer (a 401 after the JWKS timeout, never a hang)", async () => {
    const timeout = new AbortController();
    const timeoutSpy = vi.spyOn(AbortSignal, "timeout").mockReturnValue(timeout.signal);
    vi.spyOn(globalThis, "fetch").mockImplementation(
      (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason));
          // The issuer hangs; the timer the relay armed fires (the spy hands it to the test).
          timeout.abort(new DOMException("The operation timed out.", "TimeoutError"));
        }),
    );
    const auth: Config["auth"] = { mode: "jwt", tokens: [], jwksUrl: "https://slow-issuer.example/jwks.json", audience: "my-app" };
    // Only the header matters: the keys are fetched before any signature is checked.
    const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const token = `${part({ alg: "RS256", kid: "k1" })}.${part({ sub: "device-7" })}.c2ln`;
    const err = await refusal(bearer(token), auth);
    expect(err.status).toBe(401);
    expect(err.detail).toMatch(/JWKSTimeout/);
    expect(timeoutSpy).toHaveBeenCalledWith(5_000);
  });
});

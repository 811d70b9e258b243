import { describe, expect, it } from "vitest";
import { readConfig, readListenSettings, requireApiKey, requireStartSettings, type Bindings } from "../src/config";
import { relayErrorOf } from "./relay-error";

const configError = (bindings: Bindings) => relayErrorOf(() => readConfig(bindings)).toProblem();

describe("readConfig", () => {
  it("reads the key and defaults everything else", () => {
    expect(readConfig({ GEMINI_API_KEY: "k" })).toEqual({
      runtime: "workers",
      apiKey: "k",
      upstreamTimeoutMs: 300_000,
      upstreamMaxRetries: 2,
      streamKeepAliveMs: 15_000,
      streamOpenWaitMs: 10_000,
      retryAfterMaxMs: 5_000,
      bodyTimeoutMs: 30_000,
      allowGrounding: false,
      allowStoredResources: false,
      auth: { mode: "tokens", tokens: [] },
      corsOrigins: [],
      maxBodyBytes: 25 * 1024 * 1024,
      maxSteps: 10_000,
      maxJsonDepth: 64,
      extraPassthroughFields: [],
      transcript: { mode: "off", keys: [], allowDropIn: false, bindCaller: false },
      rateLimit: { requests: 120, periodSeconds: 60 },
    });
  });
  it("lets an operator pass newer fields through, but never one the relay owns or refuses", () => {
    expect(readConfig({ GEMINI_API_KEY: "k", PASSTHROUGH_FIELDS: "new_knob, other" }).extraPassthroughFields).toEqual([
      "new_knob",
      "other",
    ]);
    for (const field of ["store", "previous_interaction_id", "model", "Bad-Name"]) {
      expect(() => readConfig({ GEMINI_API_KEY: "k", PASSTHROUGH_FIELDS: field }), field).toThrow(/PASSTHROUGH_FIELDS/);
    }
  });
  it("reads the base URL, version and timeout", () => {
    expect(
      readConfig({
        GEMINI_API_KEY: "k",
        GEMINI_BASE_URL: "http://127.0.0.1:9000",
        GEMINI_API_VERSION: "v1",
        UPSTREAM_TIMEOUT_MS: "1500",
        STREAM_KEEPALIVE_MS: "50",
        ALLOW_GROUNDING: "true",
        ALLOW_STORED_RESOURCES: "false",
      }),
    ).toMatchObject({
      apiKey: "k",
      baseUrl: "http://127.0.0.1:9000",
      apiVersion: "v1",
      upstreamTimeoutMs: 1500,
      streamKeepAliveMs: 50,
      allowGrounding: true,
      allowStoredResources: false,
    });
  });
  it("treats empty strings as unset", () => {
    expect(readConfig({ GEMINI_API_KEY: "k", GEMINI_BASE_URL: "" }).baseUrl).toBeUndefined();
  });
  it("says how to set a missing key, when the key is needed", () => {
    expect(readConfig({}).apiKey).toBeUndefined();
    const p = relayErrorOf(() => requireApiKey(readConfig({}))).toProblem();
    expect(p.status).toBe(500);
    expect(p.code).toBe("configuration_error");
    expect(p.detail).toMatch(/wrangler secret put GEMINI_API_KEY/);
  });
  it("says how to set a missing setting on the runtime at hand: secrets on Workers, the environment on Node", () => {
    const missing = (bindings: Bindings) => relayErrorOf(() => requireStartSettings(readConfig(bindings))).toProblem();
    const token = "t".repeat(32);

    const keyOnWorkers = missing({ RELAY_TOKENS: token });
    expect(keyOnWorkers.errors).toEqual([{ path: "GEMINI_API_KEY", message: "is required" }]);
    expect(keyOnWorkers.detail).toMatch(/`wrangler secret put GEMINI_API_KEY` \(or in \.dev\.vars/);
    const keyOnNode = missing({ RELAY_TOKENS: token, RUNTIME: "node" });
    expect(keyOnNode.errors).toEqual([{ path: "GEMINI_API_KEY", message: "is required" }]);
    expect(keyOnNode.detail).toMatch(/`export GEMINI_API_KEY=\.\.\.`/);
    expect(keyOnNode.detail).not.toMatch(/wrangler|\.dev\.vars/);

    // tokens is the default mode.
    const tokensOnNode = missing({ GEMINI_API_KEY: "k", RUNTIME: "node" });
    expect(tokensOnNode.errors).toEqual([{ path: "RELAY_TOKENS", message: "is required in tokens mode" }]);
    expect(tokensOnNode.detail).toMatch(/`export RELAY_TOKENS=\.\.\.`.*or set AUTH_MODE=none explicitly/);
    expect(tokensOnNode.detail).not.toMatch(/wrangler|\.dev\.vars/);
    expect(missing({ GEMINI_API_KEY: "k" }).detail).toMatch(/`wrangler secret put RELAY_TOKENS`/);
    expect(() => requireStartSettings(readConfig({ GEMINI_API_KEY: "k", AUTH_MODE: "none", RUNTIME: "node" }))).not.toThrow();

    const jwtOnNode = configError({ GEMINI_API_KEY: "k", AUTH_MODE: "jwt", RUNTIME: "node" });
    expect(jwtOnNode.detail).toMatch(/`export JWT_SECRET=\.\.\.`/);
    expect(jwtOnNode.detail).not.toMatch(/wrangler/);
    expect(configError({ GEMINI_API_KEY: "k", AUTH_MODE: "jwt" }).detail).toMatch(/`wrangler secret put JWT_SECRET`/);
  });
  it("names malformed values", () => {
    const p = configError({
      GEMINI_API_KEY: "k",
      GEMINI_BASE_URL: "ftp://x",
      GEMINI_API_VERSION: "latest",
      UPSTREAM_TIMEOUT_MS: "soon",
      ALLOW_GROUNDING: "yes",
    });
    expect(p.errors?.map((e) => e.path)).toEqual(["GEMINI_BASE_URL", "GEMINI_API_VERSION", "UPSTREAM_TIMEOUT_MS", "ALLOW_GROUNDING"]);
  });
  it("reads transcript keys (the first signs) and defaults the mode to verify once a key is set", () => {
    const secret = "s".repeat(32);
    expect(readConfig({ TRANSCRIPT_KEYS: ` new:${secret}x , old:${secret}:with:colons ` }).transcript).toEqual({
      mode: "verify",
      keys: [
        { id: "new", secret: `${secret}x` },
        { id: "old", secret: `${secret}:with:colons` },
      ],
      allowDropIn: false,
      bindCaller: false,
    });
    expect(
      readConfig({ TRANSCRIPT_KEYS: `k:${secret}`, TRANSCRIPT_MODE: "require", TRANSCRIPT_ALLOW_DROP_IN: "true" }).transcript,
    ).toMatchObject({ mode: "require", allowDropIn: true });
    expect(readConfig({ TRANSCRIPT_KEYS: `k:${secret}`, TRANSCRIPT_MODE: "off" }).transcript.mode).toBe("off");
  });
  it("names a malformed transcript setting, without quoting the secret", () => {
    for (const keys of ["nokey", `k:short`, `bad id:${"s".repeat(32)}`, `k:${"s".repeat(32)},k:${"t".repeat(32)}`]) {
      const p = configError({ TRANSCRIPT_KEYS: keys });
      expect(p.code).toBe("configuration_error");
      expect(p.errors?.map((e) => e.path)).toEqual(["TRANSCRIPT_KEYS"]);
      expect(JSON.stringify(p)).not.toContain("s".repeat(32));
    }
    expect(configError({ TRANSCRIPT_KEYS: `k:${"s".repeat(32)}`, TRANSCRIPT_MODE: "strict" }).errors?.map((e) => e.path)).toEqual([
      "TRANSCRIPT_MODE",
    ]);
    const keyless = configError({ TRANSCRIPT_MODE: "require" });
    expect(keyless.errors).toEqual([{ path: "TRANSCRIPT_KEYS", message: "is required when TRANSCRIPT_MODE is require" }]);
  });
  it("refuses a GEMINI_BASE_URL with a user name or password, without quoting it", () => {
    for (const url of ["https://user:hunter2@proxy.test/gemini", "http://hunter2@127.0.0.1:9000", "HTTPS://u:hunter2@x.test"]) {
      const p = configError({ GEMINI_API_KEY: "k", GEMINI_BASE_URL: url });
      expect(p.errors).toEqual([{ path: "GEMINI_BASE_URL", message: expect.stringMatching(/user name or password/) }]);
      expect(JSON.stringify(p)).not.toContain("hunter2");
    }
    for (const url of ["http://127.0.0.1:9000", "https://proxy.test/a@b", "https://proxy.test/?at=@"]) {
      expect(readConfig({ GEMINI_API_KEY: "k", GEMINI_BASE_URL: url }).baseUrl).toBe(url);
    }
  });
  it("never puts the key in an error", () => {
    const p = configError({ GEMINI_API_KEY: "secret-key-123", GEMINI_BASE_URL: "nope" });
    expect(JSON.stringify(p)).not.toContain("secret-key-123");
  });

  it("refuses relay tokens and a JWT secret under 32 characters, without quoting them", () => {
    const long = "t".repeat(32);
    expect(readConfig({ RELAY_TOKENS: `${long}, ${long}u` }).auth.tokens).toEqual([long, `${long}u`]);
    const tokens = configError({ RELAY_TOKENS: `${long},short-token-1` });
    expect(tokens.errors).toEqual([{ path: "RELAY_TOKENS", message: expect.stringMatching(/at least 32 characters/) }]);
    expect(JSON.stringify(tokens)).not.toContain("short-token-1");
    // Bytes, as the HMAC key: 16 two-byte characters are enough, 31 ASCII ones are not.
    expect(readConfig({ AUTH_MODE: "jwt", JWT_SECRET: "é".repeat(16) }).auth.jwtSecret).toBe("é".repeat(16));
    const secret = configError({ AUTH_MODE: "jwt", JWT_SECRET: "s".repeat(31) });
    expect(secret.errors).toEqual([{ path: "JWT_SECRET", message: expect.stringMatching(/at least 32 bytes/) }]);
    expect(JSON.stringify(secret)).not.toContain("s".repeat(31));
    expect(configError({ JWT_SECRET: "a" }).errors?.map((e) => e.path)).toEqual(["JWT_SECRET"]);
  });
  it("refuses JWKS mode without an audience to pin, an issuer alone included", () => {
    const jwks = { AUTH_MODE: "jwt", JWT_JWKS_URL: "https://www.googleapis.com/oauth2/v3/certs" };
    // Google signs ID tokens for every app with iss=https://accounts.google.com: the issuer pins no app.
    for (const bindings of [jwks, { ...jwks, JWT_ISSUER: "https://accounts.google.com" }]) {
      const p = configError(bindings);
      expect(p.detail).toMatch(/JWT_AUDIENCE is not set/);
      expect(p.errors).toEqual([{ path: "JWT_AUDIENCE", message: "is required with JWT_JWKS_URL" }]);
    }
    expect(readConfig({ ...jwks, JWT_AUDIENCE: "my-app" }).auth).toMatchObject({ audience: "my-app" });
    expect(readConfig({ ...jwks, JWT_AUDIENCE: "my-app", JWT_ISSUER: "https://accounts.google.com" }).auth).toMatchObject({
      audience: "my-app",
      issuer: "https://accounts.google.com",
    });
    // HS256 keys are the operator's own: no other app holds them.
    expect(readConfig({ AUTH_MODE: "jwt", JWT_SECRET: "s".repeat(32) }).auth.audience).toBeUndefined();
  });
  it("takes a JWKS URL over https, or over plain http from this machine only", () => {
    const jwks = (url: string) => ({ AUTH_MODE: "jwt", JWT_AUDIENCE: "my-app", JWT_JWKS_URL: url });
    for (const url of [
      "http://127.0.0.1:8080/jwks.json",
      "http://127.4.5.6/jwks",
      "http://localhost:9000/jwks",
      "http://[::1]:9000/jwks",
    ]) {
      expect(readConfig(jwks(url)).auth.jwksUrl, url).toBe(url);
    }
    for (const url of [
      "http://auth.example.com/jwks.json",
      "http://localhost.evil.example/jwks",
      "http://127.0.0.1.evil.example/jwks",
      "http://10.0.0.1/jwks",
    ]) {
      const p = configError(jwks(url));
      expect(p.errors, url).toEqual([{ path: "JWT_JWKS_URL", message: expect.stringMatching(/must be an https:\/\/ URL/) }]);
    }
  });
  it("reads the Node entry's listen settings, its connection cap included", () => {
    expect(readListenSettings({})).toEqual({ host: "127.0.0.1", port: 8787, maxConnections: 1024 });
    expect(readListenSettings({ HOST: "::", PORT: "0", MAX_CONNECTIONS: "10" })).toEqual({ host: "::", port: 0, maxConnections: 10 });
    const p = relayErrorOf(() => readListenSettings({ MAX_CONNECTIONS: "0" })).toProblem();
    expect(p.errors?.map((e) => e.path)).toEqual(["MAX_CONNECTIONS"]);
  });
});

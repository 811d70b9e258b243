import { describe, expect, it } from "vitest";
import { readConfig, requireApiKey } from "../src/config";
import { relayErrorOf } from "./relay-error";

const configError = (bindings: Record<string, string>) => relayErrorOf(() => readConfig(bindings)).toProblem();

describe("readConfig", () => {
  it("reads the key and defaults everything else", () => {
    expect(readConfig({ GEMINI_API_KEY: "k" })).toEqual({
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
      transcript: { mode: "off", keys: [], allowDropIn: false },
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
  it("never puts the key in an error", () => {
    const p = configError({ GEMINI_API_KEY: "secret-key-123", GEMINI_BASE_URL: "nope" });
    expect(JSON.stringify(p)).not.toContain("secret-key-123");
  });
});

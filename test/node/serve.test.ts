// `npm run serve`: the relay self-hosted on Node (src/node/main.ts), a real process on a loopback
// port, against the emulator over HTTP. The route checks that matter for an operator: unary and
// streamed turns, the drop-in route through the SDK, every auth mode, the in-memory rate limit,
// a clear refusal to start, and a graceful stop on SIGTERM.
import { GoogleGenAI } from "@google/genai";
import { SignJWT } from "jose";
import { readlink, realpath } from "node:fs/promises";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSse } from "../helpers";
import { processTree } from "./local-stack";
import { serveEmulator, startRelayProcess, type RelayProcess, type ServedEmulator } from "./node-relay";

let upstream: ServedEmulator;

beforeAll(async () => {
  upstream = await serveEmulator();
});

afterAll(async () => {
  // Every create the Node relay sent carried store: false.
  const creates = upstream.emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/interactions"));
  expect(creates.length).toBeGreaterThan(0);
  expect(creates.filter((r) => (r.body as { store?: unknown }).store !== false)).toEqual([]);
  await upstream.close();
});

const upstreamEnv = () => ({ GEMINI_BASE_URL: upstream.url, GEMINI_API_KEY: "node-test-key", UPSTREAM_MAX_RETRIES: "0" });

/** Relay tokens and JWT secrets are at least 32 characters long (src/config.ts). */
const TOKEN_A = "node-token-a-0123456789abcdef012345";
const TOKEN_B = "node-token-b-0123456789abcdef012345";

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1/turns`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("npm run serve: tokens mode", () => {
  let relay: RelayProcess;
  const token = { authorization: `Bearer ${TOKEN_A}` };

  beforeAll(async () => {
    relay = await startRelayProcess({ ...upstreamEnv(), AUTH_MODE: "tokens", RELAY_TOKENS: `${TOKEN_A},${TOKEN_B}` });
  });

  afterAll(async () => {
    relay.child.kill("SIGTERM");
    expect(await relay.exited).toBe(0);
  });

  // `npm run test:lts` runs this file on another Node (TEST_NODE_VERSION), through npx, which puts that
  // binary first on PATH: npm, tsx and the relay it starts must all be that Node, not the system's.
  it("runs npm, tsx and the relay on the Node that runs the tests", async () => {
    if (process.env.TEST_NODE_VERSION) expect(process.version).toBe(`v${process.env.TEST_NODE_VERSION}`);
    const node = await realpath(process.execPath);
    const tree = [relay.child.pid!, ...processTree(relay.child.pid!).map((p) => p.pid)];
    // esbuild's service (tsx's compiler, a binary of its own) aside.
    const binaries = (await Promise.all(tree.map((pid) => readlink(`/proc/${pid}/exe`)))).filter((exe) => !exe.endsWith("/esbuild"));
    // npm, then tsx (npm's shell execs it), then the relay tsx starts with its loader.
    expect(binaries.length).toBeGreaterThanOrEqual(3);
    expect(binaries).toEqual(binaries.map(() => node));
  });

  it("answers a unary turn, with the relay's headers", async () => {
    const res = await post(relay.url, { model: "gemini-3.5-flash", input: "Hello from Node" }, token);
    const body = (await res.json()) as { output_text: string; history: { type: string }[] };
    expect(res.status).toBe(200);
    expect(body.output_text).toContain("Hello from Node");
    expect(body.history.map((s) => s.type)).toEqual(["user_input", "model_output"]);
    expect(res.headers.get("request-id")).toBeTruthy();
    expect(res.headers.get("server-timing")).toMatch(/^relay;dur=\d+,upstream;dur=\d+$/);
    expect(res.headers.get("relay-retention")).toBeTruthy();
  });

  it("streams a turn, ending in turn.completed", async () => {
    const res = await post(relay.url, { model: "gemini-3.5-flash", input: "stream please", stream: true }, token);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events } = parseSse(await res.text());
    expect(events[0]!.event).toBe("interaction.created");
    expect(events.at(-1)!.event).toBe("turn.completed");
    expect(JSON.parse(events.at(-1)!.data).output_text).toContain("stream please");
  });

  it("refuses a missing or wrong token with 401 (the constant-time compare works on Node)", async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN_A}x` }, { authorization: `Bearer ${TOKEN_A.slice(0, -1)}` }] as Record<
      string,
      string
    >[]) {
      const res = await post(relay.url, { model: "m", input: "hi" }, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
    }
    expect((await post(relay.url, { model: "m", input: "hi" }, { authorization: `Bearer ${TOKEN_B}` })).status).toBe(200);
  });

  it("serves the drop-in route to the official SDK, the relay token as its apiKey", async () => {
    const ai = new GoogleGenAI({ apiKey: TOKEN_A, httpOptions: { baseUrl: relay.url } });
    const interaction = await ai.interactions.create({ model: "gemini-3.5-flash", input: "drop-in on Node", store: false });
    expect(interaction.status).toBe("completed");
    expect(JSON.stringify(interaction.steps)).toContain("drop-in on Node");
  });

  it("answers bad input with a problem document, not a 500", async () => {
    const res = await fetch(`${relay.url}/v1/turns`, {
      method: "POST",
      headers: { "content-type": "application/json", ...token },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("npm run serve: jwt mode, the rate limit and SIGTERM", () => {
  const secret = "node-jwt-secret-0123456789abcdef0123456789";
  let relay: RelayProcess;

  beforeAll(async () => {
    relay = await startRelayProcess({
      ...upstreamEnv(),
      AUTH_MODE: "jwt",
      JWT_SECRET: secret,
      RATE_LIMIT_REQUESTS: "2",
      RATE_LIMIT_PERIOD_SECONDS: "60",
    });
  });

  afterAll(() => {
    // Only when a test failed before the SIGTERM test ended it: the second signal stops it at once.
    if (relay.child.exitCode === null) for (let i = 0; i < 2; i++) relay.child.kill("SIGTERM");
  });

  const jwtFor = async (subject: string) => ({
    authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(subject).setExpirationTime("5m").sign(new TextEncoder().encode(secret))}`,
  });

  it("lets each caller make RATE_LIMIT_REQUESTS requests, then answers 429 with Retry-After", async () => {
    const alice = await jwtFor("alice");
    expect((await post(relay.url, { model: "m", input: "one" }, alice)).status).toBe(200);
    expect((await post(relay.url, { model: "m", input: "two" }, alice)).status).toBe(200);
    const limited = await post(relay.url, { model: "m", input: "three" }, alice);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(((await limited.json()) as { code: string }).code).toBe("rate_limited");
    // Counted per caller: another subject still gets through.
    expect((await post(relay.url, { model: "m", input: "one" }, await jwtFor("bob"))).status).toBe(200);
  });

  it("refuses a JWT signed with another secret", async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("alice")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("another-secret-0123456789abcdef0123456789"));
    expect((await post(relay.url, { model: "m", input: "hi" }, { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it("on SIGTERM stops accepting connections, finishes the stream in flight, then exits 0", async () => {
    let release!: () => void;
    upstream.emulator.script("held-stream", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "finished after SIGTERM" }] }],
      stream: { gate: { afterEvents: 1, until: new Promise<void>((resolve) => (release = resolve)) } },
    });
    const res = await post(relay.url, { model: "held-stream", input: "hold on", stream: true }, await jwtFor("carol"));
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value ?? "";
    expect(text).toContain("event: interaction.created");

    relay.child.kill("SIGTERM");
    await relay.printed("finishing the requests in flight");
    await expect(fetch(`${relay.url}/healthz`)).rejects.toThrow();

    release();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    const { events } = parseSse(text);
    expect(events.at(-1)!.event).toBe("turn.completed");
    expect(JSON.parse(events.at(-1)!.data).output_text).toBe("finished after SIGTERM");
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toContain("gemini-relay stopped");
  });
});

describe("npm run serve: refusing to start", () => {
  it("names a malformed setting and exits 1", async () => {
    await expect(startRelayProcess({ ...upstreamEnv(), AUTH_MODE: "sometimes" })).rejects.toThrow(
      /could not start: Invalid configuration: AUTH_MODE must be/,
    );
  });

  it("refuses a relay token under 32 characters, and exits 1", async () => {
    await expect(startRelayProcess({ ...upstreamEnv(), AUTH_MODE: "tokens", RELAY_TOKENS: `${TOKEN_A},tok` })).rejects.toThrow(
      /could not start: Invalid configuration: RELAY_TOKENS must list tokens of at least 32 characters/,
    );
  });

  // Settings a request needs are checked before listening: on Workers they can only be found missing
  // per request; here the operator hears at once, in Node's terms (an environment variable, not a secret).
  it.each([
    [
      "GEMINI_API_KEY",
      { GEMINI_API_KEY: "", RELAY_TOKENS: TOKEN_A },
      /GEMINI_API_KEY is not set\. Set it with `export GEMINI_API_KEY=\.\.\.`/,
    ],
    [
      "RELAY_TOKENS (tokens is the default mode)",
      { RELAY_TOKENS: "" },
      /AUTH_MODE is tokens but RELAY_TOKENS is empty: set it with `export RELAY_TOKENS=\.\.\.`/,
    ],
    [
      "JWT_SECRET or JWT_JWKS_URL in jwt mode",
      { AUTH_MODE: "jwt" },
      /AUTH_MODE is jwt but neither JWT_SECRET \(HS256\) nor JWT_JWKS_URL .*`export JWT_SECRET=\.\.\.`/,
    ],
  ])("refuses to start without %s, naming it the Node way, and exits 1", async (_name, env, message) => {
    const refused = await startRelayProcess({ ...upstreamEnv(), ...env }).then(
      () => new Error("the relay started"),
      (err: Error) => err,
    );
    expect(refused.message).toMatch(/exited with 1/);
    expect(refused.message).toMatch(new RegExp(`gemini-relay could not start: ${message.source}`));
    expect(refused.message).not.toMatch(/wrangler|\.dev\.vars/);
  });

  it("says the port is in use and exits 1", async () => {
    const busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy.listen(0, "127.0.0.1", () => resolve((busy.address() as { port: number }).port)),
    );
    try {
      await expect(startRelayProcess({ ...upstreamEnv(), AUTH_MODE: "none", PORT: String(port) })).rejects.toThrow(
        `could not start: 127.0.0.1:${port} is already in use`,
      );
    } finally {
      busy.close();
    }
  });
});

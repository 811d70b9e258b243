// The privacy promise as tests: canary strings driven through every path never reach the logs, and the
// API key and relay tokens never reach a log or a response.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readSse, relayWithEmulator, TEST_KEY } from "./helpers";

const CANARY = {
  user: "CANARY-user-7f3a",
  result: "CANARY-result-19bc",
  tool: "CANARY-tool-desc-55e0",
  system: "CANARY-system-8d21",
  thought: "CANARY-thought-c4e9",
  upstreamError: "CANARY-upstream-error-a0f7",
};
const RELAY_TOKEN = "relay-token-CANARY-6b1d-0123456789abcdef";
const secrets = [...Object.values(CANARY), RELAY_TOKEN, TEST_KEY];

let output: string[];
beforeEach(() => {
  output = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(" ")));
  }
});
afterEach(() => vi.restoreAllMocks());

const MODEL = "gemini-3.5-flash";
const tools = [
  {
    type: "function",
    name: "get_order_status",
    description: `Look up an order ${CANARY.tool}`,
    parameters: { type: "object", properties: { order_id: { type: "string" } } },
  },
];
const headers = { "content-type": "application/json", authorization: `Bearer ${RELAY_TOKEN}` };

function relay() {
  return relayWithEmulator({ AUTH_MODE: "tokens", RELAY_TOKENS: RELAY_TOKEN });
}

async function send(r: ReturnType<typeof relay>, body: unknown) {
  const res = await r.turn(body, { headers });
  const text = await res.text();
  return { res, text };
}

function expectNoSecretsIn(texts: string[], secretsToCheck: string[]) {
  const all = texts.join("\n");
  for (const secret of secretsToCheck) expect(all, `found ${secret}`).not.toContain(secret);
}

describe("privacy: nothing from a conversation reaches the logs", () => {
  it("holds on every path: success, validation, integrity, upstream error, stream, aborted stream", async () => {
    const r = relay();
    const responses: string[] = [];
    const base = { model: MODEL, system_instruction: `Be kind. ${CANARY.system}`, tools };

    // Success with a tool round trip, and a thought summary carrying a canary.
    const t1 = await send(r, { ...base, input: `Where is my order A-4417? ${CANARY.user}` });
    responses.push(t1.text);
    const turn1 = JSON.parse(t1.text);
    const call = turn1.steps.find((s: { type: string }) => s.type === "function_call");
    const t2 = await send(r, {
      ...base,
      history: turn1.history,
      input: [{ type: "function_result", call_id: call.id, name: call.name, result: CANARY.result }],
    });
    responses.push(t2.text);
    r.emulator.script("scripted", {
      steps: [
        { type: "thought", signature: "c2ln", summary: [{ type: "text", text: CANARY.thought }] },
        { type: "model_output", content: [{ type: "text", text: CANARY.user }] },
      ],
    });
    responses.push((await send(r, { ...base, model: "scripted", input: CANARY.user })).text);

    // Validation error quoting the caller's content, and an unknown field named after a canary.
    responses.push((await send(r, { ...base, input: [{ type: "function_result", call_id: 7, result: CANARY.result }] })).text);
    responses.push((await send(r, { ...base, input: CANARY.user, [CANARY.user]: true })).text);
    // Integrity error.
    responses.push(
      (
        await send(r, {
          ...base,
          history: turn1.history,
          input: [{ type: "function_result", call_id: "nope", name: "x", result: CANARY.result }],
        })
      ).text,
    );
    // Upstream error whose message carries a canary.
    r.emulator.script(
      "failing",
      { error: { status: 400, message: `Bad thing ${CANARY.upstreamError}` } },
      { error: { status: 503, message: CANARY.upstreamError } },
    );
    responses.push((await send(r, { ...base, model: "failing", input: CANARY.user })).text);
    responses.push((await send(r, { ...base, model: "failing", input: CANARY.user })).text);
    // Streamed turn, and a stream whose upstream fails mid-way with a canary in the error event.
    responses.push((await send(r, { ...base, input: CANARY.user, stream: true })).text);
    r.emulator.script("breaking", {
      steps: [{ type: "model_output", content: [{ type: "text", text: CANARY.user.repeat(5) }] }],
      stream: { fault: { afterEvents: 4, kind: "error", error: { code: "api_error", message: CANARY.upstreamError } } },
    });
    responses.push((await send(r, { ...base, model: "breaking", input: CANARY.user, stream: true })).text);
    // Aborted stream: the caller leaves after the first event.
    r.emulator.script("slow", {
      steps: [{ type: "model_output", content: [{ type: "text", text: CANARY.user.repeat(20) }] }],
      stream: { pauseMs: 20 },
    });
    const aborted = await r.turn({ ...base, model: "slow", input: CANARY.user, stream: true }, { headers });
    const events = readSse(aborted);
    await events.next();
    await events.return(undefined);
    await expect.poll(() => r.emulator.requests.at(-1)?.aborted).toBe(true);

    // The logs had a line per request, and none of them carries content, keys or tokens.
    await expect.poll(() => output.filter((line) => line.includes('"request_id"')).length).toBe(11);
    expectNoSecretsIn(output, secrets);
    // The responses carry the caller's own content back, but never the API key or the relay token.
    expectNoSecretsIn(responses, [TEST_KEY, RELAY_TOKEN]);
    expect(responses.join("\n")).toContain(CANARY.user); // the canaries did travel: this is no vacuous check
  });

  it("never echoes the API key, even when the upstream quotes it", async () => {
    const r = relay();
    r.emulator.script("leaky", { error: { status: 400, message: `Key ${TEST_KEY} is not allowed` } });
    const { res, text } = await send(r, { model: "leaky", input: "hi" });
    // The path this test is about: Gemini's own 400 passed on (redacted), not some other failure.
    expect(res.status, text).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: "upstream_rejected", detail: expect.stringContaining("[redacted]") });
    expectNoSecretsIn([text, ...output], [TEST_KEY]);
  });
});

// The client's byte-exact transcript against the real relay app (in-process, real SDK adapter,
// emulator upstream): minimal responses asked for and appended, full ones read where the relay does
// not apply the preference, steps kept in the bytes the relay keeps, gzip uploads the relay takes,
// streamed and unary alike, and attested transcripts carried through.
import { describe, expect, it } from "vitest";
import { createRelayClient, MemoryTranscriptStore, Transcript, type ToolDefinition, type TurnResult } from "@gemini-relay/client";
import { relayWithEmulator } from "../helpers";
import { BASE, MODEL, orderTool } from "./helpers";

/** The step no JSON.stringify(JSON.parse(...)) gives back: a 20-digit integer, 1e400, -0, 1.10, escapes. */
const ODD_CALL =
  '{"type":"function_call","id":"odd-1","name":"get_order_status","arguments":{"order_id":"A-4417","n":12345678901234567890,"big":1e400,"zero":-0,"price":1.10,"note":"\\u00e9 \\"q\\""}}';
const ODD_RESULT = '{"type":"function_result","call_id":"odd-1","name":"get_order_status","result":"shipped"}';

interface Exchange {
  request: Request;
  response: Response;
}

/** A client on the relay app that keeps each raw exchange (a copy of the response body). */
function recordedClient(relay: ReturnType<typeof relayWithEmulator>, options: { minimal?: boolean } = {}) {
  const exchanges: Exchange[] = [];
  const client = createRelayClient({
    baseUrl: BASE,
    ...options,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const response = await relay.app.request(input, init, relay.env);
      exchanges.push({ request, response: response.clone() });
      return response;
    },
  });
  return { client, exchanges };
}

/** The bytes of a top-level `history` array in a full body (as the relay wrote them). */
function historyBytes(body: string): string {
  const start = body.indexOf('"history":') + '"history":'.length;
  return body.slice(start, body.indexOf(',"steps":', start));
}

/**
 * What the answer to `result` was: minimal (only when the relay said Preference-Applied, and then it
 * must not carry the history) or full (its history is the transcript, byte for byte). A relay from
 * before minimal responses answers in full and the client reads that; with one that applies them,
 * the turns below that ask for them should be checked with `.toBe("minimal")`.
 */
async function checkAnswer(exchange: Exchange, result: TurnResult): Promise<"minimal" | "full"> {
  const body = await exchange.response.text();
  const streamed = exchange.response.headers.get("content-type")?.startsWith("text/event-stream");
  const data = streamed ? /event: turn\.completed\ndata: (.*)\n/.exec(body)![1]! : body;
  if (exchange.response.headers.get("preference-applied") === "return=minimal") {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    expect(parsed).not.toHaveProperty("history");
    expect(parsed).toMatchObject({ base: { steps: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    return "minimal";
  }
  expect(historyBytes(data)).toBe(result.transcript.historyJson());
  return "full";
}

describe("the client's transcript against the relay", () => {
  it("asks for minimal responses and keeps the relay's bytes across turns, unary and streamed", async () => {
    const relay = relayWithEmulator();
    const { client, exchanges } = recordedClient(relay);
    const t1 = await client.turn({ model: MODEL, tools: [orderTool], input: "Where is my order A-4417?" });
    expect(exchanges[0]!.request.headers.get("prefer")).toBe("return=minimal");
    expect(await checkAnswer(exchanges[0]!, t1)).toBe("minimal");
    expect(t1.transcript.length).toBe(t1.history.length);

    const call = t1.pending_calls[0]!;
    let t2: TurnResult | undefined;
    for await (const event of client.streamTurn({
      model: MODEL,
      tools: [orderTool],
      history: t1.transcript,
      input: [{ type: "function_result", call_id: call.id, name: call.name, result: "shipped" }],
    }))
      if (event.type === "turn.completed") t2 = event.result;
    expect(exchanges[1]!.request.headers.get("prefer")).toBe("return=minimal");
    expect(await checkAnswer(exchanges[1]!, t2!)).toBe("minimal");
    // What was sent is the first transcript's bytes; what came back extends them.
    expect(await exchanges[1]!.request.text()).toContain(`"history":${t1.transcript.historyJson()}`);
    expect(t2!.transcript.historyJson().startsWith(t1.transcript.historyJson().slice(0, -1) + ",")).toBe(true);
    expect(t2!.output_text).toMatch(/shipped/);
  });

  it("carries steps JSON.parse would change (a 20-digit integer, 1e400, -0, 1.10, escapes) byte for byte, through a store", async () => {
    const relay = relayWithEmulator();
    const { client, exchanges } = recordedClient(relay);
    const store = new MemoryTranscriptStore();
    const start = Transcript.parse(
      `{"history":[{"type":"user_input","content":[{"type":"text","text":"Where is A-4417?"}]},${ODD_CALL},${ODD_RESULT}]}`,
    );
    await store.save("odd", start);
    const result = await client.turn({ model: MODEL, tools: [orderTool], history: (await store.load("odd"))!, input: "Thanks!" });
    expect(await exchanges[0]!.request.text()).toContain(`,${ODD_CALL},${ODD_RESULT}]`);
    expect(await checkAnswer(exchanges[0]!, result)).toBe("minimal");
    expect(result.transcript.stepText(1)).toBe(ODD_CALL);
    await store.save("odd", result.history);
    expect(Transcript.from((await store.load("odd"))!).serialize()).toBe(result.transcript.serialize());
  });

  it("reads the full body when asked not to minimize (minimal: false sends no Prefer)", async () => {
    const relay = relayWithEmulator();
    const { client, exchanges } = recordedClient(relay, { minimal: false });
    const result = await client.turn({ model: MODEL, input: "Hello" });
    expect(exchanges[0]!.request.headers.has("prefer")).toBe(false);
    expect(exchanges[0]!.response.headers.has("preference-applied")).toBe(false);
    expect(await checkAnswer(exchanges[0]!, result)).toBe("full");
  });

  it("gzips a large body, which the relay takes as it is", async () => {
    const relay = relayWithEmulator();
    const { client, exchanges } = recordedClient(relay);
    const history = Array.from({ length: 60 }, (_, i) => ({
      type: "user_input",
      content: [{ type: "text", text: `message ${i} `.repeat(20) }],
    }));
    const result = await client.turn({ model: MODEL, history, input: "Summarize" });
    const request = exchanges[0]!.request;
    expect(request.headers.get("content-encoding")).toBe("gzip");
    expect((await request.arrayBuffer()).byteLength).toBeLessThan(Transcript.from(history).historyJson().length / 3);
    expect(result.status).toBe("completed");
    expect(result.transcript.length).toBe(history.length + 2);
  });

  it("runTools keeps the transcript and its attestation on an attesting relay", async () => {
    const relay = relayWithEmulator({ TRANSCRIPT_KEYS: `k1:${"1".repeat(40)}`, TRANSCRIPT_MODE: "require" });
    const { client } = recordedClient(relay);
    const tools: Record<string, ToolDefinition> = {
      get_order_status: {
        declaration: { description: "Order status", parameters: orderTool.parameters },
        handler: () => ({ status: "shipped" }),
      },
    };
    const run = await client.runTools({ model: MODEL, tools, input: "Where is my order A-4417?" });
    expect(run.stopReason).toBe("answered");
    expect(run.transcript.attestation).toMatch(/^v2\./);
    const stored = run.transcript.serialize();
    const next = await client.turn({ model: MODEL, tools: [orderTool], history: Transcript.parse(stored), input: "Thanks!" });
    expect(next.transcript.historyJson().startsWith(run.transcript.historyJson().slice(0, -1))).toBe(true);
  });
});

// What the client sends and how it reads the answer, on crafted answers: Prefer: return=minimal,
// history sent in its exact bytes, minimal and full answers appended, gzip uploads and the 415
// fallback, and a transport that streams text without a ReadableStream.
import { describe, expect, it } from "vitest";
import { createRelayClient, RelayProtocolError, Transcript, type FetchLike, type TurnEvent } from "../src/index.js";
import { webCryptoSha256 } from "../src/transcript.js";

const CALL =
  '{"type":"function_call","id":"c1","name":"pay","arguments":{"amount":12345678901234567890,"big":1e400,"z":-0,"p":1.10,"amount":2}}';
const USER = '{"type":"user_input","content":[{"type":"text","text":"Pay"}]}';

async function minimal(sentInner: string, sentCount: number, inputs: string[], steps: string[]): Promise<string> {
  return `{"input_steps":[${inputs.join(",")}],"steps":[${steps.join(",")}],"status":"requires_action","pending_calls":[${steps.join(",")}],"base":{"steps":${sentCount},"sha256":"${await webCryptoSha256(sentInner)}"}}`;
}

interface Sent {
  headers: Headers;
  text: string;
  raw: Uint8Array;
}

/** A fetch that records what it was sent (gunzipped) and answers with `answer`. */
function recorder(answer: (sent: Sent, n: number) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const request = new Request("http://relay.test/v1/turns", init);
    const raw = new Uint8Array(await request.arrayBuffer());
    const plain = request.headers.get("content-encoding") === "gzip" ? await gunzip(raw) : raw;
    const one = { headers: request.headers, text: new TextDecoder().decode(plain), raw };
    sent.push(one);
    return answer(one, sent.length);
  };
  return { sent, fetch };
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const json = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { headers: { "content-type": "application/json", ...headers } });

describe("minimal responses", () => {
  it("asks for them, sends the history in its bytes, and appends the answer to those bytes", async () => {
    const { sent, fetch } = recorder(async (_sent, n) =>
      n === 1
        ? json(await minimal("", 0, [USER], [CALL]), { "preference-applied": "return=minimal" })
        : json(await minimal(`${USER},${CALL}`, 2, ['{"type":"function_result","call_id":"c1","name":"pay","result":"ok"}'], []), {
            "preference-applied": "return=minimal",
          }),
    );
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch, compress: false });
    const t1 = await client.turn({ model: "m", input: "Pay" });
    expect(sent[0]!.headers.get("prefer")).toBe("return=minimal");
    expect(t1.transcript.historyJson()).toBe(`[${USER},${CALL}]`);
    expect(t1.history).toHaveLength(2);
    expect(t1.pending_calls[0]!.id).toBe("c1");
    expect(t1).not.toHaveProperty("base");
    // The plain array of parsed steps goes back in the bytes it came in.
    const answer = { type: "function_result", call_id: "c1", name: "pay", result: "ok" };
    const t2 = await client.turn({ model: "m", history: t1.history, input: [answer] });
    expect(sent[1]!.text).toBe(`{"model":"m","input":[${JSON.stringify(answer)}],"history":[${USER},${CALL}]}`);
    expect(t2.transcript.stepText(1)).toBe(CALL);
    expect(t2.transcript.length).toBe(3);
  });

  it("refuses an answer that continues another history (a RelayProtocolError)", async () => {
    const { fetch } = recorder(async () => json(await minimal("", 0, [], [CALL])));
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch });
    await expect(client.turn({ model: "m", history: JSON.parse(`[${USER}]`), input: "x" })).rejects.toThrow(RelayProtocolError);
    await expect(client.turn({ model: "m", history: JSON.parse(`[${USER}]`), input: "x" })).rejects.toThrow(/1 sent/);
  });

  it("sends no Prefer with minimal: false, and reads a full answer either way", async () => {
    const { sent, fetch } = recorder(() => json(`{"history":[${USER},${CALL}],"steps":[${CALL}],"status":"requires_action"}`));
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch, minimal: false });
    const result = await client.turn({ model: "m", input: "Pay" });
    expect(sent[0]!.headers.has("prefer")).toBe(false);
    expect(result.transcript.historyJson()).toBe(`[${USER},${CALL}]`);
    expect(result.pending_calls).toEqual([result.steps[0]]);
  });

  it("appends a streamed turn.completed the same way, from a transport with text pieces and no ReadableStream", async () => {
    const body = await minimal("", 0, [USER], [CALL]);
    const sse = `event: step.delta\ndata: {"index":0,"delta":{"type":"text","text":"Hi"}}\n\nevent: turn.step\ndata: {"index":0,"step":${CALL}}\n\nevent: turn.completed\ndata: ${body}\n\n`;
    const fetch: FetchLike = () => {
      const pieces = sse.match(/[\s\S]{1,7}/g)!;
      return {
        ok: true,
        status: 200,
        headers: new Headers({ "content-type": "text/event-stream" }),
        body: null,
        text: async () => sse,
        textChunks: async function* () {
          yield* pieces;
        },
      } as unknown as Response;
    };
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch });
    const events: TurnEvent[] = [];
    for await (const event of client.streamTurn({ model: "m", input: "Pay" })) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["text.delta", "turn.step", "turn.completed"]);
    const done = events[2] as Extract<TurnEvent, { type: "turn.completed" }>;
    expect(done.result.transcript.historyJson()).toBe(`[${USER},${CALL}]`);
    // A step event's step keeps its bytes too.
    const step = events[1] as Extract<TurnEvent, { type: "turn.step" }>;
    expect(Transcript.from([step.step]).historyJson()).toBe(`[${CALL}]`);
  });
});

describe("compressed uploads", () => {
  const big = "x".repeat(10_000);
  const ok = () => json(`{"history":[],"steps":[],"status":"completed"}`);

  it("gzips a body from 8 KiB up, not a smaller one", async () => {
    const { sent, fetch } = recorder(ok);
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch });
    await client.turn({ model: "m", input: big });
    await client.turn({ model: "m", input: "small" });
    expect(sent[0]!.headers.get("content-encoding")).toBe("gzip");
    expect(sent[0]!.raw.length).toBeLessThan(1000);
    expect(JSON.parse(sent[0]!.text)).toEqual({ model: "m", input: big });
    expect(sent[1]!.headers.has("content-encoding")).toBe(false);
  });

  it("uses the compress hook where given (React Native), and never compresses with compress: false", async () => {
    const { sent, fetch } = recorder(ok);
    const calls: number[] = [];
    const hooked = createRelayClient({
      baseUrl: "http://relay.test",
      fetch,
      compressAbove: 100,
      compress: async (bytes) => {
        calls.push(bytes.length);
        const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
        return new Uint8Array(await new Response(stream).arrayBuffer());
      },
    });
    await hooked.turn({ model: "m", input: "y".repeat(200) });
    expect(calls).toHaveLength(1);
    expect(sent[0]!.headers.get("content-encoding")).toBe("gzip");
    await createRelayClient({ baseUrl: "http://relay.test", fetch, compress: false }).turn({ model: "m", input: big });
    expect(sent[1]!.headers.has("content-encoding")).toBe(false);
  });

  it("sends the body again uncompressed after a 415, once, and never gzips again", async () => {
    const refusal = () =>
      new Response(
        JSON.stringify({ type: "about:blank", title: "Unsupported", status: 415, code: "unsupported_media_type", detail: "no gzip" }),
        {
          status: 415,
          headers: { "content-type": "application/problem+json" },
        },
      );
    const { sent, fetch } = recorder(({ headers }) => (headers.has("content-encoding") ? refusal() : ok()));
    const client = createRelayClient({ baseUrl: "http://relay.test", fetch, maxRetries: 0 });
    await client.turn({ model: "m", input: big });
    await client.turn({ model: "m", input: big });
    expect(sent.map((s) => s.headers.get("content-encoding"))).toEqual(["gzip", null, null]);
    expect(JSON.parse(sent[1]!.text)).toEqual({ model: "m", input: big });
    // A 415 for anything else is not retried.
    const always = recorder(refusal);
    await expect(
      createRelayClient({ baseUrl: "http://relay.test", fetch: always.fetch }).turn({ model: "m", input: "x" }),
    ).rejects.toMatchObject({
      status: 415,
    });
    expect(always.sent).toHaveLength(1);
  });
});

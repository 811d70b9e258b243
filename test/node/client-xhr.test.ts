// The client's XMLHttpRequest transport (xhrFetch, for React Native, whose fetch cannot stream)
// against the relay as a real process (`npm run serve`) and the emulator: the same events as the
// fetch path, arriving as they come; a gzipped upload; typed errors; abort; a dropped connection.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRelayClient, RelayApiError, RelayConnectionError, xhrFetch, type TurnEvent } from "@gemini-relay/client";
import { serveEmulator, startRelayProcess, type RelayProcess, type ServedEmulator } from "./node-relay";
import { NodeXhr } from "./xhr-shim";

const MODEL = "gemini-3.5-flash";
let upstream: ServedEmulator;
let relay: RelayProcess;

beforeAll(async () => {
  upstream = await serveEmulator();
  relay = await startRelayProcess({
    GEMINI_BASE_URL: upstream.url,
    GEMINI_API_KEY: "node-test-key",
    UPSTREAM_MAX_RETRIES: "0",
    AUTH_MODE: "none",
  });
});

afterAll(async () => {
  relay?.child.kill("SIGTERM");
  await relay?.exited;
  await upstream?.close();
});

const xhrClient = (baseUrl = relay.url) => createRelayClient({ baseUrl, fetch: xhrFetch({ XMLHttpRequest: NodeXhr }) });

async function events(client: ReturnType<typeof createRelayClient>, input: string, signal?: AbortSignal): Promise<TurnEvent[]> {
  const seen: TurnEvent[] = [];
  for await (const event of client.streamTurn({ model: MODEL, input, signal })) seen.push(event);
  return seen;
}

const shape = (list: TurnEvent[]) => list.map((e) => (e.type === "upstream" ? `upstream:${e.event}` : e.type));

describe("xhrFetch against npm run serve", () => {
  it("streams the same events as fetch, as they arrive, and appends the same transcript", async () => {
    const prompt = "Tell me about the relay";
    // Two identical replies, paused between events, so pieces arrive apart over the loopback.
    const reply = {
      steps: [{ type: "model_output", content: [{ type: "text", text: "The relay keeps nothing. ".repeat(8) }] }],
      stream: { pauseMs: 20 },
    };
    upstream.emulator.script(MODEL, reply, reply);
    const viaXhr: TurnEvent[] = [];
    let stateAtFirstDelta: number | undefined;
    for await (const event of xhrClient().streamTurn({ model: MODEL, input: prompt })) {
      if (event.type === "text.delta") stateAtFirstDelta ??= NodeXhr.made.at(-1)!.readyState;
      viaXhr.push(event);
    }
    expect(stateAtFirstDelta).toBe(3); // rendered while the body still arrives, not after load
    const viaFetch = await events(createRelayClient({ baseUrl: relay.url }), prompt);
    expect(shape(viaXhr)).toEqual(shape(viaFetch));
    expect(viaXhr.filter((e) => e.type === "text.delta").length).toBeGreaterThan(1);
    const xhr = NodeXhr.made.at(-1)!;
    expect(xhr.progressEvents).toBeGreaterThan(1); // pieces, not one body at the end
    const [a, b] = [viaXhr.at(-1), viaFetch.at(-1)] as Extract<TurnEvent, { type: "turn.completed" }>[];
    expect(a!.result.output_text).toBe(b!.result.output_text);
    expect(a!.result.transcript.length).toBe(b!.result.transcript.length);
  });

  it("sends a gzipped body (CompressionStream) and reads unary answers and typed errors", async () => {
    const client = xhrClient();
    const history = Array.from({ length: 40 }, (_, i) => ({
      type: "user_input",
      content: [{ type: "text", text: `note ${i} `.repeat(30) }],
    }));
    const result = await client.turn({ model: MODEL, history, input: "Summarize" });
    expect(result.transcript.length).toBe(42);
    expect(NodeXhr.made.at(-1)!.requestHeaders["content-encoding"]).toBe("gzip");
    const bad = await client.turn({ model: "", input: "x" }).catch((err: unknown) => err);
    expect(bad).toBeInstanceOf(RelayApiError);
    expect((bad as RelayApiError).status).toBe(400);
  });

  it("aborts the XHR when the caller aborts mid-stream, and throws the caller's reason", async () => {
    upstream.emulator.script(MODEL, {
      steps: [{ type: "model_output", content: [{ type: "text", text: "Once upon a time" }] }],
      stream: { pauseMs: 200 },
    });
    const controller = new AbortController();
    const reason = new Error("user left the screen");
    const client = xhrClient();
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of client.streamTurn({ model: MODEL, input: "A long story", signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === "text.delta") controller.abort(reason);
      }
    })();
    await expect(run).rejects.toBe(reason);
    expect(seen).not.toContain("turn.completed");
    expect(NodeXhr.made.at(-1)!.aborted).toBe(true);
  });

  it("throws a RelayConnectionError when the connection drops mid-stream", async () => {
    // A proxy that passes the relay's answer on, then cuts the connection after its first piece.
    const proxy: Server = createServer((req, res) => {
      const out = request(`${relay.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.once("data", (piece: Buffer) => {
          res.write(piece);
          setTimeout(() => res.socket?.destroy(), 50);
        });
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const error = await events(xhrClient(`http://127.0.0.1:${port}`), "Go on [emulator:slow=100]").catch((err: unknown) => err);
      expect(error).toBeInstanceOf(RelayConnectionError);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

// The client against the real relay app in-process (the real SDK adapter talking to the emulator):
// turns, streams, typed errors and retries, with fetch handed to app.request.
import { describe, expect, it } from "vitest";
import {
  createRelayClient,
  RelayApiError,
  RelayConnectionError,
  RelayProtocolError,
  RelayTimeoutError,
  type TurnEvent,
} from "@gemini-relay/client";
import { BASE, clientFor, orderTool } from "./helpers";
import { relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
/** The relay retries the upstream itself; off here, so its 429s and 5xx reach the client as they are. */
const ONE_UPSTREAM_CALL = { UPSTREAM_MAX_RETRIES: "0" };

describe("client.turn", () => {
  it("runs the seed scenario: a call to answer, then the answer, history carried by the caller", async () => {
    const relay = relayWithEmulator();
    const { client, requests } = clientFor(relay, { token: "s3cret" });

    const t1 = await client.turn({ model: MODEL, tools: [orderTool], input: "Where is my order A-4417?" });
    expect(t1.status).toBe("requires_action");
    expect(t1.pending_calls).toHaveLength(1);
    const call = t1.pending_calls[0]!;
    expect(call).toMatchObject({ type: "function_call", name: "get_order_status", arguments: { order_id: "A-4417" } });
    expect(t1.history).toEqual([{ type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] }, ...t1.steps]);

    const answer = { type: "function_result", call_id: call.id, name: call.name, result: "shipped" };
    const t2 = await client.turn({ model: MODEL, tools: [orderTool], history: t1.history, input: [answer] });
    expect(t2.status).toBe("completed");
    expect(t2.pending_calls).toEqual([]);
    expect(t2.output_text).toMatch(/shipped/);
    expect(t2.history).toEqual([...t1.history, answer, ...t2.steps]);

    const sent = requests[0]!;
    expect(sent.method).toBe("POST");
    expect(new URL(sent.url).pathname).toBe("/v1/turns");
    expect(sent.headers.get("authorization")).toBe("Bearer s3cret");
    expect(sent.headers.get("content-type")).toBe("application/json");
    expect(await requests[1]!.json()).toEqual({ model: MODEL, tools: [orderTool], history: t1.history, input: [answer] });
  });

  it("sends no Authorization header without a token, and never sends its own options (signal)", async () => {
    const relay = relayWithEmulator();
    const { client, requests } = clientFor(relay, { baseUrl: `${BASE}/` });
    await client.turn({ model: MODEL, input: "hi", signal: new AbortController().signal });
    expect(requests[0]!.headers.has("authorization")).toBe(false);
    expect(requests[0]!.url).toBe(`${BASE}/v1/turns`);
    expect(await requests[0]!.json()).toEqual({ model: MODEL, input: "hi" });
  });

  it("computes pending_calls from steps when the relay does not send them", async () => {
    const relay = relayWithEmulator();
    const client = createRelayClient({
      baseUrl: BASE,
      fetch: async (input, init) => {
        const res = await relay.app.request(input, init, relay.env);
        const { pending_calls: _dropped, ...body } = (await res.json()) as Record<string, unknown>;
        return Response.json(body);
      },
    });
    const result = await client.turn({ model: MODEL, tools: [orderTool], input: "Where is my order A-4417?" });
    expect(result.pending_calls.map((c) => c.name)).toEqual(["get_order_status"]);
    expect(result.pending_calls[0]).toBe(result.steps.find((s) => s.type === "function_call"));
  });

  it("throws a RelayProtocolError when the answer is not a turn result", async () => {
    const client = createRelayClient({
      baseUrl: BASE,
      fetch: async () => new Response("<html>hi</html>", { headers: { "content-type": "text/html" } }),
    });
    await expect(client.turn({ model: MODEL, input: "x" })).rejects.toThrow(RelayProtocolError);
    const json = createRelayClient({ baseUrl: BASE, fetch: async () => Response.json({ hello: "world" }) });
    await expect(json.turn({ model: MODEL, input: "x" })).rejects.toThrow(/not a turn result/);
  });
});

describe("client.streamTurn", () => {
  it("yields text deltas, turn.step per finished step, and ends with what turn() returns", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const history = [
      { type: "user_input", content: [{ type: "text", text: "earlier" }] },
      { type: "model_output", content: [{ type: "text", text: "ok" }] },
    ];
    const unary = await client.turn({ model: MODEL, history, input: "Tell me something rather long, please" });

    const events: TurnEvent[] = [];
    for await (const event of client.streamTurn({ model: MODEL, history, input: "Tell me something rather long, please" }))
      events.push(event);

    const deltas = events.filter((e) => e.type === "text.delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => e.text).join("")).toBe(unary.output_text);
    const last = events.at(-1)!;
    expect(last.type).toBe("turn.completed");
    const result = last.type === "turn.completed" ? last.result : undefined;
    expect(result).toStrictEqual(unary);
    const steps = events.filter((e) => e.type === "turn.step");
    expect(steps.map((e) => e.step)).toEqual(unary.steps);
    expect(steps.map((e) => e.index)).toEqual(unary.steps.map((_, i) => i));
    // Upstream lifecycle events come through, typed as `upstream`.
    expect(events[0]).toMatchObject({ type: "upstream", event: "interaction.created" });
  });

  it("yields thought summaries and the function call, with pending_calls on turn.completed", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const events: TurnEvent[] = [];
    for await (const event of client.streamTurn({
      model: MODEL,
      tools: [orderTool],
      generation_config: { thinking_summaries: "auto" },
      input: "Where is my order A-4417?",
    })) {
      events.push(event);
    }
    const summary = events
      .filter((e) => e.type === "thought_summary.delta")
      .map((e) => e.text)
      .join("");
    expect(summary).toMatch(/get_order_status/);
    const completed = events.at(-1);
    expect(completed?.type === "turn.completed" && completed.result.pending_calls[0]?.name).toBe("get_order_status");
  });

  it("aborts the request when the loop is left early", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("long", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "x".repeat(240) }] }],
      stream: { pauseMs: 30 },
    });
    const { client, requests } = clientFor(relay);
    let deltas = 0;
    for await (const event of client.streamTurn({ model: "long", input: "go" })) {
      if (event.type === "text.delta") deltas++;
      if (deltas === 2) break;
    }
    expect(requests[0]!.signal.aborted).toBe(true);
    await expect.poll(() => relay.emulator.requests[0]?.aborted, { timeout: 3_000 }).toBe(true);
  });

  it("honours an AbortSignal: the loop throws the signal's reason and the upstream call is aborted", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("long", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "y".repeat(240) }] }],
      stream: { pauseMs: 30 },
    });
    const { client } = clientFor(relay);
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const event of client.streamTurn({ model: "long", input: "go", signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === "text.delta") controller.abort(new Error("user pressed stop"));
      }
    };
    await expect(run()).rejects.toThrow("user pressed stop");
    expect(seen).not.toContain("turn.completed");
    await expect.poll(() => relay.emulator.requests[0]?.aborted, { timeout: 3_000 }).toBe(true);
  });

  it("throws turn.error as a RelayApiError (streamed) and does not retry it", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("err", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "some words here" }] }],
      stream: { fault: { afterEvents: 4, kind: "error", error: { code: "service_unavailable", message: "Overloaded." } } },
    });
    const { client, requests } = clientFor(relay, { retry: { initialDelayMs: 1 } });
    const seen: TurnEvent[] = [];
    const error = await (async () => {
      for await (const event of client.streamTurn({ model: "err", input: "x" })) seen.push(event);
    })().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayApiError);
    expect(error).toMatchObject({ streamed: true, status: 502, code: "upstream_unavailable" });
    expect(seen.some((e) => e.type === "upstream" && e.event === "error")).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it("reports a stream that ends without turn.completed as a connection error", async () => {
    const body = "event: interaction.created\ndata: {}\n\n: keep-alive\n\n";
    const client = createRelayClient({
      baseUrl: BASE,
      fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    });
    const seen: TurnEvent[] = [];
    const error = await (async () => {
      for await (const event of client.streamTurn({ model: MODEL, input: "x" })) seen.push(event);
    })().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayConnectionError);
    expect(String(error)).toMatch(/ended before turn\.completed/);
    expect(seen).toEqual([{ type: "upstream", event: "interaction.created", data: {} }]);
  });
});

describe("typed errors", () => {
  it("turns a 400 problem into a RelayApiError with its findings, without retrying", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    const { client, requests } = clientFor(relay);
    const error = await client.turn({ model: "", input: "hi" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayApiError);
    const problem = error as RelayApiError;
    expect(problem).toMatchObject({ status: 400, code: "invalid_request", streamed: false });
    expect(problem.errors).toContainEqual({ path: "/model", message: expect.stringMatching(/model name/) });
    expect(problem.message).toMatch(/^400 invalid_request: /);
    expect(problem.detail).toMatch(/\/model/);
    expect(requests).toHaveLength(1);
  });

  it("reads the request id from the problem body or the Request-Id header", async () => {
    const problem = { type: "urn:x", title: "Nope", status: 404, code: "not_found", detail: "No route." };
    const withHeader = createRelayClient({
      baseUrl: BASE,
      fetch: async () =>
        new Response(JSON.stringify(problem), {
          status: 404,
          headers: { "content-type": "application/problem+json", "request-id": "req-1" },
        }),
    });
    await expect(withHeader.turn({ model: MODEL, input: "x" })).rejects.toMatchObject({
      status: 404,
      code: "not_found",
      requestId: "req-1",
      title: "Nope",
    });
    const inBody = createRelayClient({
      baseUrl: BASE,
      fetch: async () => Response.json({ ...problem, request_id: "req-2" }, { status: 404 }),
    });
    await expect(inBody.turn({ model: MODEL, input: "x" })).rejects.toMatchObject({ requestId: "req-2" });
  });

  it("describes a non-problem error body by its status", async () => {
    const client = createRelayClient({
      baseUrl: BASE,
      fetch: async () => new Response("Bad gateway from a proxy", { status: 502, statusText: "Bad Gateway" }),
    });
    await expect(client.turn({ model: MODEL, input: "x" })).rejects.toMatchObject({
      status: 502,
      code: "http_502",
      detail: "Bad gateway from a proxy",
    });
  });

  it("retries a 429 after the Retry-After the relay sends, then succeeds", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    relay.emulator.script(
      "busy",
      { error: { status: 429, retryAfterSeconds: 1 } },
      { steps: [{ type: "model_output", content: [{ type: "text", text: "finally" }] }] },
    );
    const retries: { retry: number; delayMs: number; code: string }[] = [];
    const { client, requests } = clientFor(relay, {
      onRetry: ({ retry, delayMs, error }) => retries.push({ retry, delayMs, code: error.code }),
    });
    const started = Date.now();
    const result = await client.turn({ model: "busy", input: "x" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.output_text).toBe("finally");
    expect(requests).toHaveLength(2);
    expect(retries).toEqual([{ retry: 1, delayMs: 1000, code: "upstream_rate_limited" }]);
  });

  it("retries a streamed turn refused with 429 before its first event", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    relay.emulator.script(
      "busy",
      { error: { status: 429, retryAfterSeconds: 1 } },
      { steps: [{ type: "model_output", content: [{ type: "text", text: "streamed" }] }] },
    );
    const { client, requests } = clientFor(relay);
    let text = "";
    for await (const event of client.streamTurn({ model: "busy", input: "x" })) if (event.type === "text.delta") text += event.text;
    expect(text).toBe("streamed");
    expect(requests).toHaveLength(2);
  });

  it("gives up after maxRetries and throws the last 429 with its Retry-After", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    const busy = { error: { status: 429, retryAfterSeconds: 1 } };
    relay.emulator.script("busy", busy, busy, { steps: [{ type: "model_output", content: [{ type: "text", text: "too late" }] }] });
    const { client, requests } = clientFor(relay, { maxRetries: 1 });
    await expect(client.turn({ model: "busy", input: "x" })).rejects.toMatchObject({
      status: 429,
      code: "upstream_rate_limited",
      retryAfterMs: 1000,
    });
    expect(requests).toHaveLength(2);
  });

  it("keeps one user action to 3 upstream attempts, the relay's own retries included", async () => {
    const busy = { error: { status: 429, retryAfterMs: 1 } };
    for (const [relayRetries, clientRequests] of [
      ["2", 1],
      ["0", 3],
    ] as const) {
      const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: relayRetries });
      relay.emulator.script("busy", ...Array.from({ length: 9 }, () => busy));
      const { client, requests } = clientFor(relay, { retry: { initialDelayMs: 1 } });
      await expect(client.turn({ model: "busy", input: "x" })).rejects.toMatchObject({ status: 429 });
      expect(relay.emulator.requests, `relay retries ${relayRetries}`).toHaveLength(3);
      expect(requests).toHaveLength(clientRequests);
    }
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    relay.emulator.script("busy", { error: { status: 429, retryAfterSeconds: 30 } });
    const { client, requests } = clientFor(relay, { retry: { maxRetryAfterMs: 5_000 } });
    const started = Date.now();
    await expect(client.turn({ model: "busy", input: "x" })).rejects.toMatchObject({ status: 429, retryAfterMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests).toHaveLength(1);
  });

  it("retries a 503 with backoff, and never retries a 502 or a 4xx other than 429", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    let refusals = 1;
    const calls: number[] = [];
    const client = createRelayClient({
      baseUrl: BASE,
      retry: { initialDelayMs: 5 },
      fetch: async (input, init) => {
        calls.push(Date.now());
        if (refusals-- > 0)
          return Response.json(
            { type: "urn:x", title: "Unavailable", status: 503, code: "unavailable", detail: "Try again." },
            { status: 503 },
          );
        return relay.app.request(input, init, relay.env);
      },
    });
    expect((await client.turn({ model: MODEL, input: "hi" })).output_text).toMatch(/You said: hi/);
    expect(calls).toHaveLength(2);

    relay.emulator.script("broken", { error: { status: 500 } });
    const { client: direct, requests } = clientFor(relay, { retry: { initialDelayMs: 5 } });
    await expect(direct.turn({ model: "broken", input: "x" })).rejects.toMatchObject({ status: 502, code: "upstream_unavailable" });
    expect(requests).toHaveLength(1);

    relay.emulator.script("forbidden", { error: { status: 404, message: "no such model" } });
    await expect(direct.turn({ model: "forbidden", input: "x" })).rejects.toMatchObject({ status: 404, code: "upstream_rejected" });
    expect(requests).toHaveLength(2);
  });

  it("times out a slow turn with a RelayTimeoutError and aborts it", async () => {
    const relay = relayWithEmulator(ONE_UPSTREAM_CALL);
    relay.emulator.script("slow", { steps: [{ type: "model_output", content: [{ type: "text", text: "late" }] }], delayMs: 2_000 });
    const { client } = clientFor(relay, { timeoutMs: 100 });
    const error = await client.turn({ model: "slow", input: "x" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, url: `${BASE}/v1/turns` });
    await expect.poll(() => relay.emulator.requests[0]?.aborted, { timeout: 3_000 }).toBe(true);
  });

  it("wraps a failed fetch in a RelayConnectionError naming the URL and the cause", async () => {
    const client = createRelayClient({
      baseUrl: "http://127.0.0.1:8787",
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8787") });
      },
    });
    const error = await client.turn({ model: MODEL, input: "x" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RelayConnectionError);
    expect(error).not.toBeInstanceOf(RelayTimeoutError);
    expect((error as Error).message).toBe(
      "Could not reach the relay at http://127.0.0.1:8787/v1/turns: fetch failed (connect ECONNREFUSED 127.0.0.1:8787).",
    );
  });
});

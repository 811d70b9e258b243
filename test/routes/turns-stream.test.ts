import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/config";
import { JsonScanner } from "../../src/json/scan";
import type { TurnResponse } from "../../src/schemas";
import { parseSse, problemOf, readSse, relayOverFetch, relayWithEmulator } from "../helpers";
import { TOOLS, interaction } from "./hostile-interactions";

const MODEL = "gemini-3.5-flash";
const streamed = (body: object) => ({ ...body, stream: true });

async function streamBody(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return parseSse(await res.text());
}

describe("POST /v1/turns with stream: true", () => {
  it("forwards every upstream event in order, then turn.step per finished step, and ends with turn.completed", async () => {
    const relay = relayWithEmulator();
    const tool = {
      type: "function",
      name: "get_order_status",
      parameters: { type: "object", properties: { order_id: { type: "string" } } },
    };
    const { events } = await streamBody(await relay.turn(streamed({ model: MODEL, tools: [tool], input: "Where is my order A-4417?" })));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("interaction.created");
    expect(names.at(-1)).toBe("turn.completed");
    expect(names).toContain("step.delta");
    expect(names).not.toContain("done");
    expect(events.some((e) => e.data === "[DONE]")).toBe(false);
    // Each forwarded upstream event keeps its own JSON, event_type included.
    for (const e of events.filter((e) => !e.event.startsWith("turn."))) expect(JSON.parse(e.data).event_type).toBe(e.event);
    // A turn.step follows each step.stop.
    names.forEach((name, i) => {
      if (name === "step.stop") expect(names[i + 1]).toBe("turn.step");
    });
    const completed = JSON.parse(events.at(-1)!.data) as TurnResponse;
    const stepEvents = events.filter((e) => e.event === "turn.step").map((e) => JSON.parse(e.data));
    expect(stepEvents.map((s) => s.step)).toEqual(completed.steps);
    expect(stepEvents.map((s) => s.index)).toEqual(completed.steps.map((_, i) => i));
    expect(completed.status).toBe("requires_action");
    expect(relay.creates()[0]).toMatchObject({ stream: true, store: false });
  });

  it("ends with exactly the bytes the unstreamed call returns, for any scripted reply", async () => {
    const relay = relayWithEmulator();
    const text = fc.string({ minLength: 1, maxLength: 40 });
    const textBlock = text.map((t) => ({ type: "text", text: t }));
    const image = fc.base64String({ minLength: 4, maxLength: 24 }).map((data) => ({ type: "image", data, mime_type: "image/png" }));
    // Blocks as the API produces them: text runs separated by media (adjacent text would be one block).
    const content = fc
      .array(fc.oneof(textBlock, image), { minLength: 1, maxLength: 4 })
      .map((blocks) => blocks.filter((b, i) => !(b.type === "text" && blocks[i - 1]?.type === "text")));
    const step = fc.oneof(
      fc.record({ type: fc.constant("model_output"), content }),
      fc.record({
        type: fc.constant("thought"),
        summary: fc.array(textBlock, { maxLength: 2 }),
        signature: fc.base64String({ minLength: 4, maxLength: 40 }),
      }),
      fc.record({
        type: fc.constant("function_call"),
        id: fc.stringMatching(/^[a-z0-9]{8}$/),
        name: fc.constantFrom("lookup", "get_weather"),
        arguments: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.oneof(text, fc.integer(), fc.boolean()), { maxKeys: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        relay.emulator.reset();
        relay.emulator.script("s", { steps }, { steps });
        const history = [
          { type: "user_input", content: [{ type: "text", text: "earlier" }] },
          { type: "model_output", content: [{ type: "text", text: "ok" }] },
        ];
        const unaryRes = await relay.turn({ model: "s", history, input: "go" });
        const unary = await unaryRes.text();
        expect(unaryRes.status, unary).toBe(200);
        const { events } = await streamBody(await relay.turn(streamed({ model: "s", history, input: "go" })));
        expect(events.at(-1)!.event).toBe("turn.completed");
        // Byte for byte: the emulator's text deltas list `text` before `type`, its replies `type` first.
        expect(events.at(-1)!.data).toBe(unary);
        const stepEvents = events.filter((e) => e.event === "turn.step").map((e) => JSON.parse(e.data).step);
        expect(stepEvents).toStrictEqual((JSON.parse(unary) as TurnResponse).steps);
      }),
      { numRuns: 40 },
    );
  });

  it("forwards the first upstream event before the upstream sends its second", async () => {
    const relay = relayWithEmulator();
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    relay.emulator.script("gated", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "hi" }] }],
      stream: { gate: { afterEvents: 1, until } },
    });
    const res = await relay.turn(streamed({ model: "gated", input: "x" }));
    const events = readSse(res);
    const first = await events.next();
    expect(first.value?.event).toBe("interaction.created");
    // Only now may the emulator go on; had the relay buffered, we would never have seen the first event.
    release();
    const rest: string[] = [];
    for await (const e of events) rest.push(e.event);
    expect(rest.at(-1)).toBe("turn.completed");
  });

  it("keeps a silent stream alive with SSE comments", async () => {
    const relay = relayWithEmulator({ STREAM_KEEPALIVE_MS: "20" });
    relay.emulator.script("thinking", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "done" }] }],
      stream: { pauseMs: 120 },
    });
    const { comments, events } = await streamBody(await relay.turn(streamed({ model: "thinking", input: "x" })));
    expect(comments).toContain("keep-alive");
    expect(events.at(-1)!.event).toBe("turn.completed");
  });

  it("keeps the HTTP status of errors that happen before the first byte", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("busy", { error: { status: 429, retryAfterSeconds: 3 } });
    const res = await relay.turn(streamed({ model: "busy", input: "x" }));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("3");
    expect((await problemOf(res)).code).toBe("upstream_rate_limited");
  });

  it("turns an upstream error event into turn.error after forwarding it, and never completes", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("err", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "some words here" }] }],
      stream: { fault: { afterEvents: 4, kind: "error", error: { code: "deadline_exceeded", message: "Deadline expired." } } },
    });
    const { events } = await streamBody(await relay.turn(streamed({ model: "err", input: "x" })));
    const names = events.map((e) => e.event);
    expect(names.at(-2)).toBe("error");
    expect(names.at(-1)).toBe("turn.error");
    expect(names).not.toContain("turn.completed");
    const problem = JSON.parse(events.at(-1)!.data);
    expect(problem).toMatchObject({ status: 504, code: "upstream_timeout" });
  });

  for (const kind of ["cut", "close"] as const) {
    it(`reports turn.error when the upstream stream is ${kind === "cut" ? "cut" : "closed early"}, keeping the turn.step events already sent`, async () => {
      const relay = relayWithEmulator();
      relay.emulator.script("drop", {
        steps: [
          { type: "thought", signature: "c2ln" },
          { type: "model_output", content: [{ type: "text", text: "a long answer that never ends" }] },
        ],
        stream: { fault: { afterEvents: 7, kind } },
      });
      const { events } = await streamBody(await relay.turn(streamed({ model: "drop", input: "x" })));
      const names = events.map((e) => e.event);
      expect(names.filter((n) => n === "turn.step")).toHaveLength(1);
      expect(JSON.parse(events.find((e) => e.event === "turn.step")!.data)).toEqual({
        index: 0,
        step: { type: "thought", signature: "c2ln" },
      });
      expect(names.at(-1)).toBe("turn.error");
      expect(names).not.toContain("turn.completed");
      expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 502, code: "upstream_unavailable" });
    });
  }

  it("ends a stalled upstream with a 504 turn.error at UPSTREAM_TIMEOUT_MS", async () => {
    const relay = relayWithEmulator({ UPSTREAM_TIMEOUT_MS: "100" });
    relay.emulator.script("stall", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "zzz" }] }],
      stream: { fault: { afterEvents: 2, kind: "stall" } },
    });
    const { events } = await streamBody(await relay.turn(streamed({ model: "stall", input: "x" })));
    expect(events.at(-1)!.event).toBe("turn.error");
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 504, code: "upstream_timeout" });
    await expect.poll(() => relay.emulator.requests[0]?.aborted).toBe(true);
  });

  it("aborts the upstream request when the caller disconnects", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("long", {
      steps: [{ type: "model_output", content: [{ type: "text", text: "x".repeat(200) }] }],
      stream: { pauseMs: 30 },
    });
    const res = await relay.turn(streamed({ model: "long", input: "x" }));
    const events = readSse(res);
    expect((await events.next()).value?.event).toBe("interaction.created");
    await events.return(undefined); // cancels the body: the caller is gone
    await expect.poll(() => relay.emulator.requests[0]?.aborted, { timeout: 3_000 }).toBe(true);
  });

  it("continues a requires_continuation hop itself and numbers steps across hops", async () => {
    const relay = relayWithEmulator();
    const a = { type: "model_output", content: [{ type: "text", text: "first half " }] };
    const b = { type: "model_output", content: [{ type: "text", text: "second half" }] };
    const script = () => relay.emulator.script("cont", { steps: [a], status: "requires_continuation" }, { steps: [b] });
    script();
    const unary = await relay.ok({ model: "cont", input: "x" });
    script();
    const { events } = await streamBody(await relay.turn(streamed({ model: "cont", input: "x" })));
    const steps = events.filter((e) => e.event === "turn.step").map((e) => JSON.parse(e.data));
    expect(steps).toEqual([
      { index: 0, step: a },
      { index: 1, step: b },
    ]);
    expect(events.filter((e) => e.event === "interaction.created")).toHaveLength(2);
    expect(JSON.parse(events.at(-1)!.data)).toEqual(unary);
    const hops = relay.creates().slice(2);
    expect(hops[1]).toMatchObject({ stream: true, store: false, continuation_token: expect.any(String) });
    expect(hops[1]!.input).toEqual(hops[0]!.input);
  });
});

/**
 * The emulator serializes the replies it is scripted with, so the hostile interactions (bytes no
 * JSON.stringify writes) come from a stand-in: the real SDK and the relay's adapter over a fetch
 * that answers each call with the next bytes given.
 */
function relayWithBytes(bindings: Partial<Bindings>) {
  const replies: { body: string; sse?: boolean }[] = [];
  const fetch = async () => {
    const reply = replies.shift();
    if (!reply) return new Response('{"error":{"code":"api_error","message":"nothing scripted"}}', { status: 500 });
    return new Response(reply.body, { headers: { "content-type": reply.sse ? "text/event-stream" : "application/json" } });
  };
  const { app, env } = relayOverFetch(fetch, bindings);
  const post = (body: string) =>
    Promise.resolve(app.request("/v1/turns", { method: "POST", headers: { "content-type": "application/json" }, body }, env));
  return { replies, post };
}

/** The bytes of a top-level member of a JSON text, as written. */
function memberText(json: string, key: string): string | undefined {
  const bytes = new TextEncoder().encode(json);
  const member = new JsonScanner(bytes, 10_000).rootObject().find((m) => m.key === key);
  return member && new TextDecoder().decode(bytes.subarray(member.value.start, member.value.end));
}

const KEY = `k1:${"1".repeat(40)}`;
const OK_REPLY =
  '{"id":"v1_y","object":"interaction","status":"completed","steps":[{"type":"model_output","content":[{"type":"text","text":"ok"}]}]}';

describe("a streamed step that never stops", () => {
  const events = (completedSteps: string) =>
    [
      '{"index":0,"step":{"type":"thought"},"event_type":"step.start"}',
      '{"index":0,"delta":{"signature":"c2ln","type":"thought_signature"},"event_type":"step.delta"}',
      '{"index":0,"event_type":"step.stop"}',
      '{"index":1,"step":{"type":"model_output"},"event_type":"step.start"}',
      '{"index":1,"delta":{"text":"cut sh","type":"text"},"event_type":"step.delta"}',
      `{"interaction":{"id":"v1_x","status":"completed"${completedSteps}},"event_type":"interaction.completed"}`,
    ]
      .map((data) => `event: ${(JSON.parse(data) as { event_type: string }).event_type}\ndata: ${data}\n\n`)
      .join("");

  it("ends the turn with turn.error, never a shorter turn.completed (it was dropped, status completed)", async () => {
    const relay = relayWithBytes({});
    relay.replies.push({ body: events(""), sse: true });
    const { events: received } = parseSse(await (await relay.post('{"model":"m","input":"q","stream":true}')).text());
    expect(received.map((e) => e.event)).not.toContain("turn.completed");
    expect(received.at(-1)!.event).toBe("turn.error");
    expect(JSON.parse(received.at(-1)!.data)).toMatchObject({ status: 502, code: "upstream_unavailable" });
    expect(JSON.parse(received.at(-1)!.data).detail).toMatch(/step.start 1 and no step.stop/);
  });

  it("is taken from interaction.completed when it carries it (it was dropped whenever another step streamed)", async () => {
    const relay = relayWithBytes({});
    const carried =
      ',"steps":[{"type":"thought","signature":"c2ln"},{"type":"model_output","content":[{"type":"text","text":"cut short? no", "n": 1.10}]}]';
    relay.replies.push({ body: events(carried), sse: true });
    const { events: received } = parseSse(await (await relay.post('{"model":"m","input":"q","stream":true}')).text());
    expect(received.at(-1)!.event).toBe("turn.completed");
    expect(memberText(received.at(-1)!.data, "steps")).toBe(
      '[{"type":"thought","signature":"c2ln"},{"type":"model_output","content":[{"type":"text","text":"cut short? no", "n": 1.10}]}]',
    );
  });
});

describe("streamed equals unary, byte for byte (differential, generated hostile upstream interactions)", () => {
  const configs: [string, Partial<Bindings>][] = [
    ["without TRANSCRIPT_KEYS", {}],
    ["with TRANSCRIPT_KEYS (verify)", { TRANSCRIPT_KEYS: KEY }],
    ["with TRANSCRIPT_KEYS (require)", { TRANSCRIPT_KEYS: KEY, TRANSCRIPT_MODE: "require" }],
  ];
  for (const [label, bindings] of configs) {
    it(`turn.completed is the unary body and the returned history is accepted back, ${label}`, async () => {
      await fc.assert(
        fc.asyncProperty(interaction, async (generated) => {
          const relay = relayWithBytes(bindings);
          const body = `{"model":"m","tools":${TOOLS},"input":"go"}`;
          relay.replies.push({ body: generated.unaryBody }, { body: generated.sseBody, sse: true });
          const unaryRes = await relay.post(body);
          const unary = await unaryRes.text();
          expect(unaryRes.status, unary).toBe(200);
          expect(memberText(unary, "steps")).toBe(`[${generated.steps.map((s) => s.unary).join(",")}]`);

          const { events } = parseSse(await (await relay.post(`${body.slice(0, -1)},"stream":true}`)).text());
          const last = events.at(-1)!;
          expect(last.event, last.data).toBe("turn.completed");
          expect(last.data).toBe(unary);
          // Each turn.step carries the same bytes, and comes for every step the stream stopped.
          const stepped = events
            .filter((e) => e.event === "turn.step")
            .map((e) => JSON.parse(e.data.slice(0, e.data.indexOf(',"step":')) + "}").index);
          for (const e of events.filter((e) => e.event === "turn.step")) {
            const index = JSON.parse(e.data.slice(0, e.data.indexOf(',"step":')) + "}").index as number;
            expect(e.data).toBe(`{"index":${index},"step":${generated.steps[index]!.unary}}`);
          }
          expect(stepped.sort()).toEqual(generated.modes.flatMap((mode, i) => (mode === "streamed" ? [i] : [])));

          // Closure: what the relay returned comes back as the next turn's history, bytes as received.
          const calls = generated.steps.flatMap((s) => (s.call ? [s.call] : []));
          const input =
            calls.length > 0
              ? JSON.stringify(calls.map((c) => ({ type: "function_result", call_id: c.id, name: c.name, result: "ok" })))
              : '"next"';
          const attestation = memberText(unary, "attestation");
          relay.replies.push({ body: OK_REPLY });
          const next = await relay.post(
            `{"model":"m","tools":${TOOLS},"history":${memberText(last.data, "history")}${attestation ? `,"attestation":${attestation}` : ""},"input":${input}}`,
          );
          expect(next.status, await next.text()).toBe(200);
        }),
        { numRuns: 30 },
      );
    }, 30_000);
  }
});

describe("the upstream's event bytes, however they are cut", () => {
  it("forwards a U+FEFF that starts a chunk of the upstream's stream, and splices it into turn.completed (a decoding stream dropped it)", async () => {
    const sse = [
      '{"index":0,"step":{"type":"model_output","content":[{"type":"text","text":""}]},"event_type":"step.start"}',
      '{"index":0,"delta":{"text":"a\ufeffb","type":"text"},"event_type":"step.delta"}',
      '{"index":0,"event_type":"step.stop"}',
      '{"interaction":{"id":"v1_x","status":"completed"},"event_type":"interaction.completed"}',
    ]
      .map((data) => `event: ${(JSON.parse(data) as { event_type: string }).event_type}\ndata: ${data}\n\n`)
      .join("");
    const bytes = new TextEncoder().encode(sse);
    const cut = bytes.indexOf(0xef);
    const fetch = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes.slice(0, cut));
            controller.enqueue(bytes.slice(cut));
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    const { app, env } = relayOverFetch(fetch);
    const res = await app.request(
      "/v1/turns",
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"model":"m","input":"q","stream":true}' },
      env,
    );
    const { events } = parseSse(await res.text());
    expect(events.find((e) => e.event === "step.delta")!.data).toContain("a\ufeffb");
    const completed = events.at(-1)!;
    expect(completed.event).toBe("turn.completed");
    expect(memberText(completed.data, "steps")).toBe('[{"type":"model_output","content":[{"type":"text","text":"a\ufeffb"}]}]');
  });
});

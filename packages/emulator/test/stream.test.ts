// Streaming: SSE framing, deltas that rebuild to the non-streamed steps, faults, aborts and the test gate.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText } from "../src/stream-events.js";
import {
  collect,
  create,
  createEmulator,
  eventsOf,
  harness,
  json,
  MODEL,
  parseSse,
  rebuildSteps,
  userInput,
  type Json,
} from "./helpers.js";

const say = (text: string) => ({ type: "model_output", content: [{ type: "text", text }] });
const orderTool = {
  type: "function",
  name: "get_order_status",
  parameters: { type: "object", properties: { order_id: { type: "string" }, note: { type: "string" } } },
};

async function rawStream(emulator: ReturnType<typeof createEmulator>, body: Json): Promise<{ response: Response; text: string }> {
  const response = await create(emulator, { model: MODEL, stream: true, ...body });
  return { response, text: await response.text() };
}

/** Every step index goes start → delta* → stop, and a thought's signature delta is its last delta. */
function expectWellFormedSteps(events: readonly Json[]): void {
  const stepEvents = events.filter((event) => String(event.event_type).startsWith("step."));
  let expected = 0;
  let open: number | undefined;
  let lastDelta: Json | undefined;
  for (const event of stepEvents) {
    const index = event.index as number;
    if (event.event_type === "step.start") {
      expect(open).toBeUndefined();
      expect(index).toBe(expected);
      open = index;
      lastDelta = undefined;
      if ((event.step as Json).type === "thought") expect(event.step).not.toHaveProperty("signature");
    } else if (event.event_type === "step.delta") {
      expect(index).toBe(open);
      if (lastDelta?.type === "thought_signature") throw new Error("a delta followed the thought signature");
      lastDelta = event.delta as Json;
      if (lastDelta.type === "arguments_delta") expect(typeof lastDelta.arguments).toBe("string");
    } else {
      expect(index).toBe(open);
      open = undefined;
      expected += 1;
    }
  }
  expect(open).toBeUndefined();
}

describe("SSE framing", () => {
  it("sends event lines, one-line JSON repeating event_type, the lifecycle order and [DONE]", async () => {
    const emulator = createEmulator();
    const { response, text } = await rawStream(emulator, {
      input: "Where is order A-4417? Add the note 'leave at the door please'",
      tools: [orderTool],
      generation_config: { thinking_summaries: "auto" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(text.endsWith("event: done\ndata: [DONE]\n\n")).toBe(true);
    const frames = parseSse(text);
    for (const frame of frames.slice(0, -1)) expect((JSON.parse(frame.data) as Json).event_type).toBe(frame.event);
    const events = eventsOf(frames);
    const types = events.map((event) => event.event_type);
    expect(types.slice(0, 2)).toEqual(["interaction.created", "interaction.status_update"]);
    expect(types.at(-1)).toBe("interaction.completed");
    expect(events[0]).toEqual({
      interaction: { id: expect.stringMatching(/^v1_/), status: "in_progress", object: "interaction", model: MODEL },
      event_type: "interaction.created",
    });
    expect(events[1]).toEqual({
      interaction_id: (events[0]?.interaction as Json).id,
      status: "in_progress",
      event_type: "interaction.status_update",
    });
    expectWellFormedSteps(events);

    const deltas = (index: number) =>
      events.filter((event) => event.event_type === "step.delta" && event.index === index).map((event) => event.delta as Json);
    expect(events.find((event) => event.event_type === "step.start" && event.index === 0)?.step).toEqual({ type: "thought" });
    expect(deltas(0).map((delta) => delta.type)).toEqual(["thought_summary", "thought_signature"]);
    const callStart = events.find((event) => event.event_type === "step.start" && event.index === 1)?.step as Json;
    expect(callStart).toEqual({
      type: "function_call",
      id: expect.stringMatching(/^[a-z0-9]{8}$/),
      name: "get_order_status",
      arguments: {},
    });
    const fragments = deltas(1);
    expect(fragments.length).toBeGreaterThan(2);
    expect(JSON.parse(fragments.map((delta) => delta.arguments).join(""))).toEqual({ order_id: "A-4417", note: "A-4417" });

    const completed = events.at(-1)?.interaction as Json;
    expect(Object.keys(completed)).toEqual(["id", "status", "usage", "created", "updated", "service_tier", "object", "model"]);
    expect(completed).toMatchObject({ status: "requires_action", service_tier: "standard", object: "interaction", model: MODEL });
  });

  it("splits text into several deltas and streams search steps through their typed deltas", async () => {
    const { text } = await rawStream(createEmulator(), {
      input: "search the latest news about the Rust compiler",
      tools: [{ type: "google_search" }],
    });
    const events = eventsOf(parseSse(text));
    expectWellFormedSteps(events);
    const starts = events.filter((event) => event.event_type === "step.start").map((event) => event.step as Json);
    expect(starts.map((step) => step.type)).toEqual(["google_search_call", "google_search_result", "model_output"]);
    expect(starts[0]).not.toHaveProperty("arguments");
    const searchDelta = events.find((event) => event.event_type === "step.delta" && event.index === 0)?.delta as Json;
    expect(searchDelta).toMatchObject({
      type: "google_search_call",
      arguments: { queries: [expect.any(String)] },
      signature: expect.any(String),
    });
    const outputDeltas = events
      .filter((event) => event.event_type === "step.delta" && event.index === 2)
      .map((event) => (event.delta as Json).type);
    expect(outputDeltas.filter((type) => type === "text").length).toBeGreaterThan(2);
    expect(outputDeltas.at(-1)).toBe("text_annotation_delta");
  });

  it("a streamed function-call turn rebuilds into history the emulator accepts back", async () => {
    const emulator = createEmulator();
    const first = eventsOf(parseSse((await rawStream(emulator, { input: "order B-12", tools: [orderTool] })).text));
    const steps = rebuildSteps(first) as Json[];
    const call = steps[1] as Json;
    const history = [
      userInput("order B-12"),
      ...steps,
      { type: "function_result", call_id: call.id, name: call.name, result: "delivered" },
    ];
    const second = await create(emulator, { model: MODEL, input: history, tools: [orderTool] });
    expect(second.status).toBe(200);
    expect(JSON.stringify(await second.json())).toContain("get_order_status returned: delivered.");
  });

  it("is readable by the SDK, event by event", async () => {
    const { client } = harness();
    const stream = await client.interactions.create(
      { model: MODEL, input: "hello there, streaming world", store: false, stream: true },
      { maxRetries: 0 },
    );
    const events = (await collect(stream)) as unknown as Json[];
    expect(events[0]?.event_type).toBe("interaction.created");
    expect(rebuildSteps(events)).toEqual([say("You said: hello there, streaming world")]);
    expect(events.filter((event) => event.event_type === "step.delta").length).toBeGreaterThan(1);
    expect(events.at(-1)?.event_type).toBe("interaction.completed");
  });
});

describe("scripted streams rebuild exactly", () => {
  const oddKey = fc.constantFrom("__proto__", "constructor", "toString", "ключ", "🔑", "");
  const text = fc.string({ unit: "binary", maxLength: 40 });
  const extras = fc.oneof(
    { weight: 3, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.dictionary(oddKey, json(2), { minKeys: 1, maxKeys: 2 }) },
  );
  /** Adds odd keys as own properties (fromEntries defines, it never assigns). */
  const withExtras = <T extends object>(base: fc.Arbitrary<T>) =>
    fc.tuple(base, extras).map(([value, more]) => Object.fromEntries([...Object.entries(value), ...Object.entries(more)]) as Json);
  const citation = fc.record({ type: fc.constant("url_citation"), url: fc.webUrl(), start_index: fc.nat(), end_index: fc.nat() });
  const textBlock = fc.record(
    { type: fc.constant("text"), text, annotations: fc.array(citation, { maxLength: 2 }) },
    { requiredKeys: ["type", "text"] },
  );
  const media = fc.record({
    type: fc.constantFrom("image", "audio", "document", "video"),
    data: fc.base64String({ maxLength: 16 }),
    mime_type: fc.constantFrom("image/png", "audio/wav"),
  });
  const block = fc.oneof(
    withExtras(textBlock),
    textBlock,
    withExtras(media),
    fc.record({ type: fc.constant("image"), uri: fc.constant("files/abc") }),
  );
  const id = fc.stringMatching(/^[a-z0-9]{8}$/);
  const step = fc.oneof(
    withExtras(fc.record({ type: fc.constant("model_output"), content: fc.array(block, { maxLength: 5 }) })),
    withExtras(
      fc.record(
        {
          type: fc.constant("thought"),
          summary: fc.array(textBlock, { maxLength: 3 }),
          signature: fc.oneof(fc.base64String({ maxLength: 40 }), fc.constant("")),
        },
        { requiredKeys: ["type"] },
      ),
    ),
    withExtras(
      fc.record({
        type: fc.constant("function_call"),
        id,
        name: fc.constantFrom("get_weather", "lookup"),
        arguments: fc.dictionary(fc.oneof(oddKey, fc.string()), json(3)),
      }),
    ),
    withExtras(
      fc.record(
        {
          type: fc.constant("google_search_call"),
          id,
          arguments: fc.record({ queries: fc.array(text, { maxLength: 2 }) }),
          signature: fc.base64String({ maxLength: 12 }),
        },
        { requiredKeys: ["type", "id"] },
      ),
    ),
    fc.record(
      {
        type: fc.constant("google_search_result"),
        call_id: id,
        result: fc.array(fc.record({ search_suggestions: text })),
        is_error: fc.boolean(),
      },
      { requiredKeys: ["type", "call_id"] },
    ),
    fc.record({ type: fc.constant("function_result"), call_id: id, name: fc.constant("lookup"), result: text }),
  );

  it("streamed events rebuild (§6.5) to the very steps the non-streamed reply returns (property)", async () => {
    const emulator = createEmulator();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 6 }), async (steps) => {
        emulator.script(MODEL, { steps }, { steps });
        const plain = (await (await create(emulator, { model: MODEL, input: "x" })).json()) as { steps: unknown };
        expect(plain.steps).toEqual(steps);
        const { text: raw } = await rawStream(emulator, { input: "x" });
        const events = eventsOf(parseSse(raw));
        expectWellFormedSteps(events);
        expect(rebuildSteps(events)).toEqual(steps);
      }),
      { numRuns: 150 },
    );
  });

  it("through the SDK as well (property)", async () => {
    const { emulator, client } = harness();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        emulator.script(MODEL, { steps });
        const stream = await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 });
        expect(rebuildSteps(await collect(stream))).toEqual(steps);
      }),
      { numRuns: 40 },
    );
  });

  it("streams an image between text blocks as its own delta, and keeps adjacent text blocks apart", async () => {
    const emulator = createEmulator();
    const content = [
      { type: "text", text: "Here is the chart you asked for:" },
      { type: "image", data: "iVBORw0KGgo=", mime_type: "image/png" },
      { type: "text", text: "first paragraph" },
      { type: "text", text: "second paragraph" },
    ];
    emulator.script(MODEL, { steps: [{ type: "model_output", content }] });
    const events = eventsOf(parseSse((await rawStream(emulator, { input: "x" })).text));
    const start = events.find((event) => event.event_type === "step.start")?.step as Json;
    // The block a text delta would merge into its predecessor is seeded in step.start with everything before it.
    expect(start).toEqual({ type: "model_output", content });
    emulator.script(MODEL, { steps: [{ type: "model_output", content: content.slice(0, 3) }] });
    const split = eventsOf(parseSse((await rawStream(emulator, { input: "x" })).text));
    expect(split.find((event) => event.event_type === "step.start")?.step).toEqual({ type: "model_output" });
    expect(split.filter((event) => event.event_type === "step.delta").map((event) => (event.delta as Json).type)).toContain("image");
    expect(rebuildSteps(split)).toEqual([{ type: "model_output", content: content.slice(0, 3) }]);
  });

  it("chunks text without losing or splitting characters (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (value) => {
        const chunks = chunkText(value);
        expect(chunks.join("")).toBe(value);
        for (const chunk of chunks.slice(0, -1)) expect(/[\uD800-\uDBFF]$/.test(chunk)).toBe(false);
        if (Array.from(value).length > 24) expect(chunks.length).toBeGreaterThan(1);
      }),
    );
  });
});

describe("stream faults", () => {
  it("error: an SSE error event, then the stream closes without completed or [DONE]", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, {
      steps: [say("doomed")],
      stream: { fault: { afterEvents: 3, kind: "error", error: { code: "gateway_timeout" } } },
    });
    const { text } = await rawStream(emulator, { input: "x" });
    const frames = parseSse(text);
    expect(frames.map((frame) => frame.event)).toEqual(["interaction.created", "interaction.status_update", "step.start", "error"]);
    expect(JSON.parse(frames[3]?.data ?? "")).toEqual({
      error: { code: "gateway_timeout", message: "Deadline expired before operation could complete." },
      event_type: "error",
    });

    const { emulator: viaSdk, client } = harness();
    viaSdk.script(MODEL, { steps: [say("doomed")], stream: { fault: { afterEvents: 2, kind: "error" } } });
    const events = (await collect(
      await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 }),
    )) as unknown as Json[];
    expect(events.map((event) => event.event_type)).toEqual(["interaction.created", "interaction.status_update", "error"]);
    expect(viaSdk.requests[0]).toMatchObject({ status: 200, aborted: false });
  });

  it("cut: the body errors after the events already sent, and the SDK iterator throws", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, { steps: [say("cut short")], stream: { fault: { afterEvents: 4, kind: "cut" } } });
    const response = await create(emulator, { model: MODEL, input: "x", stream: true });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = "";
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value;
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(parseSse(received).map((frame) => frame.event)).toEqual([
      "interaction.created",
      "interaction.status_update",
      "step.start",
      "step.delta",
    ]);

    const { emulator: viaSdk, client } = harness();
    viaSdk.script(MODEL, { steps: [say("cut short")], stream: { fault: { afterEvents: 3, kind: "cut" } } });
    const stream = await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 });
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event);
    })().then(
      () => undefined,
      (caught: unknown) => caught as { name: string },
    );
    expect(error?.name).toBe("APIConnectionError");
    expect(seen).toHaveLength(3);
  });

  it("close: the body ends cleanly without interaction.completed or [DONE]", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("unfinished")], stream: { fault: { afterEvents: 3, kind: "close" } } });
    const events = (await collect(
      await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 }),
    )) as unknown as Json[];
    expect(events.map((event) => event.event_type)).toEqual(["interaction.created", "interaction.status_update", "step.start"]);
  });

  it("stall: nothing more until the caller aborts, which is recorded", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("never")], stream: { fault: { afterEvents: 2, kind: "stall" } } });
    const controller = new AbortController();
    const stream = await client.interactions.create(
      { model: MODEL, input: "x", store: false, stream: true },
      { maxRetries: 0, signal: controller.signal },
    );
    const seen: Json[] = [];
    const iteration = (async () => {
      for await (const event of stream) {
        seen.push(event as unknown as Json);
        if (seen.length === 2) setTimeout(() => controller.abort(), 30);
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught as { name: string },
    );
    const error = await iteration;
    expect(error?.name).toBe("APIUserAbortError");
    expect(seen).toHaveLength(2);
    expect(emulator.requests[0]).toMatchObject({ status: 200, aborted: true });
  });

  it("stall: a reader that gives up (break) is recorded as aborted too", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("never")], stream: { fault: { afterEvents: 1, kind: "stall" } } }, { steps: [say("done")] });
    const stalled = await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 });
    for await (const event of stalled) {
      expect(event.event_type).toBe("interaction.created");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(emulator.requests[0]?.aborted).toBe(true);
    await collect(await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 }));
    expect(emulator.requests[1]?.aborted).toBe(false);
  });

  it("a scripted error on a stream request is an HTTP error the SDK throws before any event", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { error: { status: 429, retryAfterSeconds: 2 } });
    const error = await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 }).then(
      () => undefined,
      (caught: unknown) => caught as { name: string; status: number },
    );
    expect(error).toMatchObject({ name: "RateLimitError", status: 429 });
  });
});

describe("stream pacing", () => {
  it("a gate holds the stream after event N until the test releases it", async () => {
    const { emulator, client } = harness();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    emulator.script(MODEL, { steps: [say("gated")], stream: { gate: { afterEvents: 1, until: gate } } });
    const stream = await client.interactions.create({ model: MODEL, input: "x", store: false, stream: true }, { maxRetries: 0 });
    const iterator = stream[Symbol.asyncIterator]();
    const log: string[] = [];
    log.push(String((await iterator.next()).value?.event_type));
    const second = iterator.next().then((result) => log.push(String(result.value?.event_type)));
    const stillHeld = await Promise.race([second.then(() => "moved"), new Promise((resolve) => setTimeout(() => resolve("held"), 30))]);
    expect(stillHeld).toBe("held");
    log.push("released");
    release();
    await second;
    expect(log).toEqual(["interaction.created", "released", "interaction.status_update"]);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) log.push(String(next.value.event_type));
    expect(log.at(-1)).toBe("interaction.completed");
  });

  it("pauseMs spaces the events out", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, { steps: [say("slow")], stream: { pauseMs: 15 } });
    const started = Date.now();
    const { text } = await rawStream(emulator, { input: "x" });
    const frames = parseSse(text);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15 * (frames.length - 1) - 5);
  });
});

// requires_continuation hops: signed tokens bound to model + input, consumed by the SDK's automatic continuation.
import { describe, expect, it } from "vitest";
import { collect, create, createEmulator, harness, MODEL, userInput, type Json } from "./helpers.js";

const say = (text: string) => ({ type: "model_output", content: [{ type: "text", text }] });

describe("continuation", () => {
  it("a requires_continuation reply carries a token the next hop must send back with the same input", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, { steps: [say("part one, ")], status: "requires_continuation" }, { steps: [say("part two")] }, { steps: [] });
    const input = [userInput("tell me a long story")];
    const first = (await (await create(emulator, { model: MODEL, store: false, input })).json()) as Json;
    expect(first.status).toBe("requires_continuation");
    expect(first.continuation_token).toEqual(expect.any(String));

    const forged = await create(emulator, {
      model: MODEL,
      store: false,
      input,
      continuation_token: `${String(first.continuation_token)}x`,
    });
    expect(forged.status).toBe(400);
    const otherInput = await create(emulator, {
      model: MODEL,
      store: false,
      input: [userInput("other")],
      continuation_token: first.continuation_token,
    });
    expect(otherInput.status).toBe(400);
    expect(((await otherInput.json()) as { error: Json }).error.message).toContain("continuation_token");

    const second = (await (
      await create(emulator, { model: MODEL, store: false, input, continuation_token: first.continuation_token })
    ).json()) as Json;
    expect(second).toMatchObject({ status: "completed", steps: [say("part two")] });
    expect(second).not.toHaveProperty("continuation_token");
  });

  it("the SDK continues a unary create automatically, resending the original input with the token", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("part one, ")], status: "requires_continuation" }, { steps: [say("part two")] });
    const input = [userInput("tell me a long story")];
    const interaction = await client.interactions.create({ model: MODEL, store: false, input: input as never }, { maxRetries: 0 });
    expect(interaction.status).toBe("completed");
    expect(interaction.output_text).toBe("part one, part two");
    expect(interaction.continuation_ids).toHaveLength(2);
    const [first, second] = emulator.requests.map((request) => request.body as Json);
    expect(first).not.toHaveProperty("continuation_token");
    expect(second?.input).toEqual(input);
    expect(second?.continuation_token).toEqual(expect.any(String));
  });

  it("a scripted bogus token makes the SDK stop with ContinuationInterruptedError", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("half")], status: "requires_continuation", continuationToken: "bogus" });
    const error = await client.interactions.create({ model: MODEL, store: false, input: "x" }, { maxRetries: 0 }).then(
      () => undefined,
      (caught: unknown) => caught as { name: string; continuationToken: string },
    );
    expect(error).toMatchObject({ name: "ContinuationInterruptedError", continuationToken: "bogus" });
    expect(emulator.requests.map((request) => request.status)).toEqual([200, 400]);
  });

  it("the SDK continues a stream across hops and yields every hop's events", async () => {
    const { emulator, client } = harness();
    emulator.script(MODEL, { steps: [say("alpha ")], status: "requires_continuation" }, { steps: [say("beta")] });
    const stream = await client.interactions.create({ model: MODEL, store: false, stream: true, input: "x" }, { maxRetries: 0 });
    const events = (await collect(stream)) as unknown as Json[];
    const types = events.map((event) => event.event_type);
    expect(types.filter((type) => type === "interaction.created")).toHaveLength(2);
    const completions = events
      .filter((event) => event.event_type === "interaction.completed")
      .map((event) => (event.interaction as Json).status);
    expect(completions).toEqual(["requires_continuation", "completed"]);
    expect(emulator.requests[1]?.body).toMatchObject({ stream: true, continuation_token: expect.any(String) });
  });

  it("a checkpoint token lets the SDK resume a stream that was cut", async () => {
    const { emulator, client } = harness();
    emulator.script(
      MODEL,
      { steps: [say("lost")], stream: { checkpoint: true, fault: { afterEvents: 2, kind: "cut" } } },
      { steps: [say("resumed")] },
    );
    const stream = await client.interactions.create({ model: MODEL, store: false, stream: true, input: "x" }, { maxRetries: 0 });
    const events = (await collect(stream)) as unknown as Json[];
    const checkpoint = events.find((event) => event.event_type === "interaction.status_update" && event.continuation_token);
    expect(checkpoint).toBeDefined();
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests[1]?.body).toMatchObject({ continuation_token: checkpoint?.continuation_token });
    expect(events.at(-1)).toMatchObject({ event_type: "interaction.completed", interaction: { status: "completed" } });
  });

  it("[emulator:continue=3] spreads the echo over three hops without any stored state", async () => {
    const { emulator, client } = harness();
    const interaction = await client.interactions.create(
      { model: MODEL, store: false, input: "[emulator:continue=3] once upon a time" },
      { maxRetries: 0 },
    );
    expect(interaction.output_text).toBe("You said: once upon a time");
    expect(interaction.steps).toHaveLength(3);
    expect(emulator.requests.map((request) => request.status)).toEqual([200, 200, 200]);
  });
});

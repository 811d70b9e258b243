// The deterministic model, driven through the real SDK: tool calls, results, quiet failures, search, echo and limits.
import { describe, expect, it } from "vitest";
import { create, createEmulator, harness, MODEL, userInput, type Json } from "./helpers.js";

const orderTool = {
  type: "function",
  name: "get_order_status",
  description: "Look up the shipping status of an order.",
  parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
};

type Steps = Json[];

async function answer(body: Json): Promise<Json & { steps: Steps }> {
  const response = await create(createEmulator(), { model: MODEL, store: false, ...body });
  expect(response.status).toBe(200);
  return (await response.json()) as Json & { steps: Steps };
}

function textOf(steps: Steps): string {
  return steps
    .filter((step) => step.type === "model_output")
    .flatMap((step) => step.content as Json[])
    .map((block) => String(block.text))
    .join("");
}

describe("the seed scenario: order A-4417", () => {
  it("calls get_order_status, reads the result, then confirms the history came back intact", async () => {
    const { client } = harness();
    const tools = [orderTool];
    const history: unknown[] = [userInput("Where is my order A-4417?")];

    const first = await client.interactions.create(
      { model: MODEL, input: history as never, tools: tools as never, store: false },
      { maxRetries: 0 },
    );
    expect(first.status).toBe("requires_action");
    expect(first.output_text).toBeUndefined();
    const [thought, call, ...rest] = first.steps as unknown as Steps;
    expect(rest).toEqual([]);
    expect(thought).toEqual({ type: "thought", signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
    expect(call).toEqual({
      type: "function_call",
      id: expect.stringMatching(/^[a-z0-9]{8}$/),
      name: "get_order_status",
      arguments: { order_id: "A-4417" },
    });

    history.push(...(first.steps as unknown[]), {
      type: "function_result",
      call_id: call?.id,
      name: "get_order_status",
      result: "shipped",
    });
    const second = await client.interactions.create(
      { model: MODEL, input: history as never, tools: tools as never, store: false },
      { maxRetries: 0 },
    );
    expect(second.status).toBe("completed");
    expect(second.output_text).toBe("get_order_status returned: shipped.");
    expect((second.steps as unknown as Steps)[0]).toMatchObject({ type: "thought", signature: expect.any(String) });

    history.push(...(second.steps as unknown[]), userInput("Thanks! Anything else?"));
    const third = await client.interactions.create(
      { model: MODEL, input: history as never, tools: tools as never, store: false },
      { maxRetries: 0 },
    );
    expect(third.output_text).toBe("You said: Thanks! Anything else? (history intact: 6 steps, 2 thought signatures verified)");
  });
});

describe("function calling", () => {
  const weather = {
    type: "function",
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  };
  const clock = {
    type: "function",
    name: "world_clock",
    description: "Local time in a timezone.",
    parameters: { type: "object", properties: { zone: { type: "string" } } },
  };

  it("calls every matching tool in parallel, after one signed thought", async () => {
    const body = await answer({ input: "What is the weather and the local time in Paris?", tools: [weather, clock] });
    expect(body.status).toBe("requires_action");
    expect(body.steps.map((step) => [step.type, step.name])).toEqual([
      ["thought", undefined],
      ["function_call", "get_weather"],
      ["function_call", "world_clock"],
    ]);
    expect(body.steps[1]?.id).not.toBe(body.steps[2]?.id);
    expect(body.steps[1]?.arguments).toEqual({ city: "What is the weather and the local time in Paris?" });
  });

  it("matches on description words too, and not on noise words", async () => {
    expect((await answer({ input: "Which timezone is Tokyo in?", tools: [clock] })).steps.map((step) => step.type)).toEqual([
      "thought",
      "function_call",
    ]);
    expect((await answer({ input: "get the set", tools: [weather] })).steps.map((step) => step.type)).toEqual(["model_output"]);
  });

  it("fills arguments from the schema: digit tokens, numbers, booleans, enums, required containers", async () => {
    const booking = {
      type: "function",
      name: "book_table",
      parameters: {
        type: "object",
        properties: {
          code: { type: "string" },
          party: { type: "integer" },
          budget: { type: "number" },
          outdoor: { type: "boolean" },
          area: { type: "string", enum: ["bar", "terrace"] },
          tags: { type: "array" },
          extras: { type: "object" },
          optional_list: { type: "array" },
        },
        required: ["tags", "extras"],
      },
    };
    // `__proto__` as a real key needs defineProperty: an object literal would set the prototype instead.
    Object.defineProperty(booking.parameters.properties, "__proto__", { value: { type: "string" }, enumerable: true });
    const body = await answer({ input: "Book a table for 4.5 people on the terrace", tools: [booking] });
    const call = body.steps[1] as Json;
    expect(call.arguments).toEqual(
      JSON.parse('{"code":"4.5","party":4,"budget":4.5,"outdoor":true,"area":"terrace","tags":[],"extras":{},"__proto__":"4.5"}'),
    );
    expect(Object.keys(call.arguments as object)).toContain("__proto__");
    // Punctuation around the token goes; a hyphen inside an id does not make the number negative.
    const id = await answer({ input: "Book table (R-77)!", tools: [booking] });
    expect(id.steps[1]?.arguments).toMatchObject({ code: "R-77", party: 77, area: "bar" });
  });

  it("adds a thought summary when thinking_summaries is auto", async () => {
    const body = await answer({ input: "order A-1", tools: [orderTool], generation_config: { thinking_summaries: "auto" } });
    expect(body.steps[0]).toEqual({
      type: "thought",
      summary: [{ type: "text", text: expect.stringContaining("get_order_status") }],
      signature: expect.any(String),
    });
  });

  it("honours tool_choice none, any and allowed_tools", async () => {
    expect(
      (await answer({ input: "order A-1", tools: [orderTool], generation_config: { tool_choice: "none" } })).steps.map((s) => s.type),
    ).toEqual(["model_output"]);
    expect((await answer({ input: "hello", tools: [orderTool], generation_config: { tool_choice: "any" } })).steps[1]).toMatchObject({
      name: "get_order_status",
    });
    const allowed = { tool_choice: { allowed_tools: { mode: "auto", tools: ["world_clock"] } } };
    expect(
      (await answer({ input: "weather in Paris", tools: [weather, clock], generation_config: allowed })).steps.map((s) => s.type),
    ).toEqual(["model_output"]);
  });
});

describe("function results", () => {
  const call = { type: "function_call", id: "abc12345", name: "get_order_status", arguments: { order_id: "A-1" } };

  it("describes object, content and error results", async () => {
    const body = await answer({
      input: [
        userInput("order A-1 and A-2"),
        call,
        { type: "function_call", id: "def67890", name: "get_order_status", arguments: { order_id: "A-2" } },
        { type: "function_result", call_id: "abc12345", name: "get_order_status", result: { state: "shipped", eta: 2 } },
        {
          type: "function_result",
          call_id: "def67890",
          name: "get_order_status",
          is_error: true,
          result: [{ type: "text", text: "no such order." }],
        },
      ],
    });
    expect(body.status).toBe("completed");
    expect(textOf(body.steps)).toBe('get_order_status returned: {"state":"shipped","eta":2}. get_order_status failed: no such order.');
  });

  it("fails quietly like the real API when the call_id matches no call", async () => {
    const { client } = harness();
    const interaction = await client.interactions.create(
      {
        model: MODEL,
        store: false,
        input: [
          userInput("order A-1"),
          call,
          { type: "function_result", call_id: "zzzzzzzz", name: "get_order_status", result: "shipped" },
        ] as never,
      },
      { maxRetries: 0 },
    );
    expect(interaction.status).toBe("completed");
    expect(interaction.output_text).toBeUndefined();
    expect((interaction.steps as unknown as Steps).map((step) => step.type)).toEqual(["thought"]);
  });

  it("fails quietly when the name differs from the call's", async () => {
    const body = await answer({
      input: [userInput("order A-1"), call, { type: "function_result", call_id: "abc12345", name: "get_weather", result: "sunny" }],
    });
    expect(body.status).toBe("completed");
    expect(body.steps.map((step) => step.type)).toEqual(["thought"]);
  });
});

describe("google search", () => {
  it("searches on 'latest' with a search tool, citing a url by byte offsets", async () => {
    const prompt = "What is the latest on Zürich trams?";
    const body = await answer({ input: prompt, tools: [{ type: "google_search" }] });
    expect(body.steps.map((step) => step.type)).toEqual(["google_search_call", "google_search_result", "model_output"]);
    const [call, result, output] = body.steps as [Json, Json, Json];
    expect(call).toMatchObject({ arguments: { queries: [prompt] }, signature: expect.any(String) });
    expect(result).toMatchObject({ call_id: call.id, signature: expect.any(String), result: [{ search_suggestions: expect.any(String) }] });
    const block = (output.content as Json[])[0] as {
      text: string;
      annotations: Array<{ type: string; url: string; start_index: number; end_index: number }>;
    };
    const annotation = block.annotations[0]!;
    expect(annotation.type).toBe("url_citation");
    expect(annotation.url).toMatch(/^https:\/\//);
    const bytes = new TextEncoder().encode(block.text);
    expect(new TextDecoder().decode(bytes.slice(annotation.start_index, annotation.end_index))).toBe(
      "Example Domain has it covered (emulated search result).",
    );
    expect((body.usage as Json).total_tool_use_tokens).toBeGreaterThan(0);
  });

  it("does not search without the tool or the words", async () => {
    expect((await answer({ input: "search for cats" })).steps.map((step) => step.type)).toEqual(["model_output"]);
    expect((await answer({ input: "cats", tools: [{ type: "google_search" }] })).steps.map((step) => step.type)).toEqual(["model_output"]);
  });
});

describe("echo", () => {
  it("notes Files API references", async () => {
    const body = await answer({
      input: [
        {
          type: "user_input",
          content: [
            { type: "text", text: "Summarise these" },
            { type: "document", uri: "files/abc123", mime_type: "application/pdf" },
            { type: "image", uri: "https://generativelanguage.googleapis.com/v1beta/files/xyz", mime_type: "image/png" },
            { type: "image", uri: "https://example.com/cat.png", mime_type: "image/png" },
          ],
        },
      ],
    });
    expect(textOf(body.steps)).toBe("You said: Summarise these [2 files referenced]");
    expect((body.usage as Json).input_tokens_by_modality).toEqual([
      { modality: "text", tokens: 4 },
      { modality: "document", tokens: 258 },
      { modality: "image", tokens: 516 },
    ]);
  });

  it("counts earlier turns, and signatures it did not issue as unverified", async () => {
    const body = await answer({
      input: [
        userInput("one"),
        { type: "thought", signature: "bm90IG91cnM=" },
        { type: "model_output", content: [{ type: "text", text: "two" }] },
        userInput("three"),
      ],
    });
    expect(textOf(body.steps)).toBe("You said: three (history intact: 3 steps, 0 thought signatures verified)");
  });

  it("cuts the answer at max_output_tokens with status incomplete", async () => {
    const body = await answer({ input: "a long enough prompt", generation_config: { max_output_tokens: 2 } });
    expect(body.status).toBe("incomplete");
    expect(textOf(body.steps)).toBe("You said");
    expect((await answer({ input: "short", generation_config: { max_output_tokens: 1024 } })).status).toBe("completed");
  });
});

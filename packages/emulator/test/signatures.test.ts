// Thought signatures: issued by the emulator, verified statelessly, required on the thought before a function call.
import { describe, expect, it } from "vitest";
import { verifyThoughtSignatures } from "../src/emulator.js";
import { DEFAULT_SIGNING_SECRET } from "../src/hmac.js";
import { create, createEmulator, harness, MODEL, userInput, type Json } from "./helpers.js";

const tools = [
  {
    type: "function",
    name: "get_order_status",
    parameters: { type: "object", properties: { order_id: { type: "string" } } },
  },
];

/** Turn one of the seed scenario: [user, thought, call] plus the result, ready to send back. */
async function historyWithCall(secret?: string): Promise<Json[]> {
  const emulator = createEmulator(secret === undefined ? {} : { signingSecret: secret });
  const response = await create(emulator, { model: MODEL, store: false, tools, input: [userInput("order A-4417")] });
  const { steps } = (await response.json()) as { steps: Json[] };
  const call = steps[1] as Json;
  return [userInput("order A-4417"), ...steps, { type: "function_result", call_id: call.id, name: call.name, result: "shipped" }];
}

async function sendBack(history: unknown[], secret?: string): Promise<{ status: number; body: Json }> {
  const emulator = createEmulator(secret === undefined ? {} : { signingSecret: secret });
  const response = await create(emulator, { model: MODEL, store: false, tools, input: history });
  return { status: response.status, body: (await response.json()) as Json };
}

function withThought(history: Json[], change: (thought: Json) => Json): Json[] {
  return history.map((step) => (step.type === "thought" ? change(step) : step));
}

describe("thought signatures", () => {
  it("issued by one emulator verify in another with the same secret", async () => {
    const history = await historyWithCall();
    const report = await verifyThoughtSignatures(history);
    expect(report).toEqual({ verified: 1, problems: [] });
    expect((await sendBack(history)).status).toBe(200);
  });

  it("are required on the thought before a function call: missing, empty or altered → 400", async () => {
    const history = await historyWithCall();
    const altered = (signature: string) => `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    const variants: Record<string, Json[]> = {
      missing: withThought(history, ({ signature: _dropped, ...thought }) => thought),
      empty: withThought(history, (thought) => ({ ...thought, signature: "" })),
      altered: withThought(history, (thought) => ({ ...thought, signature: altered(String(thought.signature)) })),
      garbage: withThought(history, (thought) => ({ ...thought, signature: "not base64 !" })),
    };
    for (const [name, input] of Object.entries(variants)) {
      const { status, body } = await sendBack(input);
      expect(status, name).toBe(400);
      expect((body.error as Json).code, name).toBe("invalid_request");
      expect(String((body.error as Json).message), name).toContain("get_order_status");
    }
    expect((await verifyThoughtSignatures(variants.missing)).problems).toEqual([
      { index: 1, callName: "get_order_status", reason: "missing" },
    ]);
    expect((await verifyThoughtSignatures(variants.altered)).problems).toEqual([
      { index: 1, callName: "get_order_status", reason: "invalid" },
    ]);
  });

  it("are bound to the call that follows: renaming the call id breaks them", async () => {
    const history = await historyWithCall();
    const renamed = history.map((step) =>
      step.type === "function_call"
        ? { ...step, id: "zz99zz99" }
        : step.type === "function_result"
          ? { ...step, call_id: "zz99zz99" }
          : step,
    );
    expect((await sendBack(renamed)).status).toBe(400);
  });

  it("are bound to the secret", async () => {
    const history = await historyWithCall("secret-one");
    expect((await sendBack(history, "secret-one")).status).toBe(200);
    expect((await sendBack(history, "secret-two")).status).toBe(400);
    expect(await verifyThoughtSignatures(history, { signingSecret: DEFAULT_SIGNING_SECRET })).toMatchObject({ verified: 0 });
  });

  it("reach the SDK as BadRequestError when missing", async () => {
    const { client } = harness();
    const history = withThought(await historyWithCall(), ({ signature: _dropped, ...thought }) => thought);
    const error = await client.interactions
      .create({ model: MODEL, store: false, tools: tools as never, input: history as never }, { maxRetries: 0 })
      .then(
        () => undefined,
        (caught: unknown) => caught as { name: string; status: number },
      );
    expect(error).toMatchObject({ name: "BadRequestError", status: 400 });
  });

  it("that the emulator did not issue are ignored on thoughts not before a call", async () => {
    const emulator = createEmulator();
    emulator.script(MODEL, {
      steps: [
        { type: "thought", summary: [{ type: "text", text: "unsigned" }] },
        { type: "model_output", content: [{ type: "text", text: "hi" }] },
      ],
    });
    const first = (await (await create(emulator, { model: MODEL, input: [userInput("a")] })).json()) as { steps: Json[] };
    const history = [userInput("a"), ...first.steps, { type: "thought", signature: "Zm9yZWlnbg==" }, userInput("b")];
    const second = await create(emulator, { model: MODEL, input: history });
    expect(second.status).toBe(200);
    const text = (((await second.json()) as { steps: Json[] }).steps[0]?.content as Json[])[0]?.text;
    expect(text).toBe("You said: b (history intact: 4 steps, 0 thought signatures verified)");
  });

  it("an unsigned scripted thought before a scripted call is refused when sent back (Gemini 3 behaviour)", async () => {
    const emulator = createEmulator();
    const steps = [{ type: "thought" }, { type: "function_call", id: "c1", name: "f", arguments: {} }];
    emulator.script(MODEL, { steps });
    await create(emulator, { model: MODEL, input: "a" });
    const back = await create(emulator, {
      model: MODEL,
      input: [userInput("a"), ...steps, { type: "function_result", call_id: "c1", name: "f", result: "r" }],
    });
    expect(back.status).toBe(400);
  });

  it("are fresh on every thought (random nonce)", async () => {
    const [a, b] = await Promise.all([historyWithCall(), historyWithCall()]);
    expect(a[1]?.signature).not.toBe(b[1]?.signature);
  });
});

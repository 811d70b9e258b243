// Google's JS SDK (@google/genai 2.x or 3.x) through the relay: the client you already have, with the
// relay's URL as its base URL. The relay sends store=false upstream and keeps nothing, so your code
// holds the conversation: each call sends the whole history, tool results included.
import { GoogleGenAI, type Interactions } from "@google/genai";

const model = "gemini-3.5-flash";

/** Your relay token as the key (any string when the relay runs AUTH_MODE=none); `fetch` only if you need your own. */
export function relayClient(relayUrl: string, relayToken: string, fetch?: typeof globalThis.fetch) {
  return new GoogleGenAI({ apiKey: relayToken, httpOptions: { baseUrl: relayUrl, ...(fetch ? { fetch } : {}) } });
}

/** One question, one answer. */
export async function ask(client: GoogleGenAI, question: string): Promise<string> {
  const interaction = await client.interactions.create({ model, input: question, store: false });
  return interaction.output_text ?? "";
}

/** The answer as it is written: each text delta goes to `onText`. */
export async function askStreamed(client: GoogleGenAI, question: string, onText: (text: string) => void): Promise<void> {
  const stream = await client.interactions.create({ model, input: question, store: false, stream: true });
  for await (const event of stream) {
    if (event.event_type === "step.delta" && event.delta.type === "text") onText(event.delta.text);
  }
}

const tools: Interactions.Tool[] = [
  {
    type: "function",
    name: "get_order_status",
    description: "Look up the shipping status of an order",
    parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
  },
];

/**
 * A tool loop: the model asks for get_order_status, your code runs it, and the result goes back with
 * the history so far (the model's steps sent back exactly as received, thought signatures included).
 */
export async function askWithTools(
  client: GoogleGenAI,
  question: string,
  getOrderStatus: (args: unknown) => Promise<unknown>,
): Promise<{ text: string; history: Interactions.Step[] }> {
  const history: Interactions.Step[] = [{ type: "user_input", content: [{ type: "text", text: question }] }];
  for (;;) {
    const interaction = await client.interactions.create({ model, tools, input: history, store: false });
    const steps = interaction.steps ?? [];
    history.push(...steps);
    const calls = steps.filter((step) => step.type === "function_call");
    if (calls.length === 0) return { text: interaction.output_text ?? "", history };
    for (const call of calls) {
      const result = await getOrderStatus(call.arguments);
      history.push({ type: "function_result", call_id: call.id, name: call.name, result: JSON.stringify(result) });
    }
  }
}

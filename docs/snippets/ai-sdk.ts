// The Vercel AI SDK's google.interactions() through the relay (ai 7, @ai-sdk/google 4.0.129 or later:
// 4.0.121 mishandles tool results). The provider's base URL is the relay's plus the API version, and
// store: false says what the relay does anyway (Google's default would be to store). The AI SDK keeps
// the history of a tool loop and sends it back whole on each step.
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { generateText, isStepCount, streamText, tool } from "ai";
import { z } from "zod";

const model = "gemini-3.5-flash";
const providerOptions = { google: { store: false } };

/** Your relay token as the key (any string when the relay runs AUTH_MODE=none); `fetch` only if you need your own. */
export function relayModel(relayUrl: string, relayToken: string, fetch?: typeof globalThis.fetch) {
  const google = createGoogleGenerativeAI({ baseURL: `${relayUrl}/v1beta`, apiKey: relayToken, ...(fetch ? { fetch } : {}) });
  return google.interactions(model);
}

type RelayModel = ReturnType<typeof relayModel>;

/** One question, one answer. */
export async function ask(model: RelayModel, question: string): Promise<string> {
  const { text } = await generateText({ model, prompt: question, providerOptions });
  return text;
}

/** The answer as it is written: each text delta goes to `onText`. */
export async function askStreamed(model: RelayModel, question: string, onText: (text: string) => void): Promise<string> {
  const result = streamText({ model, prompt: question, providerOptions });
  for await (const text of result.textStream) onText(text);
  return result.text;
}

/** A tool loop: the model asks for get_order_status, the AI SDK runs `getOrderStatus` and sends the result back. */
export async function askWithTools(model: RelayModel, question: string, getOrderStatus: (orderId: string) => Promise<unknown>) {
  const { text, steps } = await generateText({
    model,
    prompt: question,
    providerOptions,
    tools: {
      get_order_status: tool({
        description: "Look up the shipping status of an order",
        inputSchema: z.object({ order_id: z.string() }),
        execute: ({ order_id }) => getOrderStatus(order_id),
      }),
    },
    stopWhen: isStepCount(5),
  });
  return { text, steps: steps.length };
}

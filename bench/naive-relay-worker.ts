/**
 * The naive relay: what anyone would write in an afternoon with Hono and the SDK. It takes the
 * relay's /v1/turns body, parses it, calls interactions.create with the history plus the new input
 * and store: false, appends the returned steps and answers with c.json. No validation, no auth, no
 * limits, no byte-exactness (numbers, key order and duplicate keys go through JSON.parse/stringify
 * twice). A bench path beside the floors, so the relay's figures can be read against it.
 */
import { GoogleGenAI } from "@google/genai";
import { Hono } from "hono";

export interface NaiveEnv {
  GEMINI_API_KEY: string;
  /** The emulator's origin. */
  UPSTREAM_URL: string;
}

type Step = Record<string, unknown>;

const app = new Hono<{ Bindings: NaiveEnv }>();

app.post("/v1/turns", async (c) => {
  const { history = [], input, ...fields } = await c.req.json<{ history?: Step[]; input: unknown }>();
  const newInput = typeof input === "string" ? { type: "user_input", content: [{ type: "text", text: input }] } : input;
  const ai = new GoogleGenAI({ apiKey: c.env.GEMINI_API_KEY, httpOptions: { baseUrl: c.env.UPSTREAM_URL } });
  const interaction = await ai.interactions.create({ ...fields, input: [...history, newInput], store: false } as never);
  const steps = ((interaction as { steps?: Step[] }).steps ?? []) as Step[];
  return c.json({ history: [...history, newInput, ...steps], steps });
});

export default app;

/**
 * The benchmark's payloads: deterministic conversation histories of a given size, and the two reply
 * kinds. Every process of the bench builds the same shapes from the same seed (thought signatures
 * carry a random nonce, so only their bytes differ, never their length).
 *
 * A history is rounds of user_input → thought → function_call → function_result → model_output,
 * cut to N-1 steps, followed by the new prompt. Text is word salad with newlines, quotes and some
 * non-ASCII, so JSON escaping and UTF-8 work are not flattered. Thoughts before a function_call carry
 * a signature the emulator issued (same default secret), so the emulator accepts the history.
 */
import { createSigner } from "../packages/emulator/src/hmac.js";
import { signThought } from "../packages/emulator/src/signatures.js";

export type ReplyKind = "text" | "fc";

export interface HistorySpec {
  id: string;
  /** Label for the tables. */
  label: string;
  /** Steps in the history sent to the upstream (history + the new prompt). */
  steps: number;
  /** Target JSON size of those steps, in bytes. */
  bytes: number;
  /** Base64 characters of one inline image in the first user_input (0 = none). */
  imageChars?: number;
}

export const HISTORIES: readonly HistorySpec[] = [
  { id: "8k", label: "10 steps / 8 KB", steps: 10, bytes: 8_000 },
  { id: "1m", label: "200 steps / 1 MB", steps: 200, bytes: 1_000_000 },
  { id: "10m", label: "2,000 steps / 10 MB", steps: 2_000, bytes: 10_000_000 },
  { id: "img", label: "1 MB text + 5 MB image", steps: 200, bytes: 6_000_000, imageChars: 5_000_000 },
];

export const REPLIES: readonly { kind: ReplyKind; label: string }[] = [
  { kind: "text", label: "text" },
  { kind: "fc", label: "thought+call" },
];

export const MODEL = "gemini-3.5-flash";

/**
 * The relay's configuration in the bench: production defaults, except the upstream (set per run)
 * and a caller token (the relay requires one by default; older revisions ignore both).
 */
export const RELAY_TOKEN = "bench-caller-token-0123456789abcdef012345";
export const RELAY_BINDINGS: Record<string, string> = {
  GEMINI_API_KEY: "bench-key-0123456789",
  AUTH_MODE: "tokens",
  RELAY_TOKENS: RELAY_TOKEN,
};
export const RELAY_HEADERS: Record<string, string> = {
  "content-type": "application/json",
  authorization: `Bearer ${RELAY_TOKEN}`,
};

/** Declared on every turn (the relay checks that every call in the history names a declared tool); the
 * emulator's deterministic model calls get_weather when the prompt names the weather. */
export const TOOLS = [
  {
    type: "function",
    name: "get_weather",
    description: "Weather report for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
  {
    type: "function",
    name: "search_docs",
    description: "Search the product documentation",
    parameters: { type: "object", properties: { query: { type: "string" }, max_results: { type: "integer" } }, required: ["query"] },
  },
];

/** The emulator answers this with one model_output text step (an echo). */
const TEXT_PROMPT = "Thanks! Please summarize what we found so far, in two sentences.";
/** The emulator answers this with a signed thought + a get_weather function_call. */
const FC_PROMPT = "And what is the weather in Paris right now?";

export type Step = Record<string, unknown> & { type: string };

export interface Payload {
  spec: HistorySpec;
  reply: ReplyKind;
  /** The earlier steps (what the caller keeps). */
  history: Step[];
  /** The new prompt. */
  prompt: string;
  /** history + the prompt as a user_input step: exactly what reaches the upstream as `input`. */
  input: Step[];
  /** POST /v1/turns body. */
  turn: { model: string; history: Step[]; input: string; tools: typeof TOOLS; stream?: boolean; attestation?: string };
  /** interactions.create params, as the direct SDK caller (and the relay) sends them. */
  create: { model: string; input: Step[]; tools: typeof TOOLS; store: false };
  /** JSON size of `input`. */
  inputBytes: number;
}

// A small seeded PRNG (mulberry32), so payloads are the same in every process and run.
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the relay keeps nothing caller sends whole history every turn model answers steps appended exactly " +
  "as received stream events forward latency budget isolate memory parse stringify validate schema zod " +
  "request response upstream emulator worker edge cache token thought signature function result search " +
  "docs query page title snippet summary plan next check verify config binding deploy region queue log " +
  "café naïve über — “quoted” 東京 データ ✓ résumé"
).split(" ");

function text(random: () => number, chars: number): string {
  const parts: string[] = [];
  let length = 0;
  while (length < chars) {
    const roll = random();
    let word = WORDS[Math.floor(random() * WORDS.length)]!;
    if (roll < 0.02) word += "\n\n";
    else if (roll < 0.04) word = `"${word}"`;
    else if (roll < 0.1) word += ".";
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(" ");
}

interface Weights {
  user: number;
  summary: number;
  query: number;
  result: number;
  output: number;
}
// Share of one round's bytes per step kind (tool results are the bulk, as in real agent loops).
const WEIGHTS: Weights = { user: 0.1, summary: 0.1, query: 0.05, result: 0.5, output: 0.25 };

async function buildSteps(spec: HistorySpec, scale: number, signer: ReturnType<typeof createSigner>): Promise<Step[]> {
  const random = rng(0x5eed + spec.steps);
  const round = scale * 5; // characters of text per round of five steps
  const steps: Step[] = [];
  let call = 0;
  while (steps.length < spec.steps - 1) {
    const id = `call_${String(call++).padStart(5, "0")}`;
    const r = [
      { type: "user_input", content: [{ type: "text", text: text(random, round * WEIGHTS.user) }] },
      {
        type: "thought",
        signature: await signThought(signer, id),
        summary: [{ type: "text", text: text(random, round * WEIGHTS.summary) }],
      },
      {
        type: "function_call",
        id,
        name: "search_docs",
        arguments: { query: text(random, round * WEIGHTS.query), max_results: 5, filters: { lang: "en", since: "2026-01-01" } },
      },
      {
        type: "function_result",
        call_id: id,
        name: "search_docs",
        result: {
          items: [0, 1, 2, 3].map((i) => ({
            title: text(random, 40),
            url: `https://docs.example.com/${id}/${i}`,
            snippet: text(random, (round * WEIGHTS.result) / 4 - 80),
            score: Math.round(random() * 1000) / 1000,
          })),
        },
      },
      { type: "model_output", content: [{ type: "text", text: text(random, round * WEIGHTS.output) }] },
    ];
    for (const step of r) if (steps.length < spec.steps - 1) steps.push(step);
  }
  return steps;
}

function base64Image(chars: number): string {
  const random = rng(0x1a6e);
  const bytes = Buffer.alloc(Math.ceil((chars * 3) / 4));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes.toString("base64").slice(0, chars - (chars % 4));
}

const cache = new Map<string, Step[]>();

/** The history for a spec (sized to the target bytes by one proportional correction). */
async function historyFor(spec: HistorySpec): Promise<Step[]> {
  const cached = cache.get(spec.id);
  if (cached) return cached;
  const signer = createSigner();
  const imageBytes = spec.imageChars ? spec.imageChars + 100 : 0;
  const textTarget = spec.bytes - imageBytes;
  let scale = textTarget / spec.steps;
  let steps = await buildSteps(spec, scale, signer);
  for (let pass = 0; pass < 2; pass++) {
    const size = JSON.stringify(steps).length;
    scale *= textTarget / size;
    steps = await buildSteps(spec, scale, signer);
  }
  if (spec.imageChars) {
    const first = steps[0]!;
    (first.content as unknown[]).push({ type: "image", mime_type: "image/png", data: base64Image(spec.imageChars) });
  }
  cache.set(spec.id, steps);
  return steps;
}

export async function payload(spec: HistorySpec, reply: ReplyKind): Promise<Payload> {
  const history = await historyFor(spec);
  const prompt = reply === "text" ? TEXT_PROMPT : FC_PROMPT;
  const input: Step[] = [...history, { type: "user_input", content: [{ type: "text", text: prompt }] }];
  return {
    spec,
    reply,
    history,
    prompt,
    input,
    turn: { model: MODEL, history, input: prompt, tools: TOOLS },
    create: { model: MODEL, input, tools: TOOLS, store: false },
    inputBytes: Buffer.byteLength(JSON.stringify(input)),
  };
}

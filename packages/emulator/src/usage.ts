/** Token usage estimates shaped like the API's `usage` (about four characters per text token). */
import { isRecord, own, type JsonRecord } from "./json.js";

/** Fixed per-block costs, close to what Gemini bills for one item of each medium. */
const MEDIA_TOKENS: Record<string, number> = { image: 258, document: 258, video: 263, audio: 32 };
/** Thinking is invisible; every thought step is billed as if it reasoned this much. */
const THOUGHT_BASE_TOKENS = 24;
const SEARCH_TOOL_TOKENS = 48;

export interface Usage {
  total_input_tokens: number;
  input_tokens_by_modality: Array<{ modality: string; tokens: number }>;
  total_cached_tokens: number;
  total_output_tokens: number;
  total_thought_tokens: number;
  total_tool_use_tokens: number;
  grounding_tool_count?: Array<{ type: string; count: number }>;
  total_tokens: number;
}

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Usage of one interaction: its input (plus system instruction) and the steps the model produced. */
export function estimateUsage(input: readonly JsonRecord[], systemInstruction: string, output: readonly unknown[]): Usage {
  const modalities = new Map<string, number>([["text", textTokens(systemInstruction)]]);
  for (const step of input) countInput(step, modalities);
  let outputTokens = 0;
  let thoughtTokens = 0;
  let toolTokens = 0;
  let searches = 0;
  for (const step of output) {
    if (!isRecord(step)) continue;
    const type = own(step, "type");
    if (type === "thought") thoughtTokens += THOUGHT_BASE_TOKENS + textTokens(allText(own(step, "summary")));
    else if (type === "model_output") outputTokens += textTokens(allText(own(step, "content")));
    else if (type === "function_call") outputTokens += textTokens(JSON.stringify(own(step, "arguments") ?? {}));
    else if (type === "google_search_result") {
      toolTokens += SEARCH_TOOL_TOKENS;
      searches += 1;
    }
  }
  const inputTokens = [...modalities.values()].reduce((sum, tokens) => sum + tokens, 0);
  return {
    total_input_tokens: inputTokens,
    input_tokens_by_modality: [...modalities].filter(([, tokens]) => tokens > 0).map(([modality, tokens]) => ({ modality, tokens })),
    total_cached_tokens: 0,
    total_output_tokens: outputTokens,
    total_thought_tokens: thoughtTokens,
    total_tool_use_tokens: toolTokens,
    ...(searches > 0 ? { grounding_tool_count: [{ type: "google_search", count: searches }] } : {}),
    total_tokens: inputTokens + outputTokens + thoughtTokens + toolTokens,
  };
}

function countInput(value: unknown, modalities: Map<string, number>): void {
  if (Array.isArray(value)) {
    for (const item of value) countInput(item, modalities);
    return;
  }
  if (typeof value === "string") {
    add(modalities, "text", textTokens(value));
    return;
  }
  if (!isRecord(value)) return;
  const type = own(value, "type");
  if (typeof type === "string" && MEDIA_TOKENS[type] !== undefined) {
    add(modalities, type, MEDIA_TOKENS[type]);
    return;
  }
  if (type === "text") {
    countInput(own(value, "text"), modalities);
    return;
  }
  // Signatures are opaque bytes the model reads back, not prompt text.
  for (const key of ["content", "summary", "result", "arguments"]) {
    const inner = own(value, key);
    if (isRecord(inner)) add(modalities, "text", textTokens(JSON.stringify(inner)));
    else countInput(inner, modalities);
  }
}

function add(modalities: Map<string, number>, modality: string, tokens: number): void {
  modalities.set(modality, (modalities.get(modality) ?? 0) + tokens);
}

function allText(blocks: unknown): string {
  if (!Array.isArray(blocks)) return "";
  return blocks.map((block) => (isRecord(block) && typeof own(block, "text") === "string" ? String(own(block, "text")) : "")).join("");
}

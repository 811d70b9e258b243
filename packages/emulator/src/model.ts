/**
 * The deterministic "model": readable rules instead of a neural network, so tests and demos know what comes back.
 *
 * 1. The input ends with function_result step(s): each must answer an earlier function_call of the input with the
 *    same id and name; if one does not, the answer is the live API's quiet failure (200, `completed`, a lone
 *    thought, no text). Otherwise: a signed thought + text "<name> returned: <result>." per result.
 * 2. The input ends with a prompt and a declared function tool's name words (split on `_`, `-`, `.`, camelCase;
 *    minus get/set/the and words under 3 letters) or description words occur in it: a signed thought (with a
 *    summary when generation_config.thinking_summaries is "auto") + one function_call per matching tool, arguments
 *    filled from the prompt (see tool-arguments.ts), status `requires_action`. tool_choice "none" disables calls,
 *    "any" calls the first tool when none matches, allowed_tools restricts the candidates.
 * 3. A `google_search` tool and the word "search" or "latest" in the prompt: google_search_call +
 *    google_search_result (signed) + text with a url_citation annotation.
 * 4. Otherwise an echo: "You said: <prompt>", plus " (history intact: N steps, K thought signatures verified)"
 *    when earlier turns precede the prompt, plus " [N file(s) referenced]" for Files API URIs in the prompt.
 *    `[emulator:continue=<hops>]` spreads the echo over that many continuation hops.
 * Text longer than generation_config.max_output_tokens (about 4 characters a token) is cut, status `incomplete`.
 */
import { callId } from "./encoding.js";
import type { Signer } from "./hmac.js";
import { contentText, fileReferences, lastIndexOfType } from "./input.js";
import { isRecord, own, ownString, type JsonRecord } from "./json.js";
import { readMagicWords } from "./magic-words.js";
import { signThought } from "./signatures.js";
import { argumentsFor, functionTools, toolsForPrompt, type FunctionTool } from "./tool-arguments.js";
import type { CreateRequest } from "./validate.js";

export interface ModelContext {
  signer: Signer;
  /** Which continuation hop this request is (0 without a continuation_token). */
  hop: number;
  /** Thought signatures in the input that this emulator issued and that came back unmodified. */
  verifiedSignatures: number;
}

export interface ModelAnswer {
  steps: JsonRecord[];
  status: string;
}

export async function modelAnswer(request: CreateRequest, context: ModelContext): Promise<ModelAnswer> {
  const last = request.steps[request.steps.length - 1];
  if (last && own(last, "type") === "function_result") return answerResults(request, context);
  return answerPrompt(request, context);
}

async function answerResults(request: CreateRequest, context: ModelContext): Promise<ModelAnswer> {
  const { steps } = request;
  let first = steps.length;
  while (first > 0 && own(steps[first - 1] ?? {}, "type") === "function_result") first -= 1;
  const results = steps.slice(first);
  const callNames = new Map<string, string>();
  for (const step of steps.slice(0, first)) {
    if (own(step, "type") === "function_call") callNames.set(ownString(step, "id") ?? "", ownString(step, "name") ?? "");
  }
  const thought = await thoughtStep(context.signer, "");
  const answered = results.every((result) => callNames.get(ownString(result, "call_id") ?? "") === ownString(result, "name"));
  // The live API does not reject a result that answers no call: it finishes without saying anything.
  if (!answered) return { steps: [thought], status: "completed" };
  return textAnswer([thought], results.map(describeResult).join(" "), request);
}

function describeResult(result: JsonRecord): string {
  const verb = own(result, "is_error") === true ? "failed" : "returned";
  const value = own(result, "result");
  let text: string;
  if (typeof value === "string") text = value;
  else if (Array.isArray(value)) {
    text = value
      .map((block) =>
        isRecord(block) && own(block, "type") === "text"
          ? (ownString(block, "text") ?? "")
          : `[${isRecord(block) ? String(own(block, "type")) : "content"}]`,
      )
      .join(" ");
  } else text = JSON.stringify(value);
  return `${ownString(result, "name") ?? ""} ${verb}: ${text.trim().replace(/\.+$/, "")}.`;
}

async function answerPrompt(request: CreateRequest, context: ModelContext): Promise<ModelAnswer> {
  const userIndex = lastIndexOfType(request.steps, "user_input");
  const user = request.steps[userIndex];
  const magic = readMagicWords(user ? contentText(user) : "");
  const prompt = magic.text;
  const promptIsLast = userIndex === request.steps.length - 1;

  const tools = promptIsLast ? toolsToCall(prompt, request) : [];
  if (tools.length > 0) return callTools(tools, prompt, request, context.signer);
  if (promptIsLast && request.tools.some((tool) => own(tool, "type") === "google_search") && /\b(search|latest)\b/i.test(prompt)) {
    return searchAnswer(prompt, context.signer);
  }

  let text = `You said: ${prompt === "" ? "(no text)" : prompt}`;
  if (userIndex > 0) text += ` (history intact: ${userIndex} steps, ${context.verifiedSignatures} thought signatures verified)`;
  const files = user ? fileReferences(user) : 0;
  if (files > 0) text += ` [${files} file${files === 1 ? "" : "s"} referenced]`;

  const hops = magic.continueHops ?? 1;
  if (hops > 1 && promptIsLast) {
    const part = Math.min(context.hop, hops - 1);
    const answer = textAnswer([], splitEvenly(text, hops)[part] ?? "", request);
    return part < hops - 1 ? { ...answer, status: "requires_continuation" } : answer;
  }
  return textAnswer([], text, request);
}

function toolsToCall(prompt: string, request: CreateRequest): FunctionTool[] {
  const choice = own(request.generationConfig, "tool_choice");
  const allowed = isRecord(choice) ? own(choice, "allowed_tools") : undefined;
  const mode = typeof choice === "string" ? choice : isRecord(allowed) ? own(allowed, "mode") : "auto";
  if (mode === "none") return [];
  let candidates = functionTools(request.tools);
  const names = isRecord(allowed) ? own(allowed, "tools") : undefined;
  if (Array.isArray(names)) candidates = candidates.filter((tool) => names.includes(tool.name));
  const matching = toolsForPrompt(prompt, candidates);
  if (matching.length === 0 && mode === "any") return candidates.slice(0, 1);
  return matching;
}

async function callTools(tools: FunctionTool[], prompt: string, request: CreateRequest, signer: Signer): Promise<ModelAnswer> {
  const calls: JsonRecord[] = tools.map((tool) => ({
    type: "function_call",
    id: callId(),
    name: tool.name,
    arguments: argumentsFor(tool.parameters, prompt),
  }));
  const names = tools.map((tool) => tool.name).join(", ");
  const summary = wantsSummaries(request) ? `**Choosing a tool**\n\nThe request needs ${names}, so I will call it first.` : undefined;
  const thought = await thoughtStep(signer, ownString(calls[0] ?? {}, "id") ?? "", summary);
  return { steps: [thought, ...calls], status: "requires_action" };
}

async function searchAnswer(prompt: string, signer: Signer): Promise<ModelAnswer> {
  const id = callId();
  const prefix = `Here is the latest on "${prompt}": `;
  const cited = "Example Domain has it covered (emulated search result).";
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  const annotation = {
    type: "url_citation",
    url: `https://example.com/search?q=${encodeURIComponent(prompt)}`,
    title: "Example Domain",
    start_index: bytes(prefix),
    end_index: bytes(prefix + cited),
  };
  return {
    steps: [
      { type: "google_search_call", id, arguments: { queries: [prompt] }, signature: await signThought(signer, id) },
      {
        type: "google_search_result",
        call_id: id,
        result: [{ search_suggestions: `<div class="emulated-search-suggestion">${escapeHtml(prompt)}</div>` }],
        signature: await signThought(signer, id),
      },
      { type: "model_output", content: [{ type: "text", text: prefix + cited, annotations: [annotation] }] },
    ],
    status: "completed",
  };
}

async function thoughtStep(signer: Signer, boundCallId: string, summary?: string): Promise<JsonRecord> {
  return {
    type: "thought",
    ...(summary === undefined ? {} : { summary: [{ type: "text", text: summary }] }),
    signature: await signThought(signer, boundCallId),
  };
}

function wantsSummaries(request: CreateRequest): boolean {
  return own(request.generationConfig, "thinking_summaries") === "auto";
}

/** A model_output with `text`, cut to max_output_tokens (status `incomplete`) when it is longer. */
function textAnswer(before: JsonRecord[], text: string, request: CreateRequest): ModelAnswer {
  const limit = own(request.generationConfig, "max_output_tokens");
  const maxChars = typeof limit === "number" && limit > 0 ? Math.floor(limit) * 4 : Infinity;
  const cut = codePointPrefix(text, maxChars);
  return {
    steps: [...before, { type: "model_output", content: [{ type: "text", text: cut ?? text }] }],
    status: cut === undefined ? "completed" : "incomplete",
  };
}

/**
 * The first `max` code points of `text`, or undefined when it has no more. Walks the string instead of
 * splitting it: an array of one string per character would cost ~30 bytes per character of a 10 MB prompt.
 */
function codePointPrefix(text: string, max: number): string | undefined {
  if (text.length <= max) return undefined; // UTF-16 length bounds the code point count
  let index = 0;
  for (let count = 0; count < max && index < text.length; count++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return index < text.length ? text.slice(0, index) : undefined;
}

function splitEvenly(text: string, parts: number): string[] {
  const points = Array.from(text);
  const size = Math.ceil(points.length / parts);
  return Array.from({ length: parts }, (_, index) => points.slice(index * size, (index + 1) * size).join(""));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

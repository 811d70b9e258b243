/** Checks a create body the way the API does (unknown fields, types, store rules) and returns what the model needs. */
import { ApiError, invalidRequest } from "./errors.js";
import { GEMINI_REQUEST_FIELDS } from "./fields.js";
import { inputToSteps } from "./input.js";
import { isRecord, own, ownString, type JsonRecord } from "./json.js";

/** Gemini's create-body fields; the list is generated from the relay's table of request fields (see fields.ts). */
const KNOWN_FIELDS: ReadonlySet<string> = new Set(GEMINI_REQUEST_FIELDS);

const TOOL_TYPES: ReadonlySet<string> = new Set([
  "function",
  "google_search",
  "code_execution",
  "url_context",
  "file_search",
  "google_maps",
  "mcp_server",
  "retrieval",
  "computer_use",
]);

export interface CreateRequest {
  model: string;
  /** `input` exactly as sent (continuation tokens are bound to it). */
  input: unknown;
  /** The input as steps (a prompt string or content list becomes one user_input step). */
  steps: JsonRecord[];
  tools: JsonRecord[];
  generationConfig: JsonRecord;
  systemInstruction: string;
  stream: boolean;
  continuationToken: string | undefined;
}

/** `body` is the parsed JSON (or the raw text when it did not parse). */
export function validateCreate(body: unknown, parsedAsJson: boolean): CreateRequest {
  if (!parsedAsJson) throw invalidRequest("Invalid JSON payload received. The request body is not valid JSON.");
  if (!isRecord(body)) throw invalidRequest("Invalid JSON payload received. The request body must be a JSON object.");
  for (const key of Object.keys(body)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw new ApiError(400, {
        code: "parameter_unknown",
        message: `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}: Cannot find field.`,
      });
    }
  }
  const model = own(body, "model");
  if (typeof model !== "string" || model.trim() === "") {
    throw invalidRequest("Invalid value at 'model': a model is required (e.g. \"gemini-3.5-flash\").");
  }
  for (const flag of ["stream", "store", "background"]) {
    const value = own(body, flag);
    if (value !== undefined && typeof value !== "boolean") throw invalidRequest(`Invalid value at '${flag}': expected a boolean.`);
  }
  checkStoreRules(body);

  const input = own(body, "input");
  if (input === undefined) throw invalidRequest("Invalid value at 'input': an input is required.");
  const systemInstruction = own(body, "system_instruction");
  if (systemInstruction !== undefined && typeof systemInstruction !== "string") {
    throw invalidRequest("Invalid value at 'system_instruction': expected a string.");
  }
  const generationConfig = own(body, "generation_config");
  if (generationConfig !== undefined && !isRecord(generationConfig)) {
    throw invalidRequest("Invalid value at 'generation_config': expected an object.");
  }
  const continuationToken = own(body, "continuation_token");
  if (continuationToken !== undefined && (typeof continuationToken !== "string" || continuationToken === "")) {
    throw invalidRequest("Invalid value at 'continuation_token': expected a non-empty string.");
  }
  const steps = inputToSteps(input);
  checkCallsAnswered(steps);
  return {
    model,
    input,
    steps,
    tools: checkTools(own(body, "tools")),
    generationConfig: isRecord(generationConfig) ? generationConfig : {},
    systemInstruction: systemInstruction ?? "",
    stream: own(body, "stream") === true,
    continuationToken,
  };
}

/**
 * Like Gemini, a new user turn while function calls are unanswered is refused, with the same
 * unhelpful message the API gives (it names no call: the relay's integrity check does).
 */
function checkCallsAnswered(steps: readonly JsonRecord[]): void {
  const pending = new Set<string>();
  for (const step of steps) {
    const type = own(step, "type");
    if (type === "function_call") pending.add(String(own(step, "id")));
    else if (type === "function_result") pending.delete(String(own(step, "call_id")));
    else if (type === "user_input" && pending.size > 0) {
      throw invalidRequest(
        "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.",
      );
    }
  }
}

function checkStoreRules(body: JsonRecord): void {
  const store = own(body, "store");
  const previous = own(body, "previous_interaction_id");
  if (store === false && previous !== undefined) {
    throw invalidRequest("previous_interaction_id cannot be used with store=false: nothing was stored to continue from.");
  }
  if (store === false && own(body, "background") === true) {
    throw invalidRequest("background=true requires store=true: a background interaction must be stored.");
  }
  if (previous !== undefined) {
    // The emulator stores nothing, so every earlier interaction is unknown to it.
    throw new ApiError(404, { message: `Interaction ${JSON.stringify(previous)} was not found.` });
  }
  if (own(body, "background") === true) {
    throw invalidRequest("background=true is not supported by the emulator: it stores no interactions.");
  }
}

function checkTools(tools: unknown): JsonRecord[] {
  if (tools === undefined) return [];
  if (!Array.isArray(tools)) throw invalidRequest("Invalid value at 'tools': expected an array.");
  return tools.map((tool, index) => {
    const type = isRecord(tool) ? own(tool, "type") : undefined;
    if (!isRecord(tool) || typeof type !== "string" || !TOOL_TYPES.has(type)) {
      throw invalidRequest(`The value ${JSON.stringify(type ?? null)} is not supported for 'type' at 'tools[${index}]'.`);
    }
    if (type === "function" && !ownString(tool, "name")) {
      throw invalidRequest(`Invalid value at 'tools[${index}].name': a function tool needs a name.`);
    }
    return tool;
  });
}

/** The request `input` in all its accepted shapes, turned into steps and checked step by step. */
import { invalidRequest } from "./errors.js";
import { GEMINI_CONTENT_TYPES, GEMINI_STEP_TYPES } from "./fields.js";
import { isRecord, own, ownString, type JsonRecord } from "./json.js";

export const CONTENT_TYPES: ReadonlySet<string> = new Set(GEMINI_CONTENT_TYPES);

export const STEP_TYPES: ReadonlySet<string> = new Set(GEMINI_STEP_TYPES);

/** Files API references: accepted here (the relay refuses them first unless configured to pass them). */
const FILE_URI = /^(https:\/\/generativelanguage\.googleapis\.com\/v1beta\/files\/|files\/)/;

/** string | Content | Content[] | Step[] → Step[] (a bare prompt or content list becomes one user_input step). */
export function inputToSteps(input: unknown): JsonRecord[] {
  if (typeof input === "string") return [userInput([{ type: "text", text: input }])];
  if (isRecord(input)) {
    checkContent(input, "input");
    return [userInput([input])];
  }
  if (!Array.isArray(input)) throw invalidRequest("Invalid value at 'input': expected a string, a content object or an array.");
  if (input.length === 0) throw invalidRequest("Invalid value at 'input': the input is empty.");
  const types = input.map((item) => (isRecord(item) ? own(item, "type") : undefined));
  if (types.every((type) => typeof type === "string" && CONTENT_TYPES.has(type))) {
    input.forEach((item, index) => checkContent(item, `input[${index}]`));
    return [userInput(input as JsonRecord[])];
  }
  input.forEach((item, index) => checkStep(item, index));
  return input as JsonRecord[];
}

function userInput(content: JsonRecord[]): JsonRecord {
  return { type: "user_input", content };
}

function checkStep(step: unknown, index: number): void {
  const at = `input[${index}]`;
  if (!isRecord(step)) throw invalidRequest(`Invalid value at '${at}': a step must be an object.`);
  const type = own(step, "type");
  if (typeof type !== "string" || !STEP_TYPES.has(type)) {
    throw invalidRequest(`Invalid value at '${at}.type' (${JSON.stringify(type ?? null)}): not a known step type.`);
  }
  switch (type) {
    case "user_input":
    case "model_output":
      checkContentList(own(step, "content"), `${at}.content`, true);
      return;
    case "thought": {
      const signature = own(step, "signature");
      if (signature !== undefined && typeof signature !== "string") {
        throw invalidRequest(`Invalid value at '${at}.signature': expected a string.`);
      }
      checkContentList(own(step, "summary"), `${at}.summary`, true);
      return;
    }
    case "function_call":
      if (!ownString(step, "id")) throw invalidRequest(`Invalid value at '${at}.id': a function_call needs an id.`);
      if (!ownString(step, "name")) throw invalidRequest(`Invalid value at '${at}.name': a function_call needs a name.`);
      if (!isRecord(own(step, "arguments"))) {
        throw invalidRequest(`Invalid value at '${at}.arguments': a function_call needs an arguments object.`);
      }
      return;
    case "function_result": {
      if (!ownString(step, "call_id")) throw invalidRequest(`Invalid input received: ${at} (function_result) has no call_id.`);
      // The live API rejects a result without `name` even though the SDK types mark it optional.
      if (!ownString(step, "name")) throw invalidRequest(`Invalid input received: ${at} (function_result) has no name.`);
      const result = own(step, "result");
      if (result === undefined) throw invalidRequest(`Invalid input received: ${at} (function_result) has no result.`);
      if (Array.isArray(result)) checkContentList(result, `${at}.result`, false);
      return;
    }
    default:
      return;
  }
}

function checkContentList(value: unknown, at: string, optional: boolean): void {
  if (value === undefined && optional) return;
  if (!Array.isArray(value)) throw invalidRequest(`Invalid value at '${at}': expected an array of content blocks.`);
  value.forEach((block, index) => checkContent(block, `${at}[${index}]`));
}

function checkContent(block: unknown, at: string): void {
  if (!isRecord(block)) throw invalidRequest(`Invalid value at '${at}': a content block must be an object.`);
  const type = own(block, "type");
  if (typeof type !== "string" || !CONTENT_TYPES.has(type)) {
    throw invalidRequest(`Invalid value at '${at}.type' (${JSON.stringify(type ?? null)}): not a known content type.`);
  }
  if (type === "text") {
    if (typeof own(block, "text") !== "string") throw invalidRequest(`Invalid value at '${at}.text': expected a string.`);
    return;
  }
  if (ownString(block, "data") === undefined && ownString(block, "uri") === undefined) {
    throw invalidRequest(`Invalid value at '${at}': ${type} content needs \`data\` (base64) or \`uri\`.`);
  }
}

/** The text blocks of a step's content, joined with spaces. */
export function contentText(step: JsonRecord): string {
  const content = own(step, "content");
  if (!Array.isArray(content)) return "";
  return content
    .filter(isRecord)
    .map((block) => (own(block, "type") === "text" ? (ownString(block, "text") ?? "") : ""))
    .filter((text) => text !== "")
    .join(" ");
}

export function lastIndexOfType(steps: readonly JsonRecord[], type: string): number {
  for (let index = steps.length - 1; index >= 0; index -= 1) {
    const step = steps[index];
    if (step && own(step, "type") === type) return index;
  }
  return -1;
}

/** How many content blocks of a step point at the Files API. */
export function fileReferences(step: JsonRecord): number {
  const content = own(step, "content");
  if (!Array.isArray(content)) return 0;
  return content.filter((block) => isRecord(block) && FILE_URI.test(ownString(block, "uri") ?? "")).length;
}

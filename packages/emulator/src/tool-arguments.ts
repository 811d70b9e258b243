/** Which declared function tools a prompt asks for, and call arguments filled from the prompt by JSON-schema type. */
import { isRecord, own, ownString, type JsonRecord, type JsonValue } from "./json.js";

/** Words that say nothing about what a tool does. */
const NAME_NOISE: ReadonlySet<string> = new Set(["get", "set", "the"]);
const DESCRIPTION_NOISE: ReadonlySet<string> = new Set([
  ...NAME_NOISE,
  "and",
  "for",
  "with",
  "from",
  "into",
  "about",
  "this",
  "that",
  "these",
  "those",
  "its",
  "are",
  "was",
  "were",
  "has",
  "have",
  "had",
  "not",
  "but",
  "you",
  "your",
  "our",
  "can",
  "will",
  "all",
  "any",
  "one",
  "each",
  "given",
  "returns",
  "return",
  "look",
  "looks",
  "up",
  "current",
  "value",
  "values",
  "using",
  "use",
  "when",
  "what",
  "which",
]);

export interface FunctionTool {
  name: string;
  description: string;
  parameters: unknown;
}

export function functionTools(tools: readonly JsonRecord[]): FunctionTool[] {
  return tools
    .filter((tool) => own(tool, "type") === "function")
    .map((tool) => ({
      name: ownString(tool, "name") ?? "",
      description: ownString(tool, "description") ?? "",
      parameters: own(tool, "parameters"),
    }));
}

export function words(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}]+|(?<=\p{Ll})(?=\p{Lu})/u)
    .map((word) => word.toLowerCase())
    .filter((word) => word !== "");
}

/** The tool's name words (split on `_`, `-`, `.` and camelCase) and description words, minus noise. */
export function toolKeywords(tool: FunctionTool): Set<string> {
  const keywords = new Set<string>();
  for (const word of words(tool.name)) if (word.length >= 3 && !NAME_NOISE.has(word)) keywords.add(word);
  for (const word of words(tool.description)) if (word.length >= 3 && !DESCRIPTION_NOISE.has(word)) keywords.add(word);
  return keywords;
}

/** The tools whose keywords appear in the prompt, in declaration order. */
export function toolsForPrompt(prompt: string, tools: readonly FunctionTool[]): FunctionTool[] {
  const promptWords = new Set(words(prompt));
  return tools.filter((tool) => [...toolKeywords(tool)].some((word) => promptWords.has(word)));
}

/**
 * Arguments for each schema property: strings get the first prompt token holding a digit (e.g. `A-4417`), else the
 * whole prompt; numbers the first number; booleans true; enums the first value the prompt mentions; required
 * arrays/objects an empty one.
 */
export function argumentsFor(parameters: unknown, prompt: string): Record<string, JsonValue> {
  if (!isRecord(parameters)) return {};
  const properties = own(parameters, "properties");
  if (!isRecord(properties)) return {};
  const requiredList = own(parameters, "required");
  const required = new Set(Array.isArray(requiredList) ? requiredList.filter((name) => typeof name === "string") : []);
  const entries: Array<[string, JsonValue]> = [];
  for (const name of Object.keys(properties)) {
    const value = valueFor(own(properties, name), prompt, required.has(name));
    if (value !== undefined) entries.push([name, value]);
  }
  // fromEntries defines own properties, so a parameter named `__proto__` stays an ordinary key.
  return Object.fromEntries(entries);
}

function valueFor(schema: unknown, prompt: string, required: boolean): JsonValue | undefined {
  if (!isRecord(schema)) return required ? promptValue(prompt) : undefined;
  const choices = own(schema, "enum");
  if (Array.isArray(choices) && choices.length > 0) {
    const lower = prompt.toLowerCase();
    const named = choices.find((choice) => typeof choice === "string" && lower.includes(choice.toLowerCase()));
    return (named ?? choices[0]) as JsonValue;
  }
  switch (schemaType(schema)) {
    case "number":
      return firstNumber(prompt) ?? (required ? 0 : undefined);
    case "integer": {
      const number = firstNumber(prompt);
      return number === undefined ? (required ? 0 : undefined) : Math.trunc(number);
    }
    case "boolean":
      return true;
    case "array":
      return required ? [] : undefined;
    case "object":
      return required ? {} : undefined;
    default:
      return promptValue(prompt);
  }
}

/** JSON-schema `type` (or OpenAPI's upper-case form); the first non-null entry of a type list. */
function schemaType(schema: JsonRecord): string {
  const type = own(schema, "type");
  const name = Array.isArray(type) ? type.find((entry) => entry !== "null") : type;
  return typeof name === "string" ? name.toLowerCase() : "string";
}

function promptValue(prompt: string): string {
  for (const token of prompt.split(/\s+/)) {
    if (/\d/.test(token)) {
      const cleaned = token.replace(/^[("'[{«“‘]+/, "").replace(/[.,;:!?)"'\]}»”’]+$/, "");
      if (cleaned !== "") return cleaned;
    }
  }
  return prompt.trim();
}

function firstNumber(prompt: string): number | undefined {
  // A minus sign counts only when it does not join two words (so `A-4417` yields 4417).
  const match = /(?:^|[^\p{L}\p{N}])(-?\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)/u.exec(prompt);
  const text = match?.[1] ?? match?.[2];
  return text === undefined ? undefined : Number(text);
}

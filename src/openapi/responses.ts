/** Response objects: every response carries the common headers; errors come with their examples. */
import { headerRef, schemaRef } from "./components";
import type { Example, Header, MediaType, Ref, ResponseObject } from "./types";

const COMMON_HEADERS = { "Request-Id": headerRef("RequestId"), "Server-Timing": headerRef("ServerTiming"), "Relay-Retention": headerRef("RelayRetention") };

export function response(description: string, content?: Record<string, MediaType>, headers: Record<string, Header | Ref> = {}): ResponseObject {
  return { description, headers: { ...COMMON_HEADERS, ...headers }, ...(content ? { content } : {}) };
}

export function problemResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
  return response(description, { "application/problem+json": { schema: schemaRef("ProblemDetails"), examples: keyed(examples) } }, headers);
}

export function googleResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
  return response(description, { "application/json": { schema: schemaRef("GoogleError"), examples: keyed(examples) } }, headers);
}

/** Examples keyed by their problem code (or Google code), numbered when one repeats. */
function keyed(examples: Example[]): Record<string, Example> {
  const result: Record<string, Example> = {};
  for (const example of examples) {
    const value = example.value as { code?: unknown; error?: { code?: unknown } };
    const base = String(value.code ?? value.error?.code ?? "example");
    let key = base;
    for (let n = 2; key in result; n++) key = `${base}_${n}`;
    result[key] = example;
  }
  return result;
}

export const RETRY_AFTER_REQUIRED: Header = {
  description: "Seconds to wait before sending the request again.",
  required: true,
  schema: { type: "integer", minimum: 0 },
  example: 60,
};

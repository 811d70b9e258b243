/** Request bodies and response objects: every response carries the common headers; errors come with their examples. */
import { headerRef, schemaRef } from "./components";
import type { Example, Header, MediaType, Operation, Ref, ResponseObject } from "./types";

const COMMON_HEADERS = {
  "Request-Id": headerRef("RequestId"),
  "Server-Timing": headerRef("ServerTiming"),
  "Relay-Retention": headerRef("RelayRetention"),
};

/** A required JSON request body: its schema (a component) and examples. */
export function jsonRequestBody(
  schema: string,
  examples: Record<string, Example>,
  description?: string,
): NonNullable<Operation["requestBody"]> {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { "application/json": { schema: schemaRef(schema), examples } },
  };
}

export function response(
  description: string,
  content?: Record<string, MediaType>,
  headers: Record<string, Header | Ref> = {},
): ResponseObject {
  return { description, headers: { ...COMMON_HEADERS, ...headers }, ...(content ? { content } : {}) };
}

export function problemResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
  return response(description, { "application/problem+json": { schema: schemaRef("ProblemDetails"), examples: keyed(examples) } }, headers);
}

export function googleResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
  return response(description, { "application/json": { schema: schemaRef("GoogleError"), examples: keyed(examples) } }, headers);
}

/**
 * A server-sent event stream (OpenAPI 3.2's convention): `itemSchema` is each event, an object with the
 * event's name and its decoded `data`. As a whole the stream is not one JSON value, and `schema` says so
 * with `enum: []`: generators that predate itemSchema (openapi-typescript 7) then type a JSON-parsed
 * body as `never`, so a caller of the JSON form gets the JSON body's type alone, not a union with a string.
 */
export function eventStream(
  description: string,
  itemSchema: string,
  examples: Record<string, { summary: string; stream: string }>,
): MediaType {
  return {
    schema: { enum: [], description },
    itemSchema: schemaRef(itemSchema),
    examples: Object.fromEntries(
      Object.entries(examples).map(([name, { summary, stream }]) => [name, { summary, serializedValue: stream }]),
    ),
  };
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

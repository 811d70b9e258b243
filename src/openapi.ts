/**
 * The OpenAPI 3.1 contract. Every body schema comes from the zod schemas in schemas.ts through
 * z.toJSONSchema (JSON Schema 2020-12, OpenAPI 3.1's own dialect); this module adds what only the
 * routes know: paths, statuses, headers, security and examples. Built once, on first use (schema
 * conversion is CPU the Worker should not spend at startup), and served by routes/docs.ts.
 *
 * The examples are one real conversation, captured from the bundled emulator (`npm start`): the
 * seed's support agent with `get_order_status`. The thought signature in turn 2 is the one the
 * emulator issued, so the examples run as they are against it (test/openapi.test.ts sends them).
 */
import { TOKEN_REQUIRED } from "./auth";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import * as z from "zod";
import { version } from "../package.json";
import { RelayError, googleError, type ProblemCode, type ProblemItem } from "./errors";
import {
  AudioContent,
  Content,
  ContentList,
  DocumentContent,
  FunctionCallStep,
  FunctionResultStep,
  GoogleError,
  Health,
  ImageContent,
  ModelOutputStep,
  ProblemCode as ProblemCodeSchema,
  ProblemDetails,
  ProblemItem as ProblemItemSchema,
  Step,
  StepList,
  TextContent,
  ThoughtStep,
  TurnRequest,
  TurnResponse,
  TurnStepEvent,
  UserInputStep,
  VideoContent,
} from "./schemas";

// ---------------------------------------------------------------------------------------------
// The document's types: only as much of OpenAPI 3.1 as this document uses (and docs.ts renders).

export type JsonSchema = z.core.JSONSchema.BaseSchema;
export interface Ref {
  $ref: string;
}
export interface Example {
  summary?: string;
  description?: string;
  value: unknown;
}
export interface MediaType {
  schema: JsonSchema;
  examples?: Record<string, Example>;
}
export interface Header {
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
}
export interface Parameter {
  name: string;
  in: "path" | "header" | "query";
  required?: boolean;
  description: string;
  schema: JsonSchema;
  example?: unknown;
}
export interface ResponseObject {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Record<string, MediaType>;
}
export type SecurityRequirement = Record<string, string[]>;
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: SecurityRequirement[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required: boolean; description?: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
}
export const METHODS = ["get", "post", "delete"] as const;
export type PathItem = { parameters?: (Parameter | Ref)[] } & Partial<Record<(typeof METHODS)[number], Operation>>;
export interface SecurityScheme {
  type: "http" | "apiKey";
  description: string;
  scheme?: string;
  bearerFormat?: string;
  in?: "header";
  name?: string;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary: string; description: string };
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  security: SecurityRequirement[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecurityScheme>;
    headers: Record<string, Header>;
    parameters: Record<string, Parameter>;
  };
}

let built: OpenApiDocument | undefined;

/** The document (built on first call, then shared: treat it as read-only). */
export function openApiDocument(): OpenApiDocument {
  return (built ??= buildDocument());
}

// ---------------------------------------------------------------------------------------------
// Schemas

/** The component name of every zod schema in the document; a schema used inside another becomes a $ref. */
function componentSchemas(): Record<string, JsonSchema> {
  // Google's own bodies on the drop-in route: documented, never checked (the relay forwards them).
  const InteractionRequest = z
    .looseObject({
      model: z.string().meta({ description: "The Gemini model, e.g. gemini-3.5-flash." }),
      input: z
        .union([z.string(), Content, ContentList, StepList])
        .meta({ description: "Text, content, or the whole transcript as steps (the client keeps it: nothing is stored)." }),
      stream: z.boolean().optional(),
      store: z.literal(false).optional().meta({ description: "Sent as false whatever the caller says; `true` is refused." }),
      background: z.literal(false).optional(),
    })
    .meta({
      description:
        "The Interactions API's create body, as the official SDKs send it. Forwarded as given with store=false. Refused (400) as in /v1/turns: store or background true, previous_interaction_id, agent, agent_config, environment, cached_content, and grounding tools or stored resources the operator has not enabled.",
    });
  const Interaction = z
    .looseObject({
      id: z.string(),
      object: z.string().optional(),
      status: z.string(),
      model: z.string().optional(),
      steps: z.array(Step).optional().meta({ description: "The steps the model generated (not the input)." }),
      usage: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({ description: "The Interactions API's Interaction, exactly as Gemini answered. It was not stored, so its `id` cannot be fetched later." });

  const named: Record<string, z.ZodType> = {
    TurnRequest,
    TurnResponse,
    TurnStepEvent,
    Step,
    UserInputStep,
    ModelOutputStep,
    ThoughtStep,
    FunctionCallStep,
    FunctionResultStep,
    StepList,
    Content,
    TextContent,
    ImageContent,
    AudioContent,
    DocumentContent,
    VideoContent,
    ContentList,
    ProblemDetails,
    ProblemItem: ProblemItemSchema,
    ProblemCode: ProblemCodeSchema,
    GoogleError,
    InteractionRequest,
    Interaction,
    Health,
  };
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  // "input": what the relay accepts. None of these schemas transforms, so it is also what it sends;
  // and input mode leaves response objects open (no additionalProperties: false), as a contract that
  // may gain fields should.
  const { schemas } = z.toJSONSchema(registry, { io: "input", uri: (id) => `#/components/schemas/${id}` });
  const result: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    if (!(id in named)) throw new Error(`toJSONSchema made an unnamed shared schema "${id}"`);
    // Each comes as a document of its own ($schema, and an $id that is only a fragment): inside
    // components they are plain Schema Objects.
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    result[id] = rest;
  }
  // TurnRequest checks `input` as text or a list; parseTurn then reads the list as content blocks or
  // steps, each with its own schema. The document states the rule the request meets in the end.
  const turnRequest = result.TurnRequest as { properties: Record<string, JsonSchema> };
  turnRequest.properties.input = {
    description: turnRequest.properties.input?.description,
    anyOf: [{ type: "string" }, schemaRef("ContentList"), schemaRef("StepList")],
  };
  return result;
}

const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const headerRef = (name: string): Ref => ({ $ref: `#/components/headers/${name}` });
const parameterRef = (name: string): Ref => ({ $ref: `#/components/parameters/${name}` });

// ---------------------------------------------------------------------------------------------
// Examples: the seed conversation

const MODEL = "gemini-3.5-flash";
const orderTool = {
  type: "function",
  name: "get_order_status",
  description: "Look up the shipping status of an order",
  parameters: {
    type: "object",
    properties: { order_id: { type: "string", description: "The order number, e.g. A-4417" } },
    required: ["order_id"],
  },
};
const seed = { model: MODEL, system_instruction: "You are a support agent. Use get_order_status to look up orders.", tools: [orderTool] };

const question = { type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] };
const thought1 = { type: "thought", signature: "AXlPdo9cA1GI9z+QJzbWTWDIAaFSjR9F/DkNsp+Zh2D12EaVIkM6IBH9xkqL" };
const call = { type: "function_call", id: "gfa3lcqe", name: "get_order_status", arguments: { order_id: "A-4417" } };
const answer = {
  type: "function_result",
  call_id: "gfa3lcqe",
  name: "get_order_status",
  result: { order_id: "A-4417", status: "shipped", detail: "left the warehouse yesterday" },
};
const thought2 = { type: "thought", signature: "AfkNayZJZgkPpYfSX7jC0pLceRUWrNLcBEv3p0Nju5yTo1PaLNh4Humn6wA1" };
const replyText = 'get_order_status returned: {"order_id":"A-4417","status":"shipped","detail":"left the warehouse yesterday"}.';
const reply = { type: "model_output", content: [{ type: "text", text: replyText }] };
/** Usage as the emulator reports it (key order included: the examples are compared with real answers). */
const usageOf = (input: number, output: number, thought: number) => ({
  total_input_tokens: input,
  input_tokens_by_modality: [{ modality: "text", tokens: input }],
  total_cached_tokens: 0,
  total_output_tokens: output,
  total_thought_tokens: thought,
  total_tool_use_tokens: 0,
  total_tokens: input + output + thought,
});
const usage1 = usageOf(23, 6, 24);
const usage2 = usageOf(49, 27, 24);

/** Exported for tests: every request example must pass the relay's own validation and get a 200. */
export const EXAMPLES = {
  turn1: { ...seed, input: "Where is my order A-4417?" },
  turn1Response: {
    history: [question, thought1, call],
    steps: [thought1, call],
    status: "requires_action",
    usage: usage1,
    pending_calls: [call],
  },
  turn2: { ...seed, history: [question, thought1, call], input: [answer] },
  turn2Response: {
    history: [question, thought1, call, answer, thought2, reply],
    steps: [thought2, reply],
    status: "completed",
    usage: usage2,
    output_text: replyText,
    pending_calls: [],
  },
  dropIn1: { ...seed, input: "Where is my order A-4417?" },
  dropIn2: { ...seed, input: [question, thought1, call, answer] },
};

const INTERACTION_ID = "v1_ChdGU1JMYmo5cmQzUGk4bnVhRDdSRTBvaxIXRlNSTGJqOXJkM1BpOG51YUQ3UkUwb2s";
const STAMP = "2026-11-25T17:41:38Z";
const interaction1 = { id: INTERACTION_ID, object: "interaction", status: "requires_action", model: MODEL, created: STAMP, updated: STAMP, service_tier: "standard" };

/** Server-sent events as the relay writes them. */
function sse(events: ReadonlyArray<readonly [event: string, data: unknown]>): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`).join("");
}

/** The upstream's events for turn 1, as received (the relay forwards each one). */
const upstreamEvents1 = {
  created: ["interaction.created", { interaction: { id: INTERACTION_ID, status: "in_progress", object: "interaction", model: MODEL }, event_type: "interaction.created" }],
  progress: ["interaction.status_update", { interaction_id: INTERACTION_ID, status: "in_progress", event_type: "interaction.status_update" }],
  thoughtStart: ["step.start", { index: 0, step: { type: "thought" }, event_type: "step.start" }],
  thoughtDelta: ["step.delta", { index: 0, delta: { signature: thought1.signature, type: "thought_signature" }, event_type: "step.delta" }],
  thoughtStop: ["step.stop", { index: 0, event_type: "step.stop" }],
  callStart: ["step.start", { index: 1, step: { ...call, arguments: {} }, event_type: "step.start" }],
  callDelta1: ["step.delta", { index: 1, delta: { arguments: '{"order_id":', type: "arguments_delta" }, event_type: "step.delta" }],
  callDelta2: ["step.delta", { index: 1, delta: { arguments: '"A-4417"}', type: "arguments_delta" }, event_type: "step.delta" }],
  callStop: ["step.stop", { index: 1, event_type: "step.stop" }],
  completed: ["interaction.completed", { interaction: { ...interaction1, usage: usage1 }, event_type: "interaction.completed" }],
} as const;

const E = upstreamEvents1;
/** Both relay transcripts start alike: the thought, finished. */
const thoughtFinished = [E.created, E.progress, E.thoughtStart, E.thoughtDelta, E.thoughtStop, ["turn.step", { index: 0, step: thought1 }]] as const;
const turnStream = () =>
  sse([...thoughtFinished, E.callStart, E.callDelta1, E.callDelta2, E.callStop, ["turn.step", { index: 1, step: call }], E.completed, ["turn.completed", EXAMPLES.turn1Response]]);
const turnStreamFailed = () =>
  sse([
    ...thoughtFinished,
    [
      "turn.error",
      new RelayError(502, "upstream_unavailable", {
        detail: "The connection to the Gemini API failed or was cut. The reply had already begun, so the relay did not retry.",
      }).toProblem(),
    ],
  ]);
const dropInStream = () => sse([...Object.values(E), ["done", "[DONE]"]]);

function problem(summary: string, status: ContentfulStatusCode, code: ProblemCode, detail: string, errors?: ProblemItem[]): Example {
  return { summary, value: new RelayError(status, code, { detail, errors }).toProblem() };
}

function google(summary: string, status: ContentfulStatusCode, code: ProblemCode, detail: string, errors?: ProblemItem[]): Example {
  return { summary, value: { error: googleError(new RelayError(status, code, { detail, errors })) } };
}

const STORES_NOTHING =
  "This relay stores nothing: interactions are created with store=false, so they cannot be fetched, deleted or cancelled. Keep the steps on the client.";

// ---------------------------------------------------------------------------------------------
// Responses

const COMMON_HEADERS = { "Request-Id": headerRef("RequestId"), "Server-Timing": headerRef("ServerTiming"), "Relay-Retention": headerRef("RelayRetention") };

function response(description: string, content?: Record<string, MediaType>, headers: Record<string, Header | Ref> = {}): ResponseObject {
  return { description, headers: { ...COMMON_HEADERS, ...headers }, ...(content ? { content } : {}) };
}

function problemResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
  return response(description, { "application/problem+json": { schema: schemaRef("ProblemDetails"), examples: keyed(examples) } }, headers);
}

function googleResponse(description: string, examples: Example[], headers: Record<string, Header | Ref> = {}): ResponseObject {
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

const RETRY_AFTER_REQUIRED: Header = {
  description: "Seconds to wait before sending the request again.",
  required: true,
  schema: { type: "integer", minimum: 0 },
  example: 60,
};

function turnResponses(): Record<string, ResponseObject> {
  return {
    "200": response("The turn ran. Unless `stream` was true: the whole turn as one JSON body. With `stream: true`: server-sent events.", {
      "application/json": {
        schema: schemaRef("TurnResponse"),
        examples: {
          turn1: { summary: "Turn 1: the model asks for get_order_status", value: EXAMPLES.turn1Response },
          turn2: { summary: "Turn 2: the model answers from the function result", value: EXAMPLES.turn2Response },
        },
      },
      "text/event-stream": {
        schema: {
          type: "string",
          description: [
            "Sent when the request has `stream: true`. Events, in order:",
            "",
            "- Every event the Gemini API sends, forwarded as received: `event:` is its `event_type`, `data:` its JSON (interaction.created, interaction.status_update, step.start, step.delta, step.stop, interaction.completed, and any event type added later).",
            "- `turn.step` right after each `step.stop`: `data` is a TurnStepEvent, the finished step and its index in this turn's `steps`.",
            "- When Gemini stops at `requires_continuation`, the relay opens the next hop itself: its events follow in the same stream and `turn.step` indexes go on counting.",
            "- Last, `turn.completed`: `data` is the same TurnResponse the unstreamed call returns. Or `turn.error`: `data` is ProblemDetails, when the turn failed after the stream began. The relay does not retry then; the detail names any function calls the model had already asked for.",
            "",
            "No `[DONE]` sentinel. After STREAM_KEEPALIVE_MS of silence (15 s by default) the relay sends a `: keep-alive` comment. Errors before the stream began keep their HTTP status and come as problem details, as for an unstreamed turn.",
          ].join("\n"),
        },
        examples: {
          turn1: { summary: "Turn 1, streamed", value: turnStream() },
          failed: { summary: "The connection to Gemini broke after the reply began", value: turnStreamFailed() },
        },
      },
    }),
    "400": problemResponse("The request is malformed, refused, or Gemini rejected it.", [
      problem("A step lacks a required field", 400, "invalid_request", "/input/0/call_id Invalid input: expected string, received undefined.", [
        { path: "/input/0/call_id", message: "Invalid input: expected string, received undefined" },
      ]),
      problem(
        "A field this API does not have",
        400,
        "unknown_field",
        "Unknown field `temperature`: the relay forwards only fields it knows (allowed: model, history, input, stream, system_instruction, tools, generation_config, response_format, response_mime_type, response_modalities, safety_settings, service_tier, labels). An operator can let a newer Gemini field through with PASSTHROUGH_FIELDS.",
        [{ path: "/temperature", message: "is not a field of this API; the relay's operator can allow it with PASSTHROUGH_FIELDS=temperature" }],
      ),
      problem(
        "A field that would make Google keep data",
        400,
        "retention_refused",
        "Refused: previous_interaction_id would make Google retain data. This relay calls Gemini with store=false and nothing else kept.",
        [{ path: "/previous_interaction_id", message: "would make Google retain data: previous_interaction_id points at history stored at Google; send the whole transcript instead" }],
      ),
      problem(
        "The transcript ends with the model's answer",
        400,
        "nothing_to_answer",
        "The turn must end with a user_input or function_result step: send `input` (text, content blocks or steps), or a history whose last step is one of those.",
        [{ path: "/history", message: "does not end with user_input or function_result" }],
      ),
      problem("The body is not JSON", 400, "invalid_json", "The request body must be a JSON object: expected a value at byte 9.", [{ path: "", message: "is not valid JSON" }]),
      problem("The JSON nests too deeply", 400, "too_deep", "The JSON nests deeper than 64 levels (at character 64); flatten it (MAX_JSON_DEPTH)."),
      problem(
        "Gemini rejected the request (its message)",
        400,
        "upstream_rejected",
        'Function call "get_order_status" follows a thought whose signature is invalid (input[1].signature). Send thought steps back exactly as they were received.',
      ),
    ]),
    "401": problemResponse(
      "No credentials, or credentials the relay does not accept.",
      [
        problem("AUTH_MODE=tokens", 401, "unauthorized", TOKEN_REQUIRED),
        problem("AUTH_MODE=jwt, an expired JWT", 401, "unauthorized", "The JWT was refused (JwtTokenExpired). Mint a fresh one."),
      ],
      { "WWW-Authenticate": headerRef("WWWAuthenticate") },
    ),
    "403": problemResponse("The model is not in the operator's ALLOWED_MODELS.", [
      problem("A model the relay does not allow", 403, "model_not_allowed", 'Model "gemini-3.5-pro" is not allowed on this relay; use one of: gemini-3.5-flash.', [
        { path: "/model", message: "is not in ALLOWED_MODELS" },
      ]),
    ]),
    "405": problemResponse("Answered to any method but POST on this path.", [problem("GET /v1/turns", 405, "method_not_allowed", "Use POST /v1/turns with a JSON body.")], {
      Allow: headerRef("Allow"),
    }),
    "413": problemResponse("The body is over MAX_BODY_BYTES (before or after decompression), or the turn has more than MAX_STEPS steps.", [
      problem(
        "Over MAX_BODY_BYTES",
        413,
        "payload_too_large",
        "The body may be at most 26214400 bytes (MAX_BODY_BYTES); this one is 30000000 bytes (Content-Length). Trim old turns or send images by reference.",
      ),
      problem("Over MAX_STEPS", 413, "payload_too_large", "The turn carries 10001 steps; at most 10000 are accepted (MAX_STEPS). Summarise or drop old turns.", [
        { path: "/history", message: "has more than 10000 steps with the input" },
      ]),
    ]),
    "415": problemResponse("The body is not JSON, or its Content-Encoding is not gzip, deflate or identity.", [
      problem("Not JSON", 415, "unsupported_media_type", "Send JSON with content-type: application/json (got text/plain)."),
      problem("Unknown encoding", 415, "unsupported_media_type", "Content-Encoding br is not supported; use gzip or deflate."),
    ]),
    "422": problemResponse("The transcript is well-formed but would fail at Gemini (checked before the paid call): every finding is listed.", [
      problem(
        "A function result that answers no call",
        422,
        "integrity_failed",
        'The transcript would fail at Gemini (1 finding): /input/0/call_id answers call_id "gfa3lcqe", but no earlier function_call has that id; Gemini would return an empty reply.',
        [{ path: "/input/0/call_id", message: 'answers call_id "gfa3lcqe", but no earlier function_call has that id; Gemini would return an empty reply' }],
      ),
      problem(
        "Tools not sent again",
        422,
        "integrity_failed",
        'The transcript would fail at Gemini (1 finding): /history/2/name calls "get_order_status", but this request declares no tools: Gemini does not remember tools between turns, so send the same `tools` with every turn.',
        [
          {
            path: "/history/2/name",
            message: 'calls "get_order_status", but this request declares no tools: Gemini does not remember tools between turns, so send the same `tools` with every turn',
          },
        ],
      ),
    ]),
    "429": problemResponse(
      "This caller is over the relay's rate limit, or Gemini is rate limiting the relay.",
      [
        problem("The relay's per-caller limit", 429, "rate_limited", "This caller sent too many requests; wait 60 seconds."),
        problem("Gemini's limit", 429, "upstream_rate_limited", "The Gemini API is rate limiting: You have exceeded the per-minute request limit. Please retry later."),
      ],
      { "Retry-After": RETRY_AFTER_REQUIRED },
    ),
    "500": problemResponse("The relay is misconfigured, or failed unexpectedly (nothing was stored; safe to retry).", [
      problem(
        "No Gemini API key",
        500,
        "configuration_error",
        "GEMINI_API_KEY is not set. Set it with `wrangler secret put GEMINI_API_KEY` (or in .dev.vars for local development).",
        [{ path: "GEMINI_API_KEY", message: "is required" }],
      ),
      problem("A bug", 500, "internal_error", "The relay failed unexpectedly. The request was not stored anywhere; it is safe to retry."),
    ]),
    "502": problemResponse(
      "Gemini failed, could not be reached, sent a stream the relay could not read, or refused the relay's own API key.",
      [
        problem("Gemini failed", 502, "upstream_unavailable", "The Gemini API failed with 503: The model is overloaded. Please try again later."),
        problem("The relay's key was refused", 502, "upstream_auth_failed", "The Gemini API refused the relay's API key: API key not valid. Please pass a valid API key."),
      ],
      { "Retry-After": headerRef("RetryAfter") },
    ),
    "504": problemResponse("Gemini did not answer within UPSTREAM_TIMEOUT_MS (retries included), or answered that it timed out.", [
      problem("The relay's deadline", 504, "upstream_timeout", "The Gemini API did not answer within 300000 ms (UPSTREAM_TIMEOUT_MS)."),
    ]),
    "4XX": problemResponse("Any other 4xx status Gemini answered (e.g. 404 for an unknown model) comes back with that status as upstream_rejected.", [
      problem("An unknown model", 404, "upstream_rejected", "Model 'gemini-9' not found."),
    ]),
  };
}

function dropInResponses(): Record<string, ResponseObject> {
  const passthrough = "Failures Gemini itself answered come back with Gemini's status and body, exactly as received.";
  return {
    "200": response("Gemini's answer, exactly as received.", {
      "application/json": {
        schema: schemaRef("Interaction"),
        examples: {
          turn1: { summary: "Turn 1: the model asks for get_order_status", value: { ...interaction1, steps: [thought1, call], usage: usage1 } },
          turn2: {
            summary: "Turn 2: the model answers from the function result",
            value: { ...interaction1, id: "v1_ChdydTAxTld3M05iRWRSSkJYNGJmNUNrWRIXcnUwMU5XdzNOYkVkUkpCWDRiZjVDa1k", status: "completed", steps: [thought2, reply], usage: usage2 },
          },
        },
      },
      "text/event-stream": {
        schema: {
          type: "string",
          description:
            "Sent when the body has `stream: true`: every event Gemini sends, as received (`event:` is its `event_type`), then `event: done` with `data: [DONE]`, the sentinel the SDKs stop at. A stream that breaks midway ends with an `error` event whose data is `{\"error\": {...}, \"event_type\": \"error\"}`.",
        },
        examples: { turn1: { summary: "Turn 1, streamed", value: dropInStream() } },
      },
    }),
    "400": googleResponse(`The body is malformed or refused. ${passthrough}`, [
      google(
        "A body asking Google to keep the interaction",
        400,
        "retention_refused",
        "Refused: store would make Google retain data. This relay calls Gemini with store=false and nothing else kept.",
        [{ path: "/store", message: "would make Google retain data: store must be false or absent: this relay never lets Google store an interaction (55 days on paid tiers, 1 day on free)" }],
      ),
      { summary: "Gemini's own refusal, passed through", value: { error: { code: "invalid_request", message: "Request contains an invalid argument." } } },
    ]),
    "401": googleResponse("No credentials, or credentials the relay does not accept.", [google("No relay token", 401, "unauthorized", TOKEN_REQUIRED)], {
      "WWW-Authenticate": headerRef("WWWAuthenticate"),
    }),
    "403": googleResponse("The model is not in the operator's ALLOWED_MODELS.", [
      google("A model the relay does not allow", 403, "model_not_allowed", 'Model "gemini-3.5-pro" is not allowed on this relay; use one of: gemini-3.5-flash.'),
    ]),
    "405": googleResponse("Answered to any method but POST on this path.", [google("GET", 405, "method_not_allowed", "Use POST to create an interaction.")], { Allow: headerRef("Allow") }),
    "413": googleResponse("The body is over MAX_BODY_BYTES.", [
      google(
        "Over MAX_BODY_BYTES",
        413,
        "payload_too_large",
        "The body may be at most 26214400 bytes (MAX_BODY_BYTES); this one is 30000000 bytes (Content-Length). Trim old turns or send images by reference.",
      ),
    ]),
    "415": googleResponse("The body is not JSON, or its Content-Encoding is not gzip, deflate or identity.", [
      google("Not JSON", 415, "unsupported_media_type", "Send JSON with content-type: application/json (got text/plain)."),
    ]),
    "429": googleResponse(
      "This caller is over the relay's rate limit, or Gemini's 429 passed through.",
      [
        google("The relay's per-caller limit", 429, "rate_limited", "This caller sent too many requests; wait 60 seconds."),
        { summary: "Gemini's limit, passed through", value: { error: { code: "rate_limit_exceeded", message: "You have exceeded the per-minute request limit. Please retry later." } } },
      ],
      { "Retry-After": RETRY_AFTER_REQUIRED, "retry-after-ms": headerRef("RetryAfterMs") },
    ),
    "500": googleResponse(`The relay is misconfigured or failed unexpectedly. ${passthrough}`, [
      google("No Gemini API key", 500, "configuration_error", "GEMINI_API_KEY is not set. Set it with `wrangler secret put GEMINI_API_KEY` (or in .dev.vars for local development).", [
        { path: "GEMINI_API_KEY", message: "is required" },
      ]),
      { summary: "Gemini's own failure, passed through", value: { error: { code: "api_error", message: "An internal error has occurred. Please retry." } } },
    ]),
    "502": googleResponse("Gemini could not be reached, or refused the relay's own API key.", [
      google("Connection failed", 502, "upstream_unavailable", "The connection to the Gemini API failed or was cut."),
    ]),
    "504": googleResponse("Gemini did not answer within UPSTREAM_TIMEOUT_MS.", [
      google("The relay's deadline", 504, "upstream_timeout", "The Gemini API did not answer within 300000 ms (UPSTREAM_TIMEOUT_MS)."),
    ]),
    "4XX": googleResponse(passthrough, [{ summary: "An unknown model", value: { error: { code: "not_found", message: "Model 'gemini-9' not found." } } }], {
      "retry-after-ms": headerRef("RetryAfterMs"),
    }),
    "5XX": googleResponse(passthrough, [{ summary: "Gemini overloaded", value: { error: { code: "service_unavailable", message: "The model is overloaded. Please try again later." } } }], {
      "retry-after-ms": headerRef("RetryAfterMs"),
    }),
  };
}

/** GET, DELETE and cancel on one interaction: nothing was stored, so 404. */
function storedInteractionOperation(operationId: string, summary: string): Operation {
  return {
    operationId,
    summary,
    description: "The relay creates every interaction with store=false, so there is nothing to fetch, delete or cancel. Answered in Google's error shape, so the SDKs raise their NotFoundError.",
    tags: ["Drop-in Interactions API"],
    responses: {
      "401": googleResponse("No credentials, or credentials the relay does not accept.", [google("No relay token", 401, "unauthorized", TOKEN_REQUIRED)], {
        "WWW-Authenticate": headerRef("WWWAuthenticate"),
      }),
      "404": googleResponse("Always: nothing is stored.", [google("Nothing stored", 404, "not_found", STORES_NOTHING)]),
    },
  };
}

const PUBLIC: SecurityRequirement[] = [];

// ---------------------------------------------------------------------------------------------
// The document

const DESCRIPTION = `The caller keeps the conversation; the relay keeps nothing, and calls Gemini with \`store: false\`, so Google keeps no interaction either.

How a conversation goes:

- Turn 1: \`POST /v1/turns\` with \`model\`, \`tools\` and the user's \`input\`. The response's \`history\` is the whole transcript so far.
- Next turn: send that \`history\` back unchanged, with the new \`input\` (text, or \`function_result\` steps answering \`pending_calls\`), and the same \`tools\` and \`system_instruction\`: Gemini does not remember them between turns.
- Before the paid call, the relay checks the transcript: schema (400), retention (400 retention_refused), and what Gemini would fail on quietly (422 integrity_failed).

Existing apps on the official SDKs can instead point their base URL at the relay: \`POST /{version}/interactions\` takes Google's own request body and answers as Google does.

Errors on \`/v1/*\` are RFC 9457 problem details (\`application/problem+json\`, with a stable \`code\`); on the drop-in routes they are in Google's error shape. Every response carries \`Request-Id\`, \`Server-Timing\` and \`Relay-Retention\`. Any other path answers 404 not_found. Browser origins need the operator's CORS_ORIGINS.

Authentication depends on the operator's AUTH_MODE: a relay token (\`tokens\`, the default) or a JWT from the app's backend (\`jwt\`), sent as \`Authorization: Bearer\` or in \`x-goog-api-key\`; or none at all (\`none\`, set explicitly).`;

function buildDocument(): OpenApiDocument {
  const credentialed: SecurityRequirement[] = [{ relayToken: [] }, { relayJwt: [] }, { googApiKey: [] }];
  return {
    openapi: "3.1.1",
    info: {
      title: "gemini-relay",
      version,
      summary: "A stateless edge relay for the Gemini Interactions API: callers keep the history, nobody else does.",
      description: DESCRIPTION,
    },
    servers: [
      { url: "/", description: "This relay" },
      { url: "http://127.0.0.1:8787", description: "`npm start`: the relay with the local emulator, offline" },
    ],
    tags: [
      { name: "Turns", description: "The relay's own API: one call per turn, the whole history each time." },
      { name: "Drop-in Interactions API", description: "Google's Interactions API routes, for the official SDKs pointed at the relay." },
      { name: "Service", description: "Health and this documentation; no authentication." },
    ],
    security: credentialed,
    paths: {
      "/v1/turns": {
        post: {
          operationId: "createTurn",
          summary: "Run one turn of a conversation the caller keeps",
          description:
            "Checks the request and the transcript, calls Gemini once with `history` ++ the new input and `store: false` (following `requires_continuation` hops itself), and answers with the transcript to keep.",
          tags: ["Turns"],
          parameters: [parameterRef("RequestId"), parameterRef("ContentEncoding")],
          requestBody: {
            required: true,
            description: "JSON, optionally gzip- or deflate-compressed (Content-Encoding).",
            content: {
              "application/json": {
                schema: schemaRef("TurnRequest"),
                examples: {
                  turn1: { summary: "Turn 1: the user asks about an order", value: EXAMPLES.turn1 },
                  turn2: { summary: "Turn 2: the caller ran get_order_status and sends its result", value: EXAMPLES.turn2 },
                  turn1Streamed: { summary: "Turn 1, streamed", value: { ...EXAMPLES.turn1, stream: true } },
                },
              },
            },
          },
          responses: turnResponses(),
        },
      },
      "/{version}/interactions": {
        parameters: [parameterRef("ApiVersion")],
        post: {
          operationId: "createInteraction",
          summary: "Create an interaction, as the official SDKs do (never stored)",
          description:
            "Google's `interactions.create`, for apps on the official SDKs: set the SDK's base URL to the relay and its API key to a relay credential. The body is forwarded as given with `store: false` (and the same retention guard as /v1/turns); the answer comes back exactly as Gemini sent it. Keep the steps on the client and send them back as `input`.",
          tags: ["Drop-in Interactions API"],
          parameters: [parameterRef("RequestId"), parameterRef("ContentEncoding")],
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: schemaRef("InteractionRequest"),
                examples: {
                  turn1: { summary: "Turn 1: the user asks about an order", value: EXAMPLES.dropIn1 },
                  turn2: { summary: "Turn 2: the whole transcript and the function result as input", value: EXAMPLES.dropIn2 },
                },
              },
            },
          },
          responses: dropInResponses(),
        },
      },
      "/{version}/interactions/{id}": {
        parameters: [parameterRef("ApiVersion"), parameterRef("InteractionId")],
        get: storedInteractionOperation("getInteraction", "Get a stored interaction (there are none)"),
        delete: storedInteractionOperation("deleteInteraction", "Delete a stored interaction (there are none)"),
      },
      "/{version}/interactions/{id}/cancel": {
        parameters: [parameterRef("ApiVersion"), parameterRef("InteractionId")],
        post: storedInteractionOperation("cancelInteraction", "Cancel a background interaction (there are none)"),
      },
      "/healthz": {
        get: {
          operationId: "health",
          summary: "Health check",
          tags: ["Service"],
          security: PUBLIC,
          responses: { "200": response("The relay is up.", { "application/json": { schema: schemaRef("Health"), examples: { ok: { value: { status: "ok" } } } } }) },
        },
      },
      "/openapi.json": {
        get: {
          operationId: "openApiDocument",
          summary: "This OpenAPI 3.1 document",
          tags: ["Service"],
          security: PUBLIC,
          responses: { "200": response("The document.", { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document." } } }) },
        },
      },
      "/docs": {
        get: {
          operationId: "docsPage",
          summary: "This document as a readable HTML page",
          tags: ["Service"],
          security: PUBLIC,
          responses: { "200": response("A self-contained HTML page (no scripts, no external assets).", { "text/html": { schema: { type: "string" } } }) },
        },
      },
    },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        relayToken: {
          type: "http",
          scheme: "bearer",
          description: "AUTH_MODE=tokens (the default): one of the operator's RELAY_TOKENS, as `Authorization: Bearer <token>`.",
        },
        relayJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "AUTH_MODE=jwt: a short-lived JWT minted by the app's backend: HS256 with JWT_SECRET, or RS256/ES256 from JWT_JWKS_URL. Needs `sub`; `exp` and `nbf` are checked, and `aud`/`iss` when JWT_AUDIENCE/JWT_ISSUER are set.",
        },
        googApiKey: {
          type: "apiKey",
          in: "header",
          name: "x-goog-api-key",
          description: "The same relay token or JWT in the header the official SDKs send: set the SDK's API key to it. `Authorization: Bearer` wins when both are sent.",
        },
      },
      headers: {
        RequestId: {
          description: "This request's id: the caller's own Request-Id when it sent a valid one, else a new UUID. It is in the relay's log line for the request.",
          schema: { type: "string" },
          required: true,
          example: "4ec0e4b2-b8fd-4349-8414-b9a1702b47cb",
        },
        ServerTiming: {
          description: "Milliseconds spent in the relay and waiting on Gemini (for a stream: until its first byte).",
          schema: { type: "string" },
          required: true,
          example: "relay;dur=3, upstream;dur=412",
        },
        RelayRetention: {
          description:
            "What this request left behind: always `relay=none; upstream-store=false`, then `grounding=none`, or the grounding tools used and `grounding-retention=30d`, and `stored-resources=...` when the operator allowed them.",
          schema: { type: "string" },
          required: true,
          example: "relay=none; upstream-store=false; grounding=none",
        },
        RetryAfter: { description: "Seconds to wait before sending the request again, when known.", schema: { type: "integer", minimum: 0 }, example: 1 },
        RetryAfterMs: { description: "Gemini's wait hint in milliseconds, passed on for the SDKs.", schema: { type: "integer", minimum: 0 }, example: 1000 },
        Allow: { description: "The methods this path answers.", required: true, schema: { type: "string" }, example: "POST" },
        WWWAuthenticate: { description: "The scheme to authenticate with.", required: true, schema: { type: "string" }, example: 'Bearer realm="gemini-relay"' },
      },
      parameters: {
        RequestId: {
          name: "Request-Id",
          in: "header",
          description: "The caller's own id for this request (up to 255 letters, digits, `_`, `-`, `=`); echoed back, else the relay makes one.",
          schema: { type: "string", pattern: "^[A-Za-z0-9_=-]{1,255}$" },
          example: "support-7f3a",
        },
        ContentEncoding: {
          name: "Content-Encoding",
          in: "header",
          description: "Compress the body with gzip or deflate to save uplink; the limits apply before and after decompression.",
          schema: { type: "string", enum: ["gzip", "x-gzip", "deflate", "identity"] },
        },
        ApiVersion: {
          name: "version",
          in: "path",
          required: true,
          description: "The API version the SDK uses; the relay calls Gemini with the same one.",
          schema: { type: "string", enum: ["v1beta", "v1", "v1alpha"] },
        },
        InteractionId: { name: "id", in: "path", required: true, description: "An interaction id.", schema: { type: "string" } },
      },
    },
  };
}

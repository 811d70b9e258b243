/**
 * The document's shared components: every body schema from the zod schemas (../schemas.ts,
 * ../request-schema.ts, bodies.ts) through
 * z.toJSONSchema (JSON Schema 2020-12, OpenAPI 3.1's and 3.2's own dialect), plus the security schemes, headers
 * and parameters the operations refer to.
 */
import * as z from "zod";
import { REFUSED_FIELDS, REQUEST_FIELDS } from "../fields";
import { ContentList, StepList, TurnRequest } from "../request-schema";
import {
  AudioContent,
  Content,
  DocumentContent,
  FunctionCallStep,
  FunctionResultStep,
  HistoryStep,
  ImageContent,
  InputStep,
  ModelOutputStep,
  TextContent,
  ThoughtStep,
  UserInputStep,
  VideoContent,
} from "../schemas";
import {
  GoogleError,
  Health,
  InteractionStreamEvent,
  MinimalTurnResponseSchema,
  ProblemCode as ProblemCodeSchema,
  ProblemDetails,
  ProblemItem as ProblemItemSchema,
  TurnResponseSchema,
  TurnStepEvent,
  TurnStreamEvent,
  UpstreamEvent,
} from "./bodies";
import { withExplicitTypes } from "./explicit-types";
import type { JsonSchema, OpenApiDocument, Ref } from "./types";

/** The component name of every zod schema in the document; a schema used inside another becomes a $ref. */
function componentSchemas(): Record<string, JsonSchema> {
  // Google's own bodies on the drop-in route: documented, never checked (the relay forwards them).
  const InteractionRequest = z
    .looseObject({
      model: z.string().meta({ description: REQUEST_FIELDS.find((row) => row.name === "model")!.why }),
      input: z
        .union([z.string(), Content, ContentList, z.array(HistoryStep)])
        .meta({ description: "Text, content, or the whole transcript as steps (the client keeps it: nothing is stored)." }),
      stream: z.boolean().optional(),
      store: z.literal(false).optional().meta({ description: "Sent as false whatever the caller says; `true` is refused." }),
      background: z.literal(false).optional(),
    })
    .meta({
      description: `The Interactions API's create body, as the official SDKs send it. Forwarded as given with store=false. Refused (400) as in /v1/turns: ${refusedFields()}, and grounding tools or stored resources the operator has not enabled.`,
    });
  const Interaction = z
    .looseObject({
      id: z.string(),
      object: z.string().optional(),
      status: z.string(),
      model: z.string().optional(),
      steps: z.array(HistoryStep).optional().meta({ description: "The steps the model generated (not the input)." }),
      usage: z.record(z.string(), z.unknown()).optional(),
    })
    .meta({
      description:
        "The Interactions API's Interaction, exactly as Gemini answered. It was not stored, so its `id` cannot be fetched later.",
    });

  const named: Record<string, z.core.$ZodType> = {
    TurnRequest,
    TurnResponse: TurnResponseSchema,
    MinimalTurnResponse: MinimalTurnResponseSchema,
    TurnStepEvent,
    TurnStreamEvent,
    UpstreamEvent,
    InteractionStreamEvent,
    HistoryStep,
    InputStep,
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
  return withExplicitTypes(result);
}

/** The refused rows of the table of request fields, as a phrase: "store or background other than false, agent, ...". */
function refusedFields(): string {
  const unlessFalse = REFUSED_FIELDS.filter((row) => row.allowed === false).map((row) => row.name);
  const always = REFUSED_FIELDS.filter((row) => row.allowed === undefined).map((row) => row.name);
  return [`${unlessFalse.join(" or ")} other than false`, ...always].join(", ");
}

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const headerRef = (name: string): Ref => ({ $ref: `#/components/headers/${name}` });
export const parameterRef = (name: string): Ref => ({ $ref: `#/components/parameters/${name}` });

export function components(): OpenApiDocument["components"] {
  return {
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
          "AUTH_MODE=jwt: a short-lived JWT minted by the app's backend: HS256 with JWT_SECRET, or RS256/ES256 from JWT_JWKS_URL. Needs `sub` and `exp`; `nbf` is checked when present, and `aud`/`iss` when JWT_AUDIENCE/JWT_ISSUER are set (JWKS mode requires JWT_AUDIENCE).",
      },
      googApiKey: {
        type: "apiKey",
        in: "header",
        name: "x-goog-api-key",
        description:
          "The same relay token or JWT in the header the official SDKs send: set the SDK's API key to it. `Authorization: Bearer` wins when both are sent.",
      },
    },
    headers: {
      RequestId: {
        description:
          "This request's id, a UUID the relay makes (never the caller's): the `request_id` of the relay's log line for the request.",
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
      RelayAttestationWarning: {
        description:
          "TRANSCRIPT_MODE=verify only: the history had model-authored steps and no `attestation`, so they were not verified (and the response carries no attestation).",
        schema: { type: "string" },
        example: "unverified; 3 model-authored steps came without an attestation",
      },
      RetryAfter: {
        description: "Seconds to wait before sending the request again, when known.",
        schema: { type: "integer", minimum: 0 },
        example: 1,
      },
      RetryAfterMs: {
        description: "Gemini's wait hint in milliseconds, passed on for the SDKs.",
        schema: { type: "integer", minimum: 0 },
        example: 1000,
      },
      Allow: { description: "The methods this path answers.", required: true, schema: { type: "string" }, example: "POST" },
      WWWAuthenticate: {
        description: "The scheme to authenticate with.",
        required: true,
        schema: { type: "string" },
        example: 'Bearer realm="gemini-relay"',
      },
    },
    parameters: {
      RequestId: {
        name: "Request-Id",
        in: "header",
        description:
          "The caller's own id for this request: logged as `caller_request_id` beside the relay's own id (printable ASCII only, cut to 128 characters), never used as the request's id.",
        schema: { type: "string" },
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
  };
}

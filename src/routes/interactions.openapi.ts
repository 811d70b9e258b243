/** The drop-in Interactions API routes, for the official SDKs pointed at the relay. */
import { TOKEN_REQUIRED } from "../http/auth";
import { headerRef, parameterRef, schemaRef } from "../openapi/components";
import {
  EXAMPLES,
  STORES_NOTHING,
  call,
  dropInStream,
  google,
  interaction1,
  reply,
  shownAsGoogle,
  thought1,
  thought2,
  usage1,
  usage2,
} from "../openapi/examples";
import { upstreamFailure } from "../openapi/upstream-failures";
import { RETRY_AFTER_REQUIRED, eventStream, googleResponse, jsonRequestBody, response } from "../openapi/responses";
import type { Operation, PathItem, ResponseObject } from "../openapi/types";

function dropInResponses(): Record<string, ResponseObject> {
  const passthrough = "Failures Gemini itself answered come back with Gemini's status and body, exactly as received.";
  return {
    "200": response("Gemini's answer, exactly as received.", {
      "application/json": {
        schema: schemaRef("Interaction"),
        examples: {
          turn1: {
            summary: "Turn 1: the model asks for get_order_status",
            value: { ...interaction1, steps: [thought1, call], usage: usage1 },
          },
          turn2: {
            summary: "Turn 2: the model answers from the function result",
            value: {
              ...interaction1,
              id: "v1_ChdydTAxTld3M05iRWRSSkJYNGJmNUNrWRIXcnUwMU5XdzNOYkVkUkpCWDRiZjVDa1k",
              status: "completed",
              steps: [thought2, reply],
              usage: usage2,
            },
          },
        },
      },
      "text/event-stream": eventStream(
        'Sent when the body has `stream: true`; each event is an InteractionStreamEvent: every event Gemini sends, as received (`event:` is its `event_type`), then `event: done` with `data: [DONE]`, the sentinel the SDKs stop at. A stream that breaks midway ends with an `error` event whose data is `{"error": {...}, "event_type": "error"}`.',
        "InteractionStreamEvent",
        { turn1: { summary: "Turn 1, streamed", stream: dropInStream() } },
      ),
    }),
    "400": googleResponse(`The body is malformed or refused. ${passthrough}`, [
      google(
        "A body asking Google to keep the interaction",
        400,
        "retention_refused",
        "Refused: store would make Google retain data. This relay calls Gemini with store=false and nothing else kept.",
        [
          {
            path: "/store",
            message:
              "would make Google retain data: store must be false or absent: this relay never lets Google store an interaction (55 days on paid tiers, 1 day on free)",
          },
        ],
      ),
      {
        summary: "Gemini's own refusal, passed through",
        value: { error: { code: "invalid_request", message: "Request contains an invalid argument." } },
      },
    ]),
    "401": googleResponse(
      "No credentials, or credentials the relay does not accept.",
      [google("No relay token", 401, "unauthorized", TOKEN_REQUIRED)],
      {
        "WWW-Authenticate": headerRef("WWWAuthenticate"),
      },
    ),
    "403": googleResponse(
      "The model is not in the operator's ALLOWED_MODELS, or the relay requires attested transcripts (TRANSCRIPT_MODE=require), which this route cannot carry.",
      [
        google(
          "A model the relay does not allow",
          403,
          "model_not_allowed",
          'Model "gemini-3.5-pro" is not allowed on this relay; use one of: gemini-3.5-flash.',
        ),
        google(
          "TRANSCRIPT_MODE=require",
          403,
          "attestation_required",
          "This relay requires attested transcripts (TRANSCRIPT_MODE=require), and the drop-in Interactions route has no field for an attestation: use POST /v1/turns. The operator can allow this route anyway with TRANSCRIPT_ALLOW_DROP_IN=true.",
        ),
      ],
    ),
    "405": googleResponse(
      "Answered to any method but POST on this path.",
      [google("GET", 405, "method_not_allowed", "Use POST to create an interaction.")],
      { Allow: headerRef("Allow") },
    ),
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
        {
          summary: "Gemini's limit, passed through",
          value: { error: { code: "rate_limit_exceeded", message: "You have exceeded the per-minute request limit. Please retry later." } },
        },
      ],
      { "Retry-After": RETRY_AFTER_REQUIRED, "retry-after-ms": headerRef("RetryAfterMs") },
    ),
    "500": googleResponse(`The relay is misconfigured or failed unexpectedly. ${passthrough}`, [
      google(
        "No Gemini API key",
        500,
        "configuration_error",
        "GEMINI_API_KEY is not set. Set it with `wrangler secret put GEMINI_API_KEY` (or in .dev.vars for local development).",
        [{ path: "GEMINI_API_KEY", message: "is required" }],
      ),
      {
        summary: "Gemini's own failure, passed through",
        value: { error: { code: "api_error", message: "An internal error has occurred. Please retry." } },
      },
    ]),
    "502": googleResponse("Gemini could not be reached, or refused the relay's own API key.", [
      shownAsGoogle("Connection failed", upstreamFailure.unreachable()),
    ]),
    "504": googleResponse("Gemini did not answer within UPSTREAM_TIMEOUT_MS.", [
      shownAsGoogle("The relay's deadline", upstreamFailure.timedOut()),
    ]),
    "4XX": googleResponse(
      passthrough,
      [{ summary: "An unknown model", value: { error: { code: "not_found", message: "Model 'gemini-9' not found." } } }],
      {
        "retry-after-ms": headerRef("RetryAfterMs"),
      },
    ),
    "5XX": googleResponse(
      passthrough,
      [
        {
          summary: "Gemini overloaded",
          value: { error: { code: "service_unavailable", message: "The model is overloaded. Please try again later." } },
        },
      ],
      {
        "retry-after-ms": headerRef("RetryAfterMs"),
      },
    ),
  };
}

/** GET, DELETE and cancel on one interaction: nothing was stored, so 404. */
function storedInteractionOperation(operationId: string, summary: string): Operation {
  return {
    operationId,
    summary,
    description:
      "The relay creates every interaction with store=false, so there is nothing to fetch, delete or cancel. Answered in Google's error shape, so the SDKs raise their NotFoundError.",
    tags: ["Drop-in Interactions API"],
    responses: {
      "401": googleResponse(
        "No credentials, or credentials the relay does not accept.",
        [google("No relay token", 401, "unauthorized", TOKEN_REQUIRED)],
        {
          "WWW-Authenticate": headerRef("WWWAuthenticate"),
        },
      ),
      "404": googleResponse("Always: nothing is stored.", [google("Nothing stored", 404, "not_found", STORES_NOTHING)]),
    },
  };
}

export function interactionPaths(): Record<string, PathItem> {
  return {
    "/{version}/interactions": {
      parameters: [parameterRef("ApiVersion")],
      post: {
        operationId: "createInteraction",
        summary: "Create an interaction, as the official SDKs do (never stored)",
        description:
          "Google's `interactions.create`, for apps on the official SDKs: set the SDK's base URL to the relay and its API key to a relay credential. The body is forwarded as given with `store: false` (and the same retention guard as /v1/turns); the answer comes back exactly as Gemini sent it. Keep the steps on the client and send them back as `input`.",
        tags: ["Drop-in Interactions API"],
        parameters: [parameterRef("RequestId"), parameterRef("ContentEncoding")],
        requestBody: jsonRequestBody("InteractionRequest", {
          turn1: { summary: "Turn 1: the user asks about an order", value: EXAMPLES.dropIn1 },
          turn2: { summary: "Turn 2: the whole transcript and the function result as input", value: EXAMPLES.dropIn2 },
        }),
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
  };
}

/** The drop-in Interactions API routes, for the official SDKs pointed at the relay. */
import { ATTESTED, NOT_JSON, OVERSIZED, RATE_LIMITED, TOKENS, json, type Ask, type Asked } from "../openapi/answers";
import { headerRef, parameterRef, schemaRef } from "../openapi/components";
import {
  EXAMPLES,
  MODEL as M,
  call,
  dropInStream,
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

const DROP_IN = "/v1beta/interactions";
const { dropIn1 } = EXAMPLES;
/** AUTH_MODE=tokens and no credentials. */
const noToken = (ask: Ask, path = DROP_IN) => ask("No relay token", { path, init: json(dropIn1), bindings: TOKENS });

async function dropInResponses(ask: Ask): Promise<Record<string, ResponseObject>> {
  /** The relay's answer on POST /v1beta/interactions, recorded. */
  const asked = (summary: string, request: Asked) => ask(summary, { path: DROP_IN, ...request });
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
      await asked("A body asking Google to keep the interaction", { init: json({ ...dropIn1, store: true }) }),
      {
        summary: "Gemini's own refusal, passed through",
        value: { error: { code: "invalid_request", message: "Request contains an invalid argument." } },
      },
    ]),
    "401": googleResponse("No credentials, or credentials the relay does not accept.", [await noToken(ask)], {
      "WWW-Authenticate": headerRef("WWWAuthenticate"),
    }),
    "403": googleResponse(
      "The model is not in the operator's ALLOWED_MODELS, or the relay requires attested transcripts (TRANSCRIPT_MODE=require), which this route cannot carry.",
      [
        await asked("A model the relay does not allow", {
          init: json({ ...dropIn1, model: "gemini-3.5-pro" }),
          bindings: { ALLOWED_MODELS: M },
        }),
        await asked("TRANSCRIPT_MODE=require", { init: json(dropIn1), bindings: ATTESTED }),
      ],
    ),
    "405": googleResponse("Answered to any method but POST on this path.", [await asked("GET", { init: { method: "GET" } })], {
      Allow: headerRef("Allow"),
    }),
    "413": googleResponse("The body is over MAX_BODY_BYTES.", [await asked("Over MAX_BODY_BYTES", { init: OVERSIZED })]),
    "415": googleResponse("The body is not JSON, or its Content-Encoding is not gzip, deflate or identity.", [
      await asked("Not JSON", { init: NOT_JSON }),
    ]),
    "429": googleResponse(
      "This caller is over the relay's rate limit, or Gemini's 429 passed through.",
      [
        await asked("The relay's per-caller limit", { init: json(dropIn1), bindings: RATE_LIMITED }),
        {
          summary: "Gemini's limit, passed through",
          value: { error: { code: "rate_limit_exceeded", message: "You have exceeded the per-minute request limit. Please retry later." } },
        },
      ],
      { "Retry-After": RETRY_AFTER_REQUIRED, "retry-after-ms": headerRef("RetryAfterMs") },
    ),
    "500": googleResponse(`The relay is misconfigured or failed unexpectedly. ${passthrough}`, [
      await asked("No Gemini API key", { init: json(dropIn1), bindings: { GEMINI_API_KEY: "" } }),
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
async function storedInteractionOperation(
  ask: Ask,
  operationId: string,
  summary: string,
  method: string,
  path: string,
): Promise<Operation> {
  return {
    operationId,
    summary,
    description:
      "The relay creates every interaction with store=false, so there is nothing to fetch, delete or cancel. Answered in Google's error shape, so the SDKs raise their NotFoundError.",
    tags: ["Drop-in Interactions API"],
    responses: {
      "401": googleResponse("No credentials, or credentials the relay does not accept.", [await noToken(ask, path)], {
        "WWW-Authenticate": headerRef("WWWAuthenticate"),
      }),
      "404": googleResponse("Always: nothing is stored.", [await ask("Nothing stored", { path, init: { method } })]),
    },
  };
}

/** Run by the build (src/openapi/build.ts), never by the Worker. */
export async function interactionPaths(ask: Ask): Promise<Record<string, PathItem>> {
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
        responses: await dropInResponses(ask),
      },
    },
    "/{version}/interactions/{id}": {
      parameters: [parameterRef("ApiVersion"), parameterRef("InteractionId")],
      get: await storedInteractionOperation(
        ask,
        "getInteraction",
        "Get a stored interaction (there are none)",
        "GET",
        "/v1beta/interactions/v1_abc",
      ),
      delete: await storedInteractionOperation(
        ask,
        "deleteInteraction",
        "Delete a stored interaction (there are none)",
        "DELETE",
        "/v1/interactions/v1_abc",
      ),
    },
    "/{version}/interactions/{id}/cancel": {
      parameters: [parameterRef("ApiVersion"), parameterRef("InteractionId")],
      post: await storedInteractionOperation(
        ask,
        "cancelInteraction",
        "Cancel a background interaction (there are none)",
        "POST",
        "/v1alpha/interactions/v1_abc/cancel",
      ),
    },
  };
}

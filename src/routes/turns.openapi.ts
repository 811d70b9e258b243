/** POST /v1/turns: the relay's own API, one call per turn. */
import { toRelayError } from "../errors";
import { ATTESTED, JWT_SECRET, NOT_JSON, OVERSIZED, RATE_LIMITED, TOKENS, expiredJwt, json, type Ask } from "../openapi/answers";
import { headerRef, parameterRef, schemaRef } from "../openapi/components";
import { EXAMPLES, MODEL as M, shown, turnStream, turnStreamFailed } from "../openapi/examples";
import { upstreamFailure } from "../openapi/upstream-failures";
import { storedResourceInReply } from "../turn/retention";
import { RETRY_AFTER_REQUIRED, eventStream, jsonRequestBody, problemResponse, response } from "../openapi/responses";
import type { Header, Parameter, PathItem, ResponseObject } from "../openapi/types";

/** Prefer (RFC 7240): `return=minimal` asks for the body without the history the caller sent. */
const PREFER: Parameter = {
  name: "Prefer",
  in: "header",
  description:
    "RFC 7240 preferences. `return=minimal`: the 200 body (unary, and `turn.completed`'s data) is a MinimalTurnResponse (#/components/schemas/MinimalTurnResponse), without the `history` you already hold, and the response says `Preference-Applied: return=minimal`; other preferences are ignored. Append `input_steps` then `steps` to the history you sent to get the full body's `history`, byte for byte. The 200 content below stays TurnResponse: OpenAPI cannot tie a body to a request header, and a union would make every generated client narrow a body it did not ask for.",
  schema: { type: "string" },
  example: "return=minimal",
};

/** Preference-Applied (RFC 7240): said when the body is the minimal one. */
const PREFERENCE_APPLIED: Header = {
  description: "`return=minimal` when the body (or `turn.completed`'s data) is a MinimalTurnResponse; absent otherwise.",
  schema: { type: "string", enum: ["return=minimal"] },
  example: "return=minimal",
};

async function turnResponses(ask: Ask): Promise<Record<string, ResponseObject>> {
  const { turn1, turn2 } = EXAMPLES;
  return {
    "200": response(
      "The turn ran. Unless `stream` was true: the whole turn as one JSON body (TurnResponse; with `Prefer: return=minimal`, MinimalTurnResponse). With `stream: true`: server-sent events.",
      {
        "application/json": {
          schema: schemaRef("TurnResponse"),
          examples: {
            turn1: { summary: "Turn 1: the model asks for get_order_status", value: EXAMPLES.turn1Response },
            turn2: { summary: "Turn 2: the model answers from the function result", value: EXAMPLES.turn2Response },
            warning: { summary: "A reply that names a Files API upload, with its warning", value: replyWithWarning() },
          },
        },
        "text/event-stream": eventStream(
          [
            "Sent when the request has `stream: true`; each event is a TurnStreamEvent. In order:",
            "",
            "- Every event the Gemini API sends, forwarded as received: `event:` is its `event_type`, `data:` its JSON (interaction.created, interaction.status_update, step.start, step.delta, step.stop, interaction.completed, and any event type added later).",
            "- `turn.step` right after each `step.stop`: `data` is a TurnStepEvent, the finished step and its index in this turn's `steps`.",
            "- When Gemini stops at `requires_continuation`, the relay opens the next hop itself: its events follow in the same stream and `turn.step` indexes go on counting.",
            "- Last, `turn.completed`: `data` is the same TurnResponse the unstreamed call returns (MinimalTurnResponse with `Prefer: return=minimal`). Or `turn.error`: `data` is ProblemDetails, when the turn failed after the stream began. The relay does not retry then; the detail names any function calls the model had already asked for.",
            "",
            "No `[DONE]` sentinel. After STREAM_KEEPALIVE_MS of silence (15 s by default) the relay sends a `: keep-alive` comment. Errors before the stream began keep their HTTP status and come as problem details, as for an unstreamed turn.",
          ].join("\n"),
          "TurnStreamEvent",
          {
            turn1: { summary: "Turn 1, streamed", stream: turnStream() },
            failed: { summary: "The connection to Gemini broke after the reply began", stream: turnStreamFailed() },
          },
        ),
      },
      { "Relay-Attestation-Warning": headerRef("RelayAttestationWarning"), "Preference-Applied": PREFERENCE_APPLIED },
    ),
    "400": problemResponse("The request is malformed, refused, or Gemini rejected it.", [
      await ask("A step lacks a required field", {
        init: json({ model: M, input: [{ type: "function_result", name: "get_order_status", result: "shipped" }] }),
      }),
      await ask("A field this API does not have", { init: json({ ...turn1, temperature: 0.2 }) }),
      await ask("A field that would make Google keep data", { init: json({ ...turn1, previous_interaction_id: "v1_abc" }) }),
      await ask("The transcript ends with the model's answer", {
        init: json({ model: M, history: [...turn2.history.slice(0, 1), { type: "model_output", content: [] }] }),
      }),
      await ask("The body is not JSON", { init: { ...json(null), body: '{"model":' } }),
      await ask("The JSON nests too deeply", { init: { ...json(null), body: `{"input":${"[".repeat(70)}${"]".repeat(70)}}` } }),
      shown(
        "Gemini rejected the request (its message)",
        upstreamFailure.rejected(
          400,
          'Function call "get_order_status" follows a thought whose signature is invalid (input[1].signature). Send thought steps back exactly as they were received.',
        ),
      ),
    ]),
    "401": problemResponse(
      "No credentials, or credentials the relay does not accept.",
      [
        await ask("AUTH_MODE=tokens", { init: json(turn1), bindings: TOKENS }),
        await ask("AUTH_MODE=jwt, an expired JWT", {
          init: { ...json(turn1), headers: { "content-type": "application/json", authorization: `Bearer ${await expiredJwt()}` } },
          bindings: { AUTH_MODE: "jwt", JWT_SECRET },
        }),
      ],
      { "WWW-Authenticate": headerRef("WWWAuthenticate") },
    ),
    "403": problemResponse("The model is not in the operator's ALLOWED_MODELS.", [
      await ask("A model the relay does not allow", {
        init: json({ ...turn1, model: "gemini-3.5-pro" }),
        bindings: { ALLOWED_MODELS: M },
      }),
    ]),
    "405": problemResponse("Answered to any method but POST on this path.", [await ask("GET /v1/turns", { init: { method: "GET" } })], {
      Allow: headerRef("Allow"),
    }),
    "413": problemResponse("The body is over MAX_BODY_BYTES (before or after decompression), or the turn has more than MAX_STEPS steps.", [
      await ask("Over MAX_BODY_BYTES", { init: OVERSIZED }),
      await ask("Over MAX_STEPS", { init: json({ model: M, history: Array.from({ length: 10_001 }, () => turn2.history[0]) }) }),
    ]),
    "415": problemResponse("The body is not JSON, or its Content-Encoding is not gzip, deflate or identity.", [
      await ask("Not JSON", { init: NOT_JSON }),
      await ask("Unknown encoding", {
        init: { ...json(turn1), headers: { "content-type": "application/json", "content-encoding": "br" } },
      }),
    ]),
    "422": problemResponse(
      "The transcript is well-formed but would fail at Gemini, or (TRANSCRIPT_KEYS) its model-authored steps are not as this relay returned them (unattested, altered, out of place); checked before the paid call, every finding listed.",
      [
        await ask("TRANSCRIPT_MODE=require: model steps sent back without their attestation", {
          init: json(turn2),
          bindings: ATTESTED,
        }),
        await ask("A function result that answers no call", { init: json({ model: M, input: turn2.input }) }),
        await ask("A new question while a call is unanswered", { init: json({ ...turn2, input: "Any news?" }) }),
      ],
    ),
    "429": problemResponse(
      "This caller is over the relay's rate limit, or Gemini is rate limiting the relay.",
      [
        await ask("The relay's per-caller limit", { init: json(turn1), bindings: RATE_LIMITED }),
        shown("Gemini's limit", upstreamFailure.rateLimited("You have exceeded the per-minute request limit. Please retry later.")),
      ],
      { "Retry-After": RETRY_AFTER_REQUIRED },
    ),
    "500": problemResponse("The relay is misconfigured, or failed unexpectedly (nothing was stored; safe to retry).", [
      await ask("No Gemini API key", { init: json(turn1), bindings: { GEMINI_API_KEY: "" } }),
      shown("A bug", toRelayError(new Error("a bug"))),
    ]),
    "502": problemResponse(
      "Gemini failed, could not be reached, sent a stream the relay could not read, or refused the relay's own API key.",
      [
        shown("Gemini failed", upstreamFailure.failed(503, "The model is overloaded. Please try again later.")),
        shown("The relay's key was refused", upstreamFailure.keyRefused("API key not valid. Please pass a valid API key.")),
        shown("Gemini could not be reached", upstreamFailure.unreachable()),
      ],
      { "Retry-After": headerRef("RetryAfter") },
    ),
    "504": problemResponse("Gemini did not answer within UPSTREAM_TIMEOUT_MS (retries included), or answered that it timed out.", [
      shown("The relay's deadline", upstreamFailure.timedOut()),
    ]),
    "4XX": problemResponse(
      "Any other 4xx status Gemini answered (e.g. 404 for an unknown model) comes back with that status as upstream_rejected.",
      [shown("An unknown model", upstreamFailure.rejected(404, "Model 'gemini-9' not found."))],
    ),
  };
}

/**
 * A reply whose model_output names a Files API upload: answered, with a `stored_resource_in_reply`
 * warning at its pointer into `history` (sending it back is accepted and reported, not refused).
 */
function replyWithWarning() {
  const question = { type: "user_input", content: [{ type: "text", text: "Make a five-second clip of the order being packed." }] };
  const reply = { type: "model_output", content: [{ type: "video", uri: "files/a1b2c3d4", mime_type: "video/mp4" }] };
  return {
    history: [question, reply],
    steps: [reply],
    status: "completed",
    pending_calls: [],
    warnings: [storedResourceInReply("/history/1/content/0/uri")],
  };
}

/** Run by the build (src/openapi/build.ts), never by the Worker. */
export async function turnsPath(ask: Ask): Promise<PathItem> {
  return {
    post: {
      operationId: "createTurn",
      summary: "Run one turn of a conversation the caller keeps",
      description:
        "Checks the request and the transcript, calls Gemini once with `history` ++ the new input and `store: false` (following `requires_continuation` hops itself), and answers with the transcript to keep.",
      tags: ["Turns"],
      parameters: [parameterRef("RequestId"), parameterRef("ContentEncoding"), PREFER],
      requestBody: jsonRequestBody(
        "TurnRequest",
        {
          turn1: { summary: "Turn 1: the user asks about an order", value: EXAMPLES.turn1 },
          turn2: { summary: "Turn 2: the caller ran get_order_status and sends its result", value: EXAMPLES.turn2 },
          turn1Streamed: { summary: "Turn 1, streamed", value: { ...EXAMPLES.turn1, stream: true } },
        },
        "JSON, optionally gzip- or deflate-compressed (Content-Encoding).",
      ),
      responses: await turnResponses(ask),
    },
  };
}

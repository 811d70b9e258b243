/** POST /v1/turns: the relay's own API, one call per turn. */
import { TOKEN_REQUIRED } from "../http/auth";
import { headerRef, parameterRef, schemaRef } from "../openapi/components";
import { EXAMPLES, problem, shown, turnStream, turnStreamFailed } from "../openapi/examples";
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

function turnResponses(): Record<string, ResponseObject> {
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
      problem(
        "A step lacks a required field",
        400,
        "invalid_request",
        "/input/0/call_id Invalid input: expected string, received undefined.",
        [{ path: "/input/0/call_id", message: "Invalid input: expected string, received undefined" }],
      ),
      problem(
        "A field this API does not have",
        400,
        "unknown_field",
        "Unknown field `temperature`: the relay forwards only fields it knows (allowed: model, history, input, stream, attestation, system_instruction, tools, generation_config, response_format, response_mime_type, response_modalities, safety_settings, service_tier, labels). An operator can let a newer Gemini field through with PASSTHROUGH_FIELDS.",
        [
          {
            path: "/temperature",
            message: "is not a field of this API; the relay's operator can allow it with PASSTHROUGH_FIELDS=temperature",
          },
        ],
      ),
      problem(
        "A field that would make Google keep data",
        400,
        "retention_refused",
        "Refused: previous_interaction_id would make Google retain data. This relay calls Gemini with store=false and nothing else kept.",
        [
          {
            path: "/previous_interaction_id",
            message:
              "would make Google retain data: previous_interaction_id points at history stored at Google; send the whole transcript instead",
          },
        ],
      ),
      problem(
        "The transcript ends with the model's answer",
        400,
        "nothing_to_answer",
        "The turn must end with a user_input or function_result step: send `input` (text, content blocks or steps), or a history whose last step is one of those.",
        [{ path: "/history", message: "does not end with user_input or function_result" }],
      ),
      problem("The body is not JSON", 400, "invalid_json", "The request body must be a JSON object: expected a value at byte 9.", [
        { path: "", message: "is not valid JSON" },
      ]),
      problem("The JSON nests too deeply", 400, "too_deep", "The JSON nests deeper than allowed (MAX_JSON_DEPTH), at byte 69; flatten it."),
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
        problem("AUTH_MODE=tokens", 401, "unauthorized", TOKEN_REQUIRED),
        problem("AUTH_MODE=jwt, an expired JWT", 401, "unauthorized", "The JWT was refused (JwtTokenExpired). Mint a fresh one."),
      ],
      { "WWW-Authenticate": headerRef("WWWAuthenticate") },
    ),
    "403": problemResponse("The model is not in the operator's ALLOWED_MODELS.", [
      problem(
        "A model the relay does not allow",
        403,
        "model_not_allowed",
        'Model "gemini-3.5-pro" is not allowed on this relay; use one of: gemini-3.5-flash.',
        [{ path: "/model", message: "is not in ALLOWED_MODELS" }],
      ),
    ]),
    "405": problemResponse(
      "Answered to any method but POST on this path.",
      [problem("GET /v1/turns", 405, "method_not_allowed", "Use POST /v1/turns with a JSON body.")],
      {
        Allow: headerRef("Allow"),
      },
    ),
    "413": problemResponse("The body is over MAX_BODY_BYTES (before or after decompression), or the turn has more than MAX_STEPS steps.", [
      problem(
        "Over MAX_BODY_BYTES",
        413,
        "payload_too_large",
        "The body may be at most 26214400 bytes (MAX_BODY_BYTES); this one is 30000000 bytes (Content-Length). Trim old turns or send images by reference.",
      ),
      problem(
        "Over MAX_STEPS",
        413,
        "payload_too_large",
        "The turn carries 10001 steps; at most 10000 are accepted (MAX_STEPS). Summarise or drop old turns.",
        [{ path: "/history", message: "has more than 10000 steps with the input" }],
      ),
    ]),
    "415": problemResponse("The body is not JSON, or its Content-Encoding is not gzip, deflate or identity.", [
      problem("Not JSON", 415, "unsupported_media_type", "Send JSON with content-type: application/json (got text/plain)."),
      problem("Unknown encoding", 415, "unsupported_media_type", "Content-Encoding br is not supported; use gzip or deflate."),
    ]),
    "422": problemResponse(
      "The transcript is well-formed but would fail at Gemini, or (TRANSCRIPT_KEYS) its model-authored steps are not as this relay returned them (unattested, altered, out of place); checked before the paid call, every finding listed.",
      [
        problem(
          "TRANSCRIPT_MODE=require: model steps sent back without their attestation",
          422,
          "attestation_failed",
          "The transcript's model-authored steps are not as this relay returned them (1 finding): /history/1 is a model-authored step, and this request carries no `attestation` (this relay requires one: send back the `attestation` of the response that returned this history). Nothing was sent to Gemini.",
          [
            {
              path: "/history/1",
              message:
                "is a model-authored step, and this request carries no `attestation` (this relay requires one: send back the `attestation` of the response that returned this history)",
            },
          ],
        ),
        problem(
          "A function result that answers no call",
          422,
          "integrity_failed",
          'The transcript would fail at Gemini (1 finding): /input/0/call_id answers call_id "gfa3lcqe", but no earlier function_call has that id; Gemini would return an empty reply.',
          [
            {
              path: "/input/0/call_id",
              message: 'answers call_id "gfa3lcqe", but no earlier function_call has that id; Gemini would return an empty reply',
            },
          ],
        ),
        problem(
          "A new question while a call is unanswered",
          422,
          "integrity_failed",
          'The transcript would fail at Gemini (1 finding): /input is a new user turn while function calls are unanswered: "gfa3lcqe"; send a function_result for each first.',
          [
            {
              path: "/input",
              message: 'is a new user turn while function calls are unanswered: "gfa3lcqe"; send a function_result for each first',
            },
          ],
        ),
      ],
    ),
    "429": problemResponse(
      "This caller is over the relay's rate limit, or Gemini is rate limiting the relay.",
      [
        problem("The relay's per-caller limit", 429, "rate_limited", "This caller sent too many requests; wait 60 seconds."),
        shown("Gemini's limit", upstreamFailure.rateLimited("You have exceeded the per-minute request limit. Please retry later.")),
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

/** Called on first use of the document, like every builder here (no work at startup). */
export function turnsPath(): PathItem {
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
      responses: turnResponses(),
    },
  };
}

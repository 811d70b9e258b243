/**
 * The response bodies' schemas: what the OpenAPI document says the relay answers, and what tests check
 * real answers against. The relay never parses its own responses with them, so they live with the
 * document's build, out of the Worker. Each states the TypeScript type the relay builds (../schemas.ts),
 * checked by tsc below.
 */
import * as z from "zod";
import { PROBLEM_CODES, type ProblemDetails as ProblemDetailsBody } from "../errors";
import { FunctionCallStep, HistoryStep, jsonObject, type MinimalTurnResponse, type TurnResponse } from "../schemas";

export const TurnResponseSchema = z
  .object({
    history: z.array(HistoryStep).meta({
      description:
        "history ++ this turn's input steps ++ `steps`: keep it, and send it back as `history` next turn. Your history comes back byte for byte.",
    }),
    steps: z
      .array(HistoryStep)
      .meta({ description: "The steps the model generated this turn, byte for byte as Gemini returned them (across continuation hops)." }),
    status: z.string().meta({
      description:
        "Gemini's status for the turn, as received: completed, requires_action (answer `pending_calls`), incomplete, failed, ...",
      examples: ["completed", "requires_action", "incomplete"],
    }),
    usage: z.optional(jsonObject).meta({ description: "Token usage as Gemini reported it (summed over continuation hops)." }),
    output_text: z
      .string()
      .optional()
      .meta({ description: "The reply's last run of text, like the SDK's `output_text`; absent when there is none." }),
    pending_calls: z.array(FunctionCallStep).meta({
      description: "The function_call steps of this turn that the caller must run and answer with function_result steps (empty when none).",
    }),
    // A getter: ProblemDetails is defined further down.
    get error() {
      return ProblemDetails.optional().meta({
        description:
          "Only with status `incomplete`: a continuation hop failed after earlier hops completed; their steps are kept, this says why the turn stopped.",
      });
    },
    attestation: z
      .string()
      .optional()
      .meta({
        description:
          "Present when the operator set TRANSCRIPT_KEYS: the relay's keyed attestation of every model-authored step of `history` (`v2.<key id>.<anchor><a value tag per model-authored step>.<count>~<block tag>….<end tag>`, 22 base64url characters per tag; keyed MACs only, nothing of the content). Keep it with `history` and send both back next turn (`v1` attestations, from relays before `v2`, are still verified). Absent when the history came with model-authored steps and no attestation (verify mode).",
        examples: [
          "v2.k2026.AAAAAAAAAAAAAAAAAAAAAAS0maFAMeeMZr9O3AgOrRAgT0AgYWhHtPpmr8_3RpGXhQfUFPn0c6CeDbD3BNssrc8w.3~eYLLt0aRqmxz7OXWXIq5Qg.EQyvjQ7JkmBdYUc36Gg-GQ",
        ],
      }),
    warnings: z
      .array(
        z
          .object({
            code: z.string().meta({ description: "Stable, machine-readable.", examples: ["stored_resource_in_reply"] }),
            path: z.string().meta({
              description:
                "JSON pointer (RFC 6901) into the request body (`/history/...`, `/input/...`), or, for what the reply holds, into this response's `history`.",
            }),
            message: z.string(),
          })
          .meta({ description: "One warning, located." }),
      )
      .optional()
      .meta({
        description:
          "Present only when there is something to say: what the caller should know about this turn, which the relay still answered. `stored_resource_in_reply`: the model's reply names a resource stored at Google (a Files API upload, cache or store) that the relay would refuse in the caller's own steps; sent back in `history` it is forwarded and reported in Relay-Retention, not refused. `undeclared_tool`: a function_call to a tool this request does not declare (send every tool with every turn). `unsigned_thought`: a thought before a function_call without its signature (Gemini 3 may refuse it). `more_warnings`: the last of at most 21 (per request and per reply), counting the rest.",
      }),
  })
  .meta({ description: "A finished turn: the transcript to keep, the new steps, and what the caller must do next." });

// Everything the schema accepts fits the interface the relay builds (checked by tsc).
type Assert<T extends true> = T;
type _TurnResponseFits = Assert<z.infer<typeof TurnResponseSchema> extends TurnResponse ? true : false>;

/** `data` of a streamed turn's `turn.step` event: a finished step and its index in this turn's `steps`. */
export const TurnStepEvent = z
  .object({
    index: z.int().min(0).meta({ description: "The step's index in the turn's `steps` (counted across continuation hops)." }),
    step: HistoryStep,
  })
  .meta({ description: "`data` of a `turn.step` event: one finished step of this turn, as it will appear in `turn.completed`." });

export const ProblemCode = z
  .enum(PROBLEM_CODES)
  .meta({ description: "Stable, machine-readable error code; also the last segment of `type`." });

export const ProblemItem = z
  .object({
    path: z.string().meta({ description: "JSON pointer (RFC 6901) into the request body; for configuration errors, the setting's name." }),
    message: z.string(),
  })
  .meta({ description: "One finding, located in the request." });

export const ProblemDetails = z
  .object({
    type: z.string().meta({ description: "`urn:gemini-relay:problem:<code>`." }),
    title: z.string().meta({ description: "A fixed summary of the code." }),
    status: z.int().min(400).max(599).meta({ description: "The HTTP status, repeated." }),
    code: ProblemCode,
    detail: z.string().meta({ description: "What went wrong in this request, and what to do about it." }),
    errors: z.array(ProblemItem).optional().meta({ description: "Every finding, when the request had several." }),
    interaction_status: z.string().optional().meta({ description: "turn_failed only: Gemini's status for the interaction (e.g. failed)." }),
    interaction_errors: z
      .array(z.unknown())
      .optional()
      .meta({ description: "turn_failed only: the interaction's `errors` exactly as Gemini reported them." }),
  })
  .meta({ description: "RFC 9457 problem details (`application/problem+json`): every error on /v1/* has this shape." });

// The interface errors.ts renders and the schema describe the same body (checked by tsc).
type _ProblemDetailsInSync = Assert<
  [ProblemDetailsBody] extends [z.infer<typeof ProblemDetails>]
    ? [z.infer<typeof ProblemDetails>] extends [ProblemDetailsBody]
      ? true
      : false
    : false
>;

/** The members of TurnResponse but `history` (read here, where ProblemDetails, which its `error` names, is defined). */
const { history: _history, ...answerMembers } = TurnResponseSchema.shape;

export const MinimalTurnResponseSchema = z
  .object({
    input_steps: z.array(HistoryStep).meta({
      description:
        "This turn's input steps, byte for byte as they appear in the full body's `history` (a string `input` becomes a `user_input` step you have not seen in those bytes).",
    }),
    ...answerMembers,
    base: z
      .object({
        steps: z.int().min(0).meta({ description: "How many steps the `history` the relay received holds (0 without one)." }),
        sha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .meta({
            description:
              "Lowercase hex SHA-256 of the exact bytes between the brackets of the request's `history` array, whitespace included (of the empty string without a history).",
            examples: ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
          }),
      })
      .meta({ description: "The history these steps append to: check it is the one you hold before appending." }),
  })
  .meta({
    description:
      "A finished turn without the history you sent (`Prefer: return=minimal`). The append rule: the full body's `history` is your history array as sent, with the elements of `input_steps` then of `steps` appended, joined by `,` (your array's inner bytes, whitespace and all, kept as sent). `attestation` attests that whole new history.",
  });

type _MinimalTurnResponseFits = Assert<z.infer<typeof MinimalTurnResponseSchema> extends MinimalTurnResponse ? true : false>;

/** Errors on the drop-in routes, in the Interactions API's own shape, so the official SDKs surface them. */
export const GoogleError = z
  .object({
    error: z.looseObject({
      code: z.string().meta({
        description: "The Interactions API's snake_case code, e.g. invalid_request, authentication, not_found, rate_limit_exceeded.",
      }),
      message: z.string(),
    }),
  })
  .meta({ description: "The Interactions API's error body. Failures Gemini itself answered come back exactly as Gemini sent them." });

export const Health = z.object({ status: z.literal("ok") }).meta({ description: "The relay is up. Says nothing about the Gemini API." });

// ---------------------------------------------------------------------------------------------
// Server-sent events: one object per event of a streamed response, `data` shown decoded (it is sent as
// JSON text). The OpenAPI document's itemSchema for text/event-stream; the relay never parses its own
// events with them.

export const UpstreamEvent = z
  .looseObject({ event_type: z.string().meta({ description: "The Interactions API's name for the event; also its SSE `event:` field." }) })
  .meta({ description: "An Interactions API stream event, exactly as Gemini sent it (interaction.created, step.start, step.delta, ...)." });

const sseEvent = <Name extends z.ZodType, Data extends z.ZodType>(event: Name, data: Data, description: string) =>
  z.object({ event, data }).meta({ description });

export const TurnStreamEvent = z
  .union([
    sseEvent(
      z.literal("turn.step"),
      TurnStepEvent,
      "Right after each `step.stop`: the finished step and its index in this turn's `steps`.",
    ),
    sseEvent(z.literal("turn.completed"), TurnResponseSchema, "Last, when the turn finished: the same body an unstreamed call returns."),
    sseEvent(z.literal("turn.error"), ProblemDetails, "Last, when the turn failed after the stream began (the relay does not retry then)."),
    sseEvent(z.string(), UpstreamEvent, "Every event Gemini sends, forwarded as received: `event` is its `event_type`."),
  ])
  .meta({ description: "One event of a streamed turn (`POST /v1/turns` with `stream: true`)." });

export const InteractionStreamEvent = z
  .union([
    sseEvent(z.string(), UpstreamEvent, "Every event Gemini sends, as received: `event` is its `event_type`."),
    sseEvent(z.literal("done"), z.literal("[DONE]"), "Last: the sentinel the official SDKs stop at."),
  ])
  .meta({
    description:
      'One event of a streamed drop-in interaction. A stream that breaks midway ends with an `error` event whose data is `{"error": {...}, "event_type": "error"}`.',
  });

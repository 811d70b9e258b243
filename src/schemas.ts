/**
 * Every shape the relay accepts or returns, defined once with zod.
 *
 * Schemas CHECK steps; they never produce the steps the relay forwards. Steps are loose objects:
 * the required fields must be present with the right JSON type, everything else is the caller's
 * (or Google's) business and travels untouched. The relay keeps the caller's own parsed values,
 * not zod's copies, so unknown fields and keys like `__proto__` survive byte for byte.
 */
import * as z from "zod";
import { MAX_LISTED, PROBLEM_CODES, type ProblemDetails as ProblemDetailsBody } from "./errors";
import type { TurnWarning } from "./warnings";

// ---------------------------------------------------------------------------------------------
// Lists checked element by element, in bounded work

/**
 * `list` (an array or a record of `element`s), checked in work and answer bounded whatever its
 * length. zod writes one issue per failing element before anything can cap them, so a list of
 * millions of bad elements would cost millions of issue objects. A list longer than MAX_LISTED is
 * first checked one element at a time: the first MAX_LISTED failing elements are described, the
 * next is pointed at with a count of the rest (each element's own lists are bounded the same way),
 * and zod's element-wise check never runs on it. A valid long list is checked twice (still linear);
 * the JSON Schema is `list`'s own.
 */
function bounded<T extends z.ZodType>(list: T, element: z.ZodType) {
  return z.preprocess((value, ctx) => {
    const array = Array.isArray(value) ? (value as unknown[]) : undefined;
    const record = !array && typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
    const keys = record && Object.keys(record);
    const size = array?.length ?? keys?.length ?? 0;
    if (size <= MAX_LISTED) return value;
    let failed = 0;
    let firstUnlisted: PropertyKey = 0;
    for (let i = 0; i < size; i++) {
      const key = keys ? keys[i]! : i;
      const item = keys ? record![key as string] : array![i];
      // validate answers yes or no without building issues: only the described elements pay for theirs.
      if (element.validate(item)) continue;
      if (failed < MAX_LISTED) {
        const { error } = element.safeParse(item);
        for (const issue of error?.issues ?? []) ctx.addIssue({ ...issue, path: [key, ...issue.path] } as z.core.$ZodSuperRefineIssue);
      } else if (failed === MAX_LISTED) firstUnlisted = key;
      failed++;
    }
    if (failed > MAX_LISTED) {
      ctx.addIssue({
        code: "custom",
        path: [firstUnlisted],
        message: `and ${failed - MAX_LISTED} more elements of this list are invalid too, the first of them here`,
        params: { unlisted: failed - MAX_LISTED },
      });
    }
    return value;
  }, list);
}
const listOf = <T extends z.ZodType>(element: T) => bounded(z.array(element), element);

// ---------------------------------------------------------------------------------------------
// Content blocks (text, image, audio, document, video)

const mediaFields = {
  data: z.string().optional(),
  uri: z.string().optional(),
  mime_type: z.string().optional(),
};

export const TextContent = z
  .looseObject({
    type: z.literal("text"),
    text: z.string(),
    annotations: listOf(z.looseObject({ type: z.string() })).optional(),
  })
  .meta({ description: "A text block. `annotations` (e.g. url_citation) come from the model." });
const media = (kind: string) => ({
  description: `A ${kind} block: inline base64 \`data\`, or a \`uri\` (a Files API upload is refused unless the operator set ALLOW_STORED_RESOURCES), with its \`mime_type\`.`,
});
export const ImageContent = z.looseObject({ type: z.literal("image"), ...mediaFields }).meta(media("image"));
export const AudioContent = z.looseObject({ type: z.literal("audio"), ...mediaFields }).meta(media("audio"));
export const DocumentContent = z.looseObject({ type: z.literal("document"), ...mediaFields }).meta(media("document"));
export const VideoContent = z.looseObject({ type: z.literal("video"), ...mediaFields }).meta(media("video"));

export const CONTENT_TYPES = ["text", "image", "audio", "document", "video"] as const;

export const Content = z
  .discriminatedUnion("type", [TextContent, ImageContent, AudioContent, DocumentContent, VideoContent])
  .meta({ description: "A content block, told apart by `type`. Fields beyond the listed ones travel untouched." });

// ---------------------------------------------------------------------------------------------
// Steps: every member of the SDK's Step union, with its required fields

const jsonObject = z.record(z.string(), z.unknown());
const signature = z.string().optional();
/** function_result / mcp results: a string, an object, or a list of content blocks. */
const toolResult = z.union([z.string(), listOf(Content), jsonObject]);

const call = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), id: z.string(), signature, ...extra });
const result = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), call_id: z.string(), signature, ...extra });

export const UserInputStep = z
  .looseObject({ type: z.literal("user_input"), content: listOf(Content).optional() })
  .meta({ description: "What the user said: content blocks." });
export const ModelOutputStep = z
  .looseObject({
    type: z.literal("model_output"),
    content: listOf(Content).optional(),
    error: jsonObject.optional(),
  })
  .meta({ description: "What the model answered: content blocks (or an `error` when generation was blocked)." });
export const ThoughtStep = z
  .looseObject({
    type: z.literal("thought"),
    signature,
    summary: listOf(Content).optional(),
  })
  .meta({
    description:
      "The model's reasoning. `signature` is opaque: send every thought back exactly as received, or Gemini 3 refuses the function call that follows it.",
  });
export const FunctionCallStep = z
  .looseObject({
    type: z.literal("function_call"),
    id: z.string(),
    name: z.string(),
    arguments: jsonObject,
  })
  .meta({
    description:
      "The model asks the caller to run a declared function tool; answer it with a function_result whose `call_id` is this `id`.",
  });
export const FunctionResultStep = z
  .looseObject({
    type: z.literal("function_result"),
    call_id: z.string(),
    name: z.string().optional(),
    result: toolResult,
    is_error: z.boolean().optional(),
  })
  .meta({
    description:
      "The caller's answer to a function_call: `call_id` names the call, `result` is a string, an object or content blocks; `is_error: true` marks a failed run.",
  });

/**
 * A step the relay checks in `input`: one of the SDK's step types, with its required fields. The OpenAPI
 * document's InputStep. History is not typed with it (see HistoryStep): Gemini may add step types.
 */
export const InputStep = z
  .discriminatedUnion("type", [
    UserInputStep,
    ModelOutputStep,
    ThoughtStep,
    FunctionCallStep,
    FunctionResultStep,
    call("code_execution_call", { arguments: jsonObject }),
    result("code_execution_result", { result: z.union([z.string(), listOf(Content)]) }),
    call("url_context_call", { arguments: jsonObject }),
    result("url_context_result", { result: z.array(z.unknown()) }),
    call("google_search_call", { arguments: jsonObject }),
    result("google_search_result", { result: z.array(z.unknown()) }),
    call("google_maps_call", { arguments: jsonObject.optional() }),
    result("google_maps_result", { result: z.array(z.unknown()) }),
    call("file_search_call"),
    result("file_search_result"),
    call("mcp_server_tool_call", { name: z.string(), server_name: z.string(), arguments: jsonObject }),
    result("mcp_server_tool_result", { result: toolResult }),
    call("retrieval_call", { arguments: jsonObject }),
    result("retrieval_result"),
    call("processing_call"),
    result("processing_result"),
  ])
  .meta({
    description:
      "A step sent as `input`, told apart by `type`: one of the Interactions API's step types, its listed fields checked; every other field travels byte for byte. A history (and a reply's `steps`) may hold step types newer than this list: type those as HistoryStep.",
  });
/** @deprecated InputStep's name before HistoryStep existed; kept so existing imports still work. */
export const Step = InputStep;

/**
 * A step in a history the relay returned, of any type (including ones newer than this relay): only
 * `type` is required. The relay reads ids, names and signatures where integrity needs them and
 * forwards every step byte for byte. The OpenAPI document's HistoryStep: what a caller types a
 * history as (InputStep[] would refuse step types Gemini added later).
 */
export const HistoryStep = z.looseObject({ type: z.string() }).meta({
  description:
    "A step exactly as an earlier response returned it, of any type (Gemini may add new ones). Only `type` is required; every byte travels unchanged. The keys the relay or Gemini reads (`type`, `id`, `name`, `call_id`, `signature`, `content`, `summary`, `result`, and a content block's `type`, `text`, `uri`, `data`, `mime_type`) must each appear once in their object; in your own steps (`user_input`, `function_result`), every key.",
});

export type JsonObject = Record<string, unknown>;
/** A step as the relay carries it: the caller's own object, checked but never copied. */
export type StepValue = JsonObject & { type: string };

// ---------------------------------------------------------------------------------------------
// POST /v1/turns

/** Fields forwarded to interactions.create as given (they are interaction-scoped: re-send them every turn). */
export const PASSTHROUGH_FIELDS = [
  "system_instruction",
  "tools",
  "generation_config",
  "response_format",
  "response_mime_type",
  "response_modalities",
  "safety_settings",
  "service_tier",
  "labels",
] as const;

/**
 * A model identifier: letters, digits, `.`, `_`, `-` (optionally after `models/` or `tunedModels/`),
 * at most 100 characters. The relay logs it, so it must be an identifier, never free text.
 */
export const MODEL_ID = /^(?:(?:models|tunedModels)\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ModelId = z
  .string()
  .regex(MODEL_ID, "must be a model name such as gemini-3.5-flash (letters, digits, '.', '_', '-'; at most 100)")
  .meta({ description: "The Gemini model, e.g. gemini-3.5-flash." });

/** An attestation holds 22 characters per model-authored step (v1: 44) and a block tag per ~64 KiB of them; bounded well above MAX_STEPS' worth. */
const MAX_ATTESTATION_CHARS = 2_000_000;

/**
 * Gemini's own limits on function declarations (@google/genai 2.32.0: "Maximum 512 function
 * declarations", names "with a maximum length of 128"), refused here so a hostile `tools` costs one
 * pass and one small 400, not work for every check that reads the names.
 */
export const MAX_FUNCTION_TOOLS = 512;
export const MAX_FUNCTION_NAME = 128;

/**
 * The declared tools: each an object with a string `type`, within Gemini's limits. Checked in one
 * pass that reports the first tool breaking each rule and counts the others (at most three issues),
 * where an element schema would answer one issue per tool of a hostile list.
 */
const Tools = z
  .array(z.unknown())
  .superRefine((tools, ctx) => {
    const first = { shape: -1, count: -1, name: -1 };
    let shapes = 0;
    let functions = 0;
    let names = 0;
    tools.forEach((tool, i) => {
      const type = (tool as { type?: unknown } | null)?.type;
      if (typeof tool !== "object" || tool === null || Array.isArray(tool) || typeof type !== "string") {
        if (shapes++ === 0) first.shape = i;
      } else if (type === "function") {
        if (++functions === MAX_FUNCTION_TOOLS + 1) first.count = i;
        const name = (tool as { name?: unknown }).name;
        if (typeof name === "string" && name.length > MAX_FUNCTION_NAME && names++ === 0) first.name = i;
      }
    });
    const others = (count: number) => (count > 1 ? ` (and ${count - 1} more tools)` : "");
    if (first.shape >= 0) {
      ctx.addIssue({ code: "custom", path: [first.shape], message: `must be an object with a string \`type\`${others(shapes)}` });
    }
    if (first.count >= 0) {
      ctx.addIssue({
        code: "custom",
        path: [first.count],
        message: `is function tool ${MAX_FUNCTION_TOOLS + 1} of ${functions}: Gemini accepts at most ${MAX_FUNCTION_TOOLS} per request`,
      });
    }
    if (first.name >= 0) {
      const length = (tools[first.name] as { name: string }).name.length;
      ctx.addIssue({
        code: "custom",
        path: [first.name, "name"],
        message: `is ${length} characters long: Gemini accepts function names of at most ${MAX_FUNCTION_NAME}${names > 1 ? ` (${names - 1} more names in \`tools\` are too)` : ""}`,
      });
    }
  })
  // The JSON Schema the OpenAPI document shows for each element (the refinement above is not expressible there).
  .meta({ items: { type: "object", properties: { type: { type: "string" } }, required: ["type"], additionalProperties: {} } });

// `.meta()` below documents the fields for the OpenAPI document (src/openapi/); it changes no check.
const forwarded = "Forwarded to Gemini as given. Interaction-scoped: send it again with every turn.";
export const TurnRequest = z
  .strictObject({
    model: ModelId,
    history: z.array(HistoryStep).optional().meta({
      description:
        "The conversation so far: the `history` of the previous turn's response, sent back unchanged (byte for byte is best, but any JSON re-serialization works). Omit it on the first turn.",
    }),
    input: z
      .union([z.string(), z.array(z.unknown())])
      .optional()
      .meta({ description: "This turn's new input: text, content blocks (one user_input step), or steps (e.g. function_result answers)." }),
    stream: z.boolean().optional().meta({ description: "true: answer as server-sent events ending in `turn.completed`." }),
    attestation: z.string().max(MAX_ATTESTATION_CHARS).optional().meta({
      description:
        "The `attestation` of the previous turn's response, sent back with its `history` (relays with TRANSCRIPT_KEYS set). The relay checks that every model-authored step of the history is one it returned, unaltered and in place; never forwarded to Gemini.",
    }),
    system_instruction: z.string().optional().meta({ description: forwarded }),
    tools: Tools.optional().meta({
      description: `${forwarded} Gemini does not remember tools between turns. At most ${MAX_FUNCTION_TOOLS} function tools, names of at most ${MAX_FUNCTION_NAME} characters.`,
    }),
    generation_config: jsonObject.optional().meta({ description: forwarded }),
    response_format: z
      .union([jsonObject, listOf(jsonObject)])
      .optional()
      .meta({ description: forwarded }),
    safety_settings: z
      .union([jsonObject, listOf(jsonObject)])
      .optional()
      .meta({ description: forwarded }),
    response_mime_type: z.string().optional().meta({ description: forwarded }),
    response_modalities: listOf(z.string()).optional().meta({ description: forwarded }),
    service_tier: z
      .string()
      .optional()
      .meta({ description: `${forwarded} E.g. flex, standard, priority.` }),
    labels: bounded(z.record(z.string(), z.string()), z.string())
      .optional()
      .meta({ description: `${forwarded} Billing labels.` }),
    // Only `false` gets past the retention guard, which answers these (and agent, environment, ...) first.
    store: z.literal(false).optional().meta({ description: "Only `false` is accepted: the relay always calls Gemini with store=false." }),
    background: z.literal(false).optional().meta({ description: "Only `false` is accepted: background runs need a stored interaction." }),
  })
  .meta({
    description:
      "One turn: the whole conversation so far plus the new input. Unknown fields are refused (400 unknown_field) unless the operator lists them in PASSTHROUGH_FIELDS; fields that would make Google keep data are refused (400 retention_refused).",
  });
export type TurnRequest = z.infer<typeof TurnRequest>;
/** The request's fields other than `history`, which the relay checks step by step itself (validate.ts). */
export const TurnFields = TurnRequest.omit({ history: true });

/** `input` as an array is either content blocks (one user_input step) or steps; these check each reading. */
export const ContentList = bounded(z.array(Content).min(1, "must hold at least one content block"), Content).meta({
  description: "Content blocks: the relay makes them one user_input step.",
});
export const StepList = listOf(InputStep).meta({ description: "Input steps, appended to the history as given." });

/**
 * The response body's TypeScript type. Its zod schema (below, same name) documents it; the type stays an
 * interface because the relay builds it from unchecked StepValues (any step type the upstream sends).
 */
export interface TurnResponse {
  /** history ++ new input steps ++ steps: what the caller keeps and sends back next turn. */
  history: StepValue[];
  /** The model-generated steps of this turn, exactly as the upstream returned them. */
  steps: StepValue[];
  status: string;
  usage?: unknown;
  output_text?: string;
  /** The function_call steps of this turn the caller must answer (empty when none). */
  pending_calls: StepValue[];
  /** Why an `incomplete` turn stopped: a continuation hop failed after earlier hops completed. */
  error?: ProblemDetailsBody;
  /** With TRANSCRIPT_KEYS set: the relay's attestation of `history`, to send back with it next turn. */
  attestation?: string;
  /** What the caller should know about this turn, which the relay still answered; absent when none. */
  warnings?: TurnWarning[];
}

// ---------------------------------------------------------------------------------------------
// Responses: schemas for the OpenAPI document (src/openapi/) and for tests. The relay never
// parses its own responses with them.

export const TurnResponse = z
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
    usage: jsonObject.optional().meta({ description: "Token usage as Gemini reported it (summed over continuation hops)." }),
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
type _TurnResponseFits = Assert<z.infer<typeof TurnResponse> extends TurnResponse ? true : false>;

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

/** The body the relay builds for `Prefer: return=minimal` (see MinimalTurnResponse below). */
export interface MinimalTurnResponse extends Omit<TurnResponse, "history"> {
  /** This turn's input steps, as they appear in the full body's `history`. */
  input_steps: StepValue[];
  /** The history the relay received: its step count and the SHA-256 of its bytes. */
  base: { steps: number; sha256: string };
}

/** The members of TurnResponse but `history` (read here, where ProblemDetails, which its `error` names, is defined). */
const { history: _history, ...answerMembers } = TurnResponse.shape;

export const MinimalTurnResponse = z
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

type _MinimalTurnResponseFits = Assert<z.infer<typeof MinimalTurnResponse> extends MinimalTurnResponse ? true : false>;

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
    sseEvent(z.literal("turn.completed"), TurnResponse, "Last, when the turn finished: the same body an unstreamed call returns."),
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

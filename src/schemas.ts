/**
 * The shapes of what callers send, defined once with zod: content blocks, steps, model ids (the
 * request body's schema is request-schema.ts; the response bodies' are the OpenAPI document's,
 * src/openapi/bodies.ts), and the TypeScript types of the bodies the relay builds.
 *
 * Schemas CHECK steps; they never produce the steps the relay forwards. Steps are loose objects:
 * the required fields must be present with the right JSON type, everything else is the caller's
 * (or Google's) business and travels untouched. The relay keeps the caller's own parsed values,
 * not zod's copies, so unknown fields and keys like `__proto__` survive byte for byte.
 */
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { MAX_LISTED, type ProblemDetails as ProblemDetailsBody } from "./errors";
import type { TurnWarning } from "./warnings";

// zod/mini loads no locale (its messages would all be "Invalid input"): the relay's 400s quote zod's English ones.
z.config(en());

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
export function bounded<T extends z.ZodMiniType>(list: T, element: z.ZodMiniType) {
  // zod/mini has no preprocess: a transform piped into `list` is one (an issue it adds stops the pipe).
  const preprocess = z.transform((value: unknown, payload) => {
    const add = (issue: Omit<z.core.$ZodRawIssue, "input">) => payload.issues.push({ ...issue, input: value } as z.core.$ZodRawIssue);
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
      if (z.validate(element, item)) continue;
      if (failed < MAX_LISTED) {
        const { error } = element.safeParse(item);
        for (const issue of error?.issues ?? []) add({ ...issue, path: [key, ...issue.path] });
      } else if (failed === MAX_LISTED) firstUnlisted = key;
      failed++;
    }
    if (failed > MAX_LISTED) {
      add({
        code: "custom",
        path: [firstUnlisted],
        message: `and ${failed - MAX_LISTED} more elements of this list are invalid too, the first of them here`,
        params: { unlisted: failed - MAX_LISTED },
      });
    }
    return value;
  });
  return z.pipe(preprocess, list);
}
export const listOf = <T extends z.ZodMiniType>(element: T) => bounded(z.array(element), element);

/**
 * `schema` with `metadata` for the OpenAPI document, as classic zod's `.meta()`: a clone, registered
 * in zod's global registry (the one z.toJSONSchema reads), so a shared schema keeps its own.
 */
export function meta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const clone = schema.clone();
  z.globalRegistry.add(clone, metadata);
  return clone;
}

// ---------------------------------------------------------------------------------------------
// Content blocks (text, image, audio, document, video)

const mediaFields = {
  data: z.optional(z.string()),
  uri: z.optional(z.string()),
  mime_type: z.optional(z.string()),
};

export const TextContent = meta(
  z.looseObject({
    type: z.literal("text"),
    text: z.string(),
    annotations: z.optional(listOf(z.looseObject({ type: z.string() }))),
  }),
  { description: "A text block. `annotations` (e.g. url_citation) come from the model." },
);
const media = (kind: string) => ({
  description: `A ${kind} block: inline base64 \`data\`, or a \`uri\` (a Files API upload is refused unless the operator set ALLOW_STORED_RESOURCES), with its \`mime_type\`.`,
});
export const ImageContent = meta(z.looseObject({ type: z.literal("image"), ...mediaFields }), media("image"));
export const AudioContent = meta(z.looseObject({ type: z.literal("audio"), ...mediaFields }), media("audio"));
export const DocumentContent = meta(z.looseObject({ type: z.literal("document"), ...mediaFields }), media("document"));
export const VideoContent = meta(z.looseObject({ type: z.literal("video"), ...mediaFields }), media("video"));

export const CONTENT_TYPES = ["text", "image", "audio", "document", "video"] as const;

export const Content = meta(z.discriminatedUnion("type", [TextContent, ImageContent, AudioContent, DocumentContent, VideoContent]), {
  description: "A content block, told apart by `type`. Fields beyond the listed ones travel untouched.",
});

// ---------------------------------------------------------------------------------------------
// Steps: every member of the SDK's Step union, with its required fields

export const jsonObject = z.record(z.string(), z.unknown());
const signature = z.optional(z.string());
/** function_result / mcp results: a string, an object, or a list of content blocks. */
const toolResult = z.union([z.string(), listOf(Content), jsonObject]);

const call = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), id: z.string(), signature, ...extra });
const result = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), call_id: z.string(), signature, ...extra });

export const UserInputStep = meta(z.looseObject({ type: z.literal("user_input"), content: z.optional(listOf(Content)) }), {
  description: "What the user said: content blocks.",
});
export const ModelOutputStep = meta(
  z.looseObject({
    type: z.literal("model_output"),
    content: z.optional(listOf(Content)),
    error: z.optional(jsonObject),
  }),
  { description: "What the model answered: content blocks (or an `error` when generation was blocked)." },
);
export const ThoughtStep = meta(
  z.looseObject({
    type: z.literal("thought"),
    signature,
    summary: z.optional(listOf(Content)),
  }),
  {
    description:
      "The model's reasoning. `signature` is opaque: send every thought back exactly as received, or Gemini 3 refuses the function call that follows it.",
  },
);
export const FunctionCallStep = meta(
  z.looseObject({
    type: z.literal("function_call"),
    id: z.string(),
    name: z.string(),
    arguments: jsonObject,
  }),
  {
    description:
      "The model asks the caller to run a declared function tool; answer it with a function_result whose `call_id` is this `id`.",
  },
);
export const FunctionResultStep = meta(
  z.looseObject({
    type: z.literal("function_result"),
    call_id: z.string(),
    name: z.optional(z.string()),
    result: toolResult,
    is_error: z.optional(z.boolean()),
  }),
  {
    description:
      "The caller's answer to a function_call: `call_id` names the call, `result` is a string, an object or content blocks; `is_error: true` marks a failed run.",
  },
);

/**
 * A step the relay checks in `input`: one of the SDK's step types, with its required fields. The OpenAPI
 * document's InputStep. History is not typed with it (see HistoryStep): Gemini may add step types.
 */
export const InputStep = meta(
  z.discriminatedUnion("type", [
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
    call("google_maps_call", { arguments: z.optional(jsonObject) }),
    result("google_maps_result", { result: z.array(z.unknown()) }),
    call("file_search_call"),
    result("file_search_result"),
    call("mcp_server_tool_call", { name: z.string(), server_name: z.string(), arguments: jsonObject }),
    result("mcp_server_tool_result", { result: toolResult }),
    call("retrieval_call", { arguments: jsonObject }),
    result("retrieval_result"),
    call("processing_call"),
    result("processing_result"),
  ]),
  {
    description:
      "A step sent as `input`, told apart by `type`: one of the Interactions API's step types, its listed fields checked; every other field travels byte for byte. A history (and a reply's `steps`) may hold step types newer than this list: type those as HistoryStep.",
  },
);
/** @deprecated InputStep's name before HistoryStep existed; kept so existing imports still work. */
export const Step = InputStep;
/** The step types InputStep knows. */
export const INPUT_STEP_TYPES: readonly string[] = InputStep.def.options.map((option) => option.def.shape.type.def.values[0] as string);

/**
 * A step in a history the relay returned, of any type (including ones newer than this relay): only
 * `type` is required. The relay reads ids, names and signatures where integrity needs them and
 * forwards every step byte for byte. The OpenAPI document's HistoryStep: what a caller types a
 * history as (InputStep[] would refuse step types Gemini added later).
 */
export const HistoryStep = meta(z.looseObject({ type: z.string() }), {
  description:
    "A step exactly as an earlier response returned it, of any type (Gemini may add new ones). Only `type` is required; every byte travels unchanged. The keys the relay or Gemini reads (`type`, `id`, `name`, `call_id`, `signature`, `content`, `summary`, `result`, and a content block's `type`, `text`, `uri`, `data`, `mime_type`) must each appear once in their object; in your own steps (`user_input`, `function_result`), every key.",
});

export type JsonObject = Record<string, unknown>;
/** A step as the relay carries it: the caller's own object, checked but never copied. */
export type StepValue = JsonObject & { type: string };

/**
 * A model identifier: letters, digits, `.`, `_`, `-` (optionally after `models/` or `tunedModels/`),
 * at most 100 characters. The relay logs it, so it must be an identifier, never free text.
 */
export const MODEL_ID = /^(?:(?:models|tunedModels)\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ModelId = z
  .string()
  .check(z.regex(MODEL_ID, "must be a model name such as gemini-3.5-flash (letters, digits, '.', '_', '-'; at most 100)"));

// ---------------------------------------------------------------------------------------------
// The bodies the relay builds (their schemas, for the document and tests: src/openapi/bodies.ts)

/**
 * The response body's TypeScript type. Its zod schema (TurnResponseSchema, src/openapi/bodies.ts) documents it; the type stays an
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

/** The body the relay builds for `Prefer: return=minimal` (MinimalTurnResponseSchema in src/openapi/bodies.ts documents it). */
export interface MinimalTurnResponse extends Omit<TurnResponse, "history"> {
  /** This turn's input steps, as they appear in the full body's `history`. */
  input_steps: StepValue[];
  /** The history the relay received: its step count and the SHA-256 of its bytes. */
  base: { steps: number; sha256: string };
}

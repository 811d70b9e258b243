/**
 * Every shape the relay accepts or returns, defined once with zod.
 *
 * Schemas CHECK steps; they never produce the steps the relay forwards. Steps are loose objects:
 * the required fields must be present with the right JSON type, everything else is the caller's
 * (or Google's) business and travels untouched. The relay keeps the caller's own parsed values,
 * not zod's copies, so unknown fields and keys like `__proto__` survive byte for byte.
 */
import * as z from "zod";

// ---------------------------------------------------------------------------------------------
// Content blocks (text, image, audio, document, video)

const mediaFields = {
  data: z.string().optional(),
  uri: z.string().optional(),
  mime_type: z.string().optional(),
};

export const TextContent = z.looseObject({
  type: z.literal("text"),
  text: z.string(),
  annotations: z.array(z.looseObject({ type: z.string() })).optional(),
});
export const ImageContent = z.looseObject({ type: z.literal("image"), ...mediaFields });
export const AudioContent = z.looseObject({ type: z.literal("audio"), ...mediaFields });
export const DocumentContent = z.looseObject({ type: z.literal("document"), ...mediaFields });
export const VideoContent = z.looseObject({ type: z.literal("video"), ...mediaFields });

export const CONTENT_TYPES = ["text", "image", "audio", "document", "video"] as const;

export const Content = z.discriminatedUnion("type", [
  TextContent,
  ImageContent,
  AudioContent,
  DocumentContent,
  VideoContent,
]);

// ---------------------------------------------------------------------------------------------
// Steps: every member of the SDK's Step union, with its required fields

const jsonObject = z.record(z.string(), z.unknown());
const signature = z.string().optional();
/** function_result / mcp results: a string, an object, or a list of content blocks. */
const toolResult = z.union([z.string(), z.array(Content), jsonObject]);

const call = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), id: z.string(), signature, ...extra });
const result = <T extends string>(type: T, extra: z.core.$ZodLooseShape = {}) =>
  z.looseObject({ type: z.literal(type), call_id: z.string(), signature, ...extra });

export const UserInputStep = z.looseObject({ type: z.literal("user_input"), content: z.array(Content).optional() });
export const ModelOutputStep = z.looseObject({
  type: z.literal("model_output"),
  content: z.array(Content).optional(),
  error: jsonObject.optional(),
});
export const ThoughtStep = z.looseObject({
  type: z.literal("thought"),
  signature,
  summary: z.array(Content).optional(),
});
export const FunctionCallStep = z.looseObject({
  type: z.literal("function_call"),
  id: z.string(),
  name: z.string(),
  arguments: jsonObject,
});
export const FunctionResultStep = z.looseObject({
  type: z.literal("function_result"),
  call_id: z.string(),
  name: z.string().optional(),
  result: toolResult,
  is_error: z.boolean().optional(),
});

export const Step = z.discriminatedUnion("type", [
  UserInputStep,
  ModelOutputStep,
  ThoughtStep,
  FunctionCallStep,
  FunctionResultStep,
  call("code_execution_call", { arguments: jsonObject }),
  result("code_execution_result", { result: z.union([z.string(), z.array(Content)]) }),
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
]);

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
  "safety_settings",
] as const;

export const TurnRequest = z.strictObject({
  model: z.string().min(1, "must be a non-empty model name, e.g. gemini-3.5-flash"),
  history: z.array(Step).optional(),
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  stream: z.boolean().optional(),
  system_instruction: z.string().optional(),
  tools: z.array(z.looseObject({ type: z.string() })).optional(),
  generation_config: jsonObject.optional(),
  response_format: z.union([jsonObject, z.array(jsonObject)]).optional(),
  safety_settings: z.union([jsonObject, z.array(jsonObject)]).optional(),
  // Only `false` gets past the retention guard, which answers these (and agent, environment, ...) first.
  store: z.literal(false).optional(),
  background: z.literal(false).optional(),
});
export type TurnRequest = z.infer<typeof TurnRequest>;

/** `input` as an array is either content blocks (one user_input step) or steps; these check each reading. */
export const ContentList = z.array(Content).min(1, "must hold at least one content block");
export const StepList = z.array(Step);

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
}

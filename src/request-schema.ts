/**
 * The POST /v1/turns body's schema, made from the table of request fields (src/fields.ts): every
 * field a caller may send, checked as below (a passthrough field without a check here is any JSON
 * value, forwarded as given), described by its row, and nothing else (strict: an unknown field is
 * refused). The OpenAPI document's TurnRequest is this schema.
 */
import * as z from "zod/mini";
import { REQUEST_FIELDS, type CallerField, type RequestField, type RequiredField } from "./fields";
import { Content, HistoryStep, InputStep, ModelId, bounded, jsonObject, listOf, meta } from "./schemas";

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
const Tools = meta(
  z.array(z.unknown()).check(
    z.superRefine((tools, ctx) => {
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
    }),
  ),
  // The JSON Schema the OpenAPI document shows for each element (the refinement above is not expressible there).
  { items: { type: "object", properties: { type: { type: "string" } }, required: ["type"], additionalProperties: {} } },
);

/** How the relay checks each field a caller may send (one missing here is any JSON value). */
const CHECKS = {
  model: ModelId,
  history: z.array(HistoryStep),
  input: z.union([z.string(), z.array(z.unknown())]),
  stream: z.boolean(),
  attestation: z.string().check(z.maxLength(MAX_ATTESTATION_CHARS)),
  system_instruction: z.string(),
  tools: Tools,
  generation_config: jsonObject,
  response_format: z.union([jsonObject, listOf(jsonObject)]),
  response_mime_type: z.string(),
  response_modalities: listOf(z.string()),
  safety_settings: z.union([jsonObject, listOf(jsonObject)]),
  service_tier: z.string(),
  labels: bounded(z.record(z.string(), z.string()), z.string()),
  // Only `false` gets past the retention guard, which answers these (and agent, environment, ...) first.
  store: z.literal(false),
  background: z.literal(false),
} satisfies Partial<Record<CallerField, z.ZodMiniType>>;

/** What a field's description adds to its row's reason. */
const DETAILS: Partial<Record<CallerField, string>> = {
  tools: ` At most ${MAX_FUNCTION_TOOLS} function tools, names of at most ${MAX_FUNCTION_NAME} characters.`,
};

type Check<K> = K extends keyof typeof CHECKS ? (typeof CHECKS)[K] : z.ZodMiniUnknown;
type RequestShape = { [K in CallerField]: K extends RequiredField ? Check<K> : z.ZodMiniOptional<Check<K>> };

const FORWARDED = "Forwarded to Gemini as given. Interaction-scoped: send it again with every turn.";

/** The schema's members, one per row a caller may send, each described by its row (the one place a field is described). */
export function requestShape(table: readonly RequestField[]): RequestShape {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const row of table) {
    if (row.setByRelay || (row.role === "refused" && row.allowed === undefined)) continue;
    const name = row.name as CallerField;
    const check: z.ZodMiniType = (CHECKS as Partial<Record<string, z.ZodMiniType>>)[name] ?? z.unknown();
    const reason = {
      owned: row.why,
      passthrough: `${FORWARDED} ${row.why}`,
      refused: `Only \`false\` is accepted (400 retention_refused otherwise). Why: ${row.why}.`,
    }[row.role];
    shape[name] = meta(row.required ? check : z.optional(check), { description: reason + (DETAILS[name] ?? "") });
  }
  return shape as RequestShape;
}

export const TurnRequest = meta(z.strictObject(requestShape(REQUEST_FIELDS)), {
  description:
    "One turn: the whole conversation so far plus the new input. Unknown fields are refused (400 unknown_field) unless the operator lists them in PASSTHROUGH_FIELDS; fields that would make Google keep data are refused (400 retention_refused).",
});
export type TurnRequest = z.infer<typeof TurnRequest>;
/** The request's fields other than `history`, which the relay checks step by step itself (validate.ts). */
export const TurnFields = z.omit(TurnRequest, { history: true });

/** `input` as an array is either content blocks (one user_input step) or steps; these check each reading. */
export const ContentList = meta(bounded(z.array(Content).check(z.minLength(1, "must hold at least one content block")), Content), {
  description: "Content blocks: the relay makes them one user_input step.",
});
export const StepList = meta(listOf(InputStep), { description: "Input steps, appended to the history as given." });

/**
 * The request fields the relay knows, in one table: what it does with each one, and why. Everything
 * that lists fields reads it: validation (turn/validate.ts: unknown fields are refused, owned ones read,
 * passthrough ones forwarded byte for byte), the request schema and so the OpenAPI document
 * (schemas.ts), the retention guard (turn/retention.ts, which refuses the refused ones under both
 * spellings), the operator's PASSTHROUGH_FIELDS check (config.ts), the drop-in route, and the
 * emulator's list of Gemini's fields (packages/emulator/src/fields.ts, written from this table by
 * `npm run contract`: the emulator is a package of its own and imports nothing of the relay).
 *
 * A new Gemini field is one row here (then `npm run contract`). A passthrough row needs no schema:
 * the relay forwards the value as given, and schemas.ts may give it a stricter one.
 */

/**
 * - `owned`: the relay reads or writes the field itself.
 * - `passthrough`: forwarded to Gemini as given. Interaction-scoped: the caller re-sends it every turn.
 * - `refused`: it would make Google keep data (store=false would not hold); a 400 names the reason.
 */
export type FieldRole = "owned" | "passthrough" | "refused";

export interface RequestField {
  readonly name: string;
  readonly role: FieldRole;
  /** Why the field has its role; a refused field's reason is the 400's message, a passthrough field's the contract's description. */
  readonly why: string;
  /** The relay's own field, not one of Gemini's create body (the emulator does not know it). */
  readonly relayOnly?: true;
  /** Owned and written by the relay alone: a caller that sends it gets a 400. */
  readonly setByRelay?: true;
  /** Refused unless it has this value (store and background: false, what the relay sends anyway). */
  readonly allowed?: false;
  /** Every request carries it. */
  readonly required?: true;
}

export const REQUEST_FIELDS = [
  {
    name: "model",
    role: "owned",
    required: true,
    why: "The Gemini model, e.g. gemini-3.5-flash. The relay checks it is a model name (and in ALLOWED_MODELS when the operator set it), and forwards it.",
  },
  {
    name: "history",
    role: "owned",
    relayOnly: true,
    why: "The conversation so far: the `history` of the previous turn's response, sent back unchanged (byte for byte is best, but any JSON re-serialization works). Omit it on the first turn.",
  },
  {
    name: "input",
    role: "owned",
    why: "This turn's new input: text, content blocks (one user_input step), or steps (e.g. function_result answers).",
  },
  { name: "stream", role: "owned", why: "true: answer as server-sent events ending in `turn.completed`." },
  {
    name: "attestation",
    role: "owned",
    relayOnly: true,
    why: "The `attestation` of the previous turn's response, sent back with its `history` (relays with TRANSCRIPT_KEYS set). The relay checks that every model-authored step of the history is one it returned, unaltered and in place; never forwarded to Gemini.",
  },
  {
    name: "continuation_token",
    role: "owned",
    setByRelay: true,
    why: "The relay runs continuation hops itself and returns the whole turn.",
  },
  { name: "system_instruction", role: "passthrough", why: "The system prompt." },
  { name: "tools", role: "passthrough", why: "The declared tools: Gemini does not remember them between turns." },
  { name: "generation_config", role: "passthrough", why: "Sampling, thinking and output settings." },
  { name: "response_format", role: "passthrough", why: "Structured output." },
  { name: "response_mime_type", role: "passthrough", why: "The reply's MIME type." },
  { name: "response_modalities", role: "passthrough", why: "The reply's modalities." },
  { name: "safety_settings", role: "passthrough", why: "Safety thresholds." },
  { name: "service_tier", role: "passthrough", why: "E.g. flex, standard, priority." },
  { name: "labels", role: "passthrough", why: "Billing labels." },
  {
    name: "store",
    role: "refused",
    allowed: false,
    why: "store must be false or absent: this relay never lets Google store an interaction (55 days on paid tiers, 1 day on free)",
  },
  { name: "background", role: "refused", allowed: false, why: "background runs need an interaction stored at Google" },
  {
    name: "previous_interaction_id",
    role: "refused",
    why: "previous_interaction_id points at history stored at Google; send the whole transcript instead",
  },
  { name: "agent", role: "refused", why: "agents (e.g. Deep Research) run as stored background interactions at Google" },
  { name: "agent_config", role: "refused", why: "agent_config only applies to agents, which run as stored interactions at Google" },
  { name: "environment", role: "refused", why: "environments are stored at Google" },
  { name: "cached_content", role: "refused", why: "cached_content refers to an explicit cache stored at Google until it expires" },
  { name: "webhook_config", role: "refused", why: "webhooks report on background interactions, which are stored at Google" },
] as const satisfies readonly RequestField[];

type Row = (typeof REQUEST_FIELDS)[number];
/** The fields a caller may send: owned ones but those the relay sets, passthrough ones, and refused ones that have an allowed value. */
export type CallerField =
  | Exclude<Extract<Row, { role: "owned" }>, { setByRelay: true }>["name"]
  | Extract<Row, { role: "passthrough" } | { allowed: false }>["name"];
/** The fields every request carries. */
export type RequiredField = Extract<Row, { required: true }>["name"];

/** The lists the table's readers use, derived from `table` (a test builds them from a longer one). */
export function fieldLists(table: readonly RequestField[]) {
  const named = (rows: readonly RequestField[]) => rows.map(({ name }) => name);
  const owned = table.filter((row) => row.role === "owned");
  return {
    /** Forwarded to Gemini as given. */
    PASSTHROUGH_FIELDS: named(table.filter((row) => row.role === "passthrough")),
    /** The owned fields a caller sends (continuation_token is the relay's to write). */
    CALLER_OWNED_FIELDS: named(owned.filter((row) => !row.setByRelay)),
    /** Owned fields only the relay writes: a caller's is refused with the row's reason. */
    SET_BY_RELAY: owned.filter((row) => row.setByRelay),
    /** Refused fields, each with its reason (the retention guard adds their lowerCamelCase spellings). */
    REFUSED_FIELDS: table.filter((row) => row.role === "refused"),
    /** What no operator setting may pass through (PASSTHROUGH_FIELDS): every field that is not passthrough. */
    NOT_PASSTHROUGH: named(table.filter((row) => row.role !== "passthrough")),
    /** The top-level fields of Gemini's own create body, for the emulator: every row but the relay's own. */
    GEMINI_FIELDS: named(table.filter((row) => !row.relayOnly)),
    /**
     * The drop-in route's own fields besides the passthrough ones (the refused ones are the retention
     * guard's): the owned ones Gemini knows. `continuation_token` among them: the SDK sends it by itself
     * when it continues a `store: false` interaction (@google/genai 2.32 continuationBody).
     */
    DROP_IN_FIELDS: named(owned.filter((row) => !row.relayOnly)),
  };
}

export const { PASSTHROUGH_FIELDS, CALLER_OWNED_FIELDS, SET_BY_RELAY, REFUSED_FIELDS, NOT_PASSTHROUGH, GEMINI_FIELDS, DROP_IN_FIELDS } =
  fieldLists(REQUEST_FIELDS);

/**
 * The wire contract of gemini-relay's `/v1/turns`: the JSON the relay accepts and returns, as plain
 * types. Written here, not imported from the relay, so the client carries no server code; the
 * relay's tests check these against its schemas (test/client/contract.test.ts), so they cannot drift.
 */

/** A JSON object whose fields are not known in advance. */
export type JsonObject = Record<string, unknown>;

/**
 * One step of a transcript (user_input, model_output, thought, function_call, function_result, ...),
 * kept exactly as received: never edit, reorder or drop steps you send back.
 *
 * @example
 * const step: Step = { type: "user_input", content: [{ type: "text", text: "Hi" }] };
 */
export type Step = JsonObject & { type: string };

/**
 * A content block: `{type: "text", text}`, or image/audio/document/video with `data` or `uri`.
 *
 * @example
 * const block: ContentBlock = { type: "image", uri: "https://example.com/cat.png", mime_type: "image/png" };
 */
export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

/**
 * A step in which the model asks the caller to run one of its declared functions.
 *
 * @example
 * const call: FunctionCallStep = { type: "function_call", id: "x1", name: "get_order_status", arguments: { order_id: "A-4417" } };
 */
export interface FunctionCallStep extends Step {
  type: "function_call";
  id: string;
  name: string;
  arguments: JsonObject;
}

/**
 * The caller's answer to a function call: same `call_id` and `name`; `is_error` when it failed.
 *
 * @example
 * const answer: FunctionResultStep = { type: "function_result", call_id: call.id, name: call.name, result: { status: "shipped" } };
 */
export interface FunctionResultStep extends Step {
  type: "function_result";
  call_id: string;
  name: string;
  result: string | JsonObject | ContentBlock[];
  is_error?: boolean;
}

/**
 * A tool declaration as Gemini takes it (`{type: "function", name, description, parameters}`,
 * or a built-in such as `{type: "google_search"}`).
 *
 * @example
 * const tool: Tool = { type: "function", name: "get_order_status", parameters: { type: "object", properties: { order_id: { type: "string" } } } };
 */
export interface Tool {
  type: string;
  [key: string]: unknown;
}

/**
 * The body of a `200` answer to `POST /v1/turns` (and `data` of the `turn.completed` event).
 *
 * @example
 * const body = (await res.json()) as TurnResponse;
 */
export interface TurnResponse {
  /** history ++ this turn's input steps ++ `steps`: keep it and send it back as `history` next turn. */
  history: Step[];
  /** The steps the model generated this turn, exactly as Gemini returned them. */
  steps: Step[];
  /** Gemini's status, as received: completed, requires_action, incomplete, failed, ... */
  status: string;
  /** Token usage as Gemini reported it. */
  usage?: unknown;
  /** The reply's last run of text; absent when there is none. */
  output_text?: string;
  /** The function_call steps of this turn the caller must answer (empty when none). */
  pending_calls: Step[];
  /** Why an `incomplete` turn stopped: a continuation hop failed after earlier hops completed (problem details). */
  error?: Problem;
  /** With a relay that attests (TRANSCRIPT_KEYS): its attestation of `history`, to send back with it next turn. */
  attestation?: string;
  /** What to know about this turn, which the relay still answered (e.g. `stored_resource_in_reply`); absent when none. */
  warnings?: TurnWarning[];
}

/**
 * The body of a `200` answer to `POST /v1/turns` sent with `Prefer: return=minimal` (and `data` of its
 * `turn.completed` event): the members of TurnResponse but `history`, with this turn's input steps and
 * the base they append to. The full `history` is the history you sent with the elements of
 * `input_steps` then `steps` appended, joined by `,`, your array's inner bytes kept as sent.
 */
export interface MinimalTurnResponse extends Omit<TurnResponse, "history"> {
  /** This turn's input steps, as they appear in the full body's `history`. */
  input_steps: Step[];
  /** The history the relay received: its step count, and the lowercase hex SHA-256 of the bytes between its brackets. */
  base: { steps: number; sha256: string };
}

/** Something about a turn the relay still answered: a stable `code`, where (a JSON pointer into the request or the response's `history`), and why. */
export interface TurnWarning {
  code: string;
  path: string;
  message: string;
}

/** RFC 9457 problem details, as the relay writes them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: ProblemItem[];
  /** turn_failed only: Gemini's status for the interaction, and its `errors` as received. */
  interaction_status?: string;
  interaction_errors?: unknown[];
}

/** One finding of a problem, located by a JSON pointer into the request body (RFC 6901). */
export interface ProblemItem {
  path: string;
  message: string;
}

/** The relay's stable, machine-readable error codes (the last segment of a problem's `type`). */
export type ProblemCode =
  | "invalid_json"
  | "invalid_request"
  | "unknown_field"
  | "retention_refused"
  | "nothing_to_answer"
  | "integrity_failed"
  | "attestation_failed"
  | "attestation_required"
  | "unsupported_media_type"
  | "payload_too_large"
  | "too_deep"
  | "request_timeout"
  | "unauthorized"
  | "model_not_allowed"
  | "rate_limited"
  | "not_found"
  | "method_not_allowed"
  | "configuration_error"
  | "upstream_rejected"
  | "upstream_auth_failed"
  | "upstream_rate_limited"
  | "upstream_unavailable"
  | "upstream_timeout"
  | "turn_failed"
  | "client_closed"
  | "internal_error";

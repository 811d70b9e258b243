/**
 * The relay's one error type and its one rendering: RFC 9457 problem details on /v1/*.
 * Everything that goes wrong throws a RelayError; app.onError is the only place that writes it out.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { jsonResponse } from "./respond";

/** One finding, located by a JSON pointer into the request body (RFC 6901). */
export interface ProblemItem {
  path: string;
  message: string;
}

/** Stable, machine-readable codes; each becomes the problem `type` URI's last segment. */
export const PROBLEM_CODES = [
  "invalid_json",
  "invalid_request",
  "unknown_field",
  "retention_refused",
  "nothing_to_answer",
  "integrity_failed",
  "attestation_failed",
  "attestation_required",
  "unsupported_media_type",
  "payload_too_large",
  "too_deep",
  "request_timeout",
  "unauthorized",
  "model_not_allowed",
  "rate_limited",
  "not_found",
  "method_not_allowed",
  "configuration_error",
  "upstream_rejected",
  "upstream_auth_failed",
  "upstream_rate_limited",
  "upstream_unavailable",
  "upstream_timeout",
  "turn_failed",
  "client_closed",
  "internal_error",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

const TITLES: Record<ProblemCode, string> = {
  invalid_json: "Request body is not valid JSON",
  invalid_request: "Request body is invalid",
  unknown_field: "Request has unknown fields",
  retention_refused: "Request would make the upstream retain data",
  nothing_to_answer: "The turn gives the model nothing to answer",
  integrity_failed: "The transcript would fail at Gemini",
  attestation_failed: "The transcript's model steps are not as this relay returned them",
  attestation_required: "This relay requires attested transcripts",
  unsupported_media_type: "Unsupported content type or encoding",
  payload_too_large: "Request too large",
  too_deep: "JSON nested too deeply",
  request_timeout: "The request body did not arrive in time",
  unauthorized: "Missing or invalid credentials",
  model_not_allowed: "Model not allowed",
  rate_limited: "Too many requests from this caller",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  configuration_error: "The relay is misconfigured",
  upstream_rejected: "The Gemini API rejected the request",
  upstream_auth_failed: "The relay's Gemini credentials were rejected",
  upstream_rate_limited: "The Gemini API is rate limiting",
  upstream_unavailable: "The Gemini API failed or could not be reached",
  upstream_timeout: "The Gemini API did not answer in time",
  turn_failed: "The model could not complete the turn",
  client_closed: "The caller closed the request",
  internal_error: "Internal error",
};

/** An upstream HTTP failure as received, for routes that pass upstream errors through unchanged. */
export interface UpstreamFailure {
  status: number;
  /** The upstream's body text (with the API key redacted). */
  body: string;
  /** Its wait hint (retry-after-ms / retry-after), if it gave one. */
  retryAfterMs?: number;
  /** The body was longer than the relay reads: not passed on as the upstream's (cut JSON would not parse). */
  cut?: boolean;
}

export interface RelayErrorOptions {
  detail: string;
  upstream?: UpstreamFailure;
  errors?: ProblemItem[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** A failed interaction's own status and `errors`, as Gemini reported them (turn_failed). */
  interaction?: FailedInteraction;
  cause?: unknown;
}

/** What Gemini said of an interaction that ended as failed (or with errors). */
export interface FailedInteraction {
  status: string;
  errors: unknown[];
}

export class RelayError extends HTTPException {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: ProblemItem[];
  readonly headers: Record<string, string>;
  readonly upstream?: UpstreamFailure;
  readonly interaction?: FailedInteraction;

  constructor(status: ContentfulStatusCode, code: ProblemCode, options: RelayErrorOptions) {
    super(status, { message: options.detail, cause: options.cause });
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.upstream = options.upstream;
    this.interaction = options.interaction;
  }

  /** The problem-details body; the same shape for every error the relay answers with. */
  toProblem(): ProblemDetails {
    return {
      type: problemType(this.code),
      title: TITLES[this.code],
      status: this.status,
      code: this.code,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.interaction ? { interaction_status: this.interaction.status, interaction_errors: this.interaction.errors } : {}),
    };
  }

  override getResponse(): Response {
    return jsonResponse(this.toProblem(), { status: this.status, contentType: "application/problem+json", headers: this.headers });
  }
}

export interface ProblemDetails {
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

export function problemType(code: ProblemCode): string {
  return `urn:gemini-relay:problem:${code}`;
}

/** Google's Interactions error code for each relay code (used on the drop-in routes). */
const GOOGLE_CODES: Record<ProblemCode, string> = {
  invalid_json: "invalid_request",
  invalid_request: "invalid_request",
  unknown_field: "parameter_unknown",
  retention_refused: "invalid_request",
  nothing_to_answer: "invalid_request",
  integrity_failed: "invalid_request",
  attestation_failed: "invalid_request",
  attestation_required: "permission_denied",
  unsupported_media_type: "invalid_request",
  payload_too_large: "invalid_request",
  too_deep: "invalid_request",
  request_timeout: "deadline_exceeded",
  unauthorized: "authentication",
  model_not_allowed: "permission_denied",
  rate_limited: "rate_limit_exceeded",
  not_found: "not_found",
  method_not_allowed: "invalid_request",
  configuration_error: "api_error",
  upstream_rejected: "invalid_request",
  upstream_auth_failed: "api_error",
  upstream_rate_limited: "rate_limit_exceeded",
  upstream_unavailable: "api_error",
  upstream_timeout: "deadline_exceeded",
  turn_failed: "api_error",
  client_closed: "cancelled",
  internal_error: "api_error",
};

/**
 * The same error in Google's shape, `{"error":{"code","message"}}`, so the official SDKs surface it.
 * An upstream HTTP failure goes back exactly as the upstream answered it (status and body), unless its
 * body was cut at the relay's bound: then in the relay's words, with the same status.
 */
export function googleErrorResponse(err: RelayError): Response {
  const headers: Record<string, string> = { "content-type": "application/json; charset=UTF-8", ...err.headers };
  if (err.upstream && !err.upstream.cut) {
    // The SDKs prefer the millisecond hint; pass it on as the upstream gave it.
    if (err.upstream.retryAfterMs !== undefined) headers["retry-after-ms"] = String(Math.ceil(err.upstream.retryAfterMs));
    return new Response(err.upstream.body, { status: err.upstream.status, headers });
  }
  return jsonResponse({ error: googleError(err) }, { status: err.status, headers });
}

/** The `error` object of Google's shape for a relay error. */
export function googleError(err: RelayError): { code: string; message: string } {
  const details = err.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
  return { code: GOOGLE_CODES[err.code], message: details ? `${err.detail} ${details}` : err.detail };
}

/** Turns anything thrown into a RelayError; unknown errors become a content-free 500. */
export function toRelayError(err: unknown): RelayError {
  if (err instanceof RelayError) return err;
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 404) return new RelayError(404, "not_found", { detail: err.message || "No such route." });
    if (status === 405) return new RelayError(405, "method_not_allowed", { detail: err.message || "Method not allowed." });
    if (status < 500) return new RelayError(status, "invalid_request", { detail: err.message || "Bad request." });
  }
  return new RelayError(500, "internal_error", {
    detail: "The relay failed unexpectedly. The request was not stored anywhere; it is safe to retry.",
    cause: err,
  });
}

/** Items written out per answer (problems, warnings); the rest are counted in one more item. */
export const MAX_LISTED = 20;
/** How much of a caller's id, name or key a message quotes (clip). */
export const MAX_QUOTED = 64;

/**
 * Findings as they are found, bounded whatever the body holds: the first MAX_LISTED are built and
 * kept, the next one too (the item that counts the rest points at it), and the others are only
 * counted, so their messages are never built. Shared by every check that lists what it found.
 */
export class Listing<T> {
  readonly listed: T[] = [];
  count = 0;
  private firstUnlisted?: T;

  constructor(private readonly more: (count: number, first: T) => T) {}

  /** One finding, or `weight` of them that one item stands for (a list's own "and N more"). */
  add(build: () => T, weight = 1): void {
    if (this.count < MAX_LISTED) this.listed.push(build());
    else if (this.firstUnlisted === undefined) this.firstUnlisted = build();
    this.count += weight;
  }

  /** The listed items, then one that counts the rest (when there are more). */
  items(): T[] {
    return this.firstUnlisted === undefined
      ? this.listed
      : [...this.listed, this.more(this.count - this.listed.length, this.firstUnlisted)];
  }
}

/** The item that ends a capped list of problems: how many more, located at the first of them. */
export const moreProblems =
  (what: string) =>
  (count: number, first: ProblemItem): ProblemItem => ({
    path: first.path,
    message: `and ${count} more ${what}${count > 1 ? "s" : ""}, the first of them here: fix those above and send again to see the rest`,
  });

/** `text` cut to `max` characters (marked with …): what the relay quotes of a caller's text stays small. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** JSON pointer (RFC 6901) for a path of keys and indexes. */
export function jsonPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key) => "/" + String(key).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** Characters of a pointer written into an answer: a pointer is as long as the keys the caller chose. */
const MAX_POINTER = 256;

/** A JSON pointer for an answer (a problem item, a warning): cut to MAX_POINTER characters. */
export function boundedPointer(path: ReadonlyArray<PropertyKey>): string {
  return clip(jsonPointer(path), MAX_POINTER);
}

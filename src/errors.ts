/**
 * The relay's one error type and its one rendering: RFC 9457 problem details on /v1/*.
 * Everything that goes wrong throws a RelayError; app.onError is the only place that writes it out.
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** One finding, located by a JSON pointer into the request body (RFC 6901). */
export interface ProblemItem {
  path: string;
  message: string;
}

/** Stable, machine-readable codes; each becomes the problem `type` URI's last segment. */
export type ProblemCode =
  | "invalid_json"
  | "invalid_request"
  | "unknown_field"
  | "retention_refused"
  | "streaming_unsupported"
  | "nothing_to_answer"
  | "integrity_failed"
  | "not_found"
  | "method_not_allowed"
  | "configuration_error"
  | "upstream_rejected"
  | "upstream_auth_failed"
  | "upstream_rate_limited"
  | "upstream_unavailable"
  | "upstream_timeout"
  | "client_closed"
  | "internal_error";

const TITLES: Record<ProblemCode, string> = {
  invalid_json: "Request body is not valid JSON",
  invalid_request: "Request body is invalid",
  unknown_field: "Request has unknown fields",
  retention_refused: "Request would make the upstream retain data",
  streaming_unsupported: "Streaming is not available",
  nothing_to_answer: "The turn gives the model nothing to answer",
  integrity_failed: "The transcript would fail at Gemini",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  configuration_error: "The relay is misconfigured",
  upstream_rejected: "The Gemini API rejected the request",
  upstream_auth_failed: "The relay's Gemini credentials were rejected",
  upstream_rate_limited: "The Gemini API is rate limiting",
  upstream_unavailable: "The Gemini API failed or could not be reached",
  upstream_timeout: "The Gemini API did not answer in time",
  client_closed: "The caller closed the request",
  internal_error: "Internal error",
};

export interface RelayErrorOptions {
  detail: string;
  errors?: ProblemItem[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class RelayError extends HTTPException {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: ProblemItem[];
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: ProblemCode, options: RelayErrorOptions) {
    super(status, { message: options.detail, cause: options.cause });
    this.code = code;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
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
    };
  }

  override getResponse(): Response {
    return new Response(JSON.stringify(this.toProblem()), {
      status: this.status,
      headers: { "content-type": "application/problem+json", ...this.headers },
    });
  }
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: ProblemItem[];
}

export function problemType(code: ProblemCode): string {
  return `urn:gemini-relay:problem:${code}`;
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

/** JSON pointer (RFC 6901) for a path of keys and indexes. */
export function jsonPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key) => "/" + String(key).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

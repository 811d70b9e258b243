/** Google's Interactions error shape: one error class, the status → code table, and the one place that renders it. */

/** Default snake_case code and message per status (Interactions API error catalogue). */
const DEFAULTS: Record<number, readonly [code: string, message: string]> = {
  400: ["invalid_request", "Request contains an invalid argument."],
  401: ["authentication", "API key not valid. Please pass a valid API key."],
  402: ["payment_required", "Your prepayment credits are depleted."],
  403: ["permission_denied", "The caller does not have permission."],
  404: ["not_found", "Requested entity was not found."],
  405: ["method_not_allowed", "Method not allowed."],
  408: ["request_timeout", "Request timed out."],
  409: ["aborted", "The operation was aborted."],
  413: ["payload_too_large", "Request payload size exceeds the limit."],
  416: ["out_of_range", "Request is out of range."],
  422: ["unprocessable_entity", "Unprocessable entity."],
  429: ["rate_limit_exceeded", "You have exceeded the per-minute request limit. Please retry later."],
  499: ["cancelled", "The operation was cancelled."],
  500: ["api_error", "An internal error has occurred. Please retry."],
  501: ["unimplemented", "Operation is not implemented."],
  502: ["bad_gateway", "Bad gateway."],
  503: ["service_unavailable", "The model is overloaded. Please try again later."],
  504: ["deadline_exceeded", "Deadline expired before operation could complete."],
};

export function defaultErrorCode(status: number): string {
  return DEFAULTS[status]?.[0] ?? (status >= 500 ? "api_error" : "invalid_request");
}

export function defaultErrorMessage(status: number): string {
  return DEFAULTS[status]?.[1] ?? "Request failed.";
}

export interface ApiErrorInit {
  code?: string;
  message?: string;
  headers?: Record<string, string>;
}

/** Thrown anywhere in the emulator; `toResponse` is the only place an error body is written. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, init: ApiErrorInit = {}) {
    super(init.message ?? defaultErrorMessage(status));
    this.name = "ApiError";
    this.status = status;
    this.code = init.code ?? defaultErrorCode(status);
    this.headers = init.headers ?? {};
  }

  toResponse(): Response {
    return new Response(JSON.stringify({ error: { code: this.code, message: this.message } }), {
      status: this.status,
      headers: { "content-type": "application/json; charset=UTF-8", ...this.headers },
    });
  }
}

export function invalidRequest(message: string): ApiError {
  return new ApiError(400, { message });
}

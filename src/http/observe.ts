/**
 * One structured log line per request and the timing headers. Logs carry ids, sizes, counts,
 * timings and statuses only: never content, keys or tokens (the caller id is a hash).
 */
import type { Context, MiddlewareHandler } from "hono";
import { sseBodyOf } from "./sse-response";

/** Filled in along the request path; everything here is safe to log. */
export interface RequestMetrics {
  route?: string;
  model?: string;
  caller?: string;
  historySteps?: number;
  bytesIn: number;
  upstreamStatus?: number;
  /** Time spent waiting on the upstream (for a stream: until its first byte). */
  upstreamMs: number;
  retries: number;
  /** Upstream calls made for this request (attempts, retries and continuation hops included). */
  upstreamCalls: number;
}

/** Tells the caller how many upstream attempts its request used, so its own retries stay in one budget. */
export const ATTEMPTS_HEADER = "Relay-Upstream-Attempts";

export interface ObserveEnv {
  Variables: { requestId: string; callerRequestId?: string; metrics: RequestMetrics };
}

/** The longest caller Request-Id kept for the log; longer ones are cut. */
export const CALLER_REQUEST_ID_MAX = 128;

/**
 * The relay's own id for each request (a UUID, sent back as Request-Id and logged as request_id), so
 * no caller can choose or collide the ids an operator searches logs by. A caller's own Request-Id is
 * logged beside it as caller_request_id: printable ASCII only, at most CALLER_REQUEST_ID_MAX characters.
 */
function sanitizedRequestId(value: string | undefined): string | undefined {
  const printable = value
    ?.replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, CALLER_REQUEST_ID_MAX);
  return printable || undefined;
}

/**
 * How long after its response a deferred line waits: a 0 ms timer fired before workerd had written
 * a small response about half the time (seen in the bench's cold start), 10 ms did not.
 */
const AFTER_RESPONSE_MS = 10;

/**
 * Runs `write` once the response has gone, in a task the request waits for (waitUntil), where the
 * runtime gives an execution context (Workers); at once where it does not (Node).
 */
function afterResponse(c: Context, write: () => void): void {
  let ctx: Partial<Pick<ExecutionContext, "waitUntil">> | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  if (typeof ctx?.waitUntil !== "function") return write();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = new Promise<void>((resolve) => (timer = setTimeout(() => resolve(write()), AFTER_RESPONSE_MS)));
  try {
    ctx.waitUntil(later);
  } catch {
    clearTimeout(timer);
    write();
  }
}

/**
 * The request's ids and metrics, its Request-Id, Server-Timing (`relay;dur=<ms>,upstream;dur=<ms>`:
 * relay = total minus upstream wait) and attempts headers, and its log line, written when the
 * response body has been fully sent (or the caller left), so streams are measured whole. One
 * middleware, not one per header: each layer is an async step on every request.
 */
export function observe(): MiddlewareHandler<ObserveEnv> {
  // An isolate's first console.log costs ~1.5 ms (workerd loads its formatter; later ones cost
  // little): that line is written after its response, so a new isolate's first answer does not wait.
  let wroteLine = false;
  return async function observeRequest(c, next) {
    const started = Date.now();
    const requestId = crypto.randomUUID();
    const callerRequestId = sanitizedRequestId(c.req.header("request-id"));
    const metrics: RequestMetrics = { bytesIn: 0, upstreamMs: 0, retries: 0, upstreamCalls: 0 };
    c.set("requestId", requestId);
    if (callerRequestId) c.set("callerRequestId", callerRequestId);
    c.set("metrics", metrics);
    // One line per request, whatever its end: sent, or aborted by the caller (seen by the body
    // stream's cancel, or by the request signal when the runtime reports the disconnect first).
    let logged = false;
    const log = (bytesOut: number, outcome: "sent" | "aborted", status = c.res.status) => {
      if (logged) return;
      logged = true;
      const line = JSON.stringify({
        request_id: requestId,
        caller_request_id: callerRequestId,
        method: c.req.method,
        route: metrics.route ?? c.req.routePath,
        model: metrics.model,
        caller: metrics.caller,
        status,
        outcome,
        upstream_status: metrics.upstreamStatus,
        latency_ms: Date.now() - started,
        upstream_ms: metrics.upstreamMs,
        retries: metrics.retries,
        upstream_calls: metrics.upstreamCalls,
        history_steps: metrics.historySteps,
        bytes_in: metrics.bytesIn,
        bytes_out: bytesOut,
      });
      if (wroteLine || outcome === "aborted") return console.log(line);
      wroteLine = true;
      afterResponse(c, () => console.log(line));
    };
    // A caller who leaves before there is a response: workerd may drop the handler then, never to
    // resume it, so the line is written from the signal (499, as the relay answers a closed request).
    const leftEarly = () => log(0, "aborted", 499);
    c.req.raw.signal?.addEventListener("abort", leftEarly, { once: true });
    await next();
    c.req.raw.signal?.removeEventListener("abort", leftEarly);

    const relayMs = Math.max(0, Date.now() - started - metrics.upstreamMs);
    const headers = c.res.headers;
    headers.set("Request-Id", requestId);
    headers.append("Server-Timing", `relay;dur=${relayMs},upstream;dur=${metrics.upstreamMs}`);
    headers.set(ATTEMPTS_HEADER, String(metrics.upstreamCalls));
    // A body of known length (our JSON answers) is logged as it is handed over; a stream of unknown
    // length is counted as it goes and logged at its end, or when the caller leaves.
    const knownLength = headers.get("content-length");
    const body = c.res.body;
    if (!body || knownLength !== null) {
      log(Number(knownLength ?? 0), "sent");
      return;
    }
    // An SSE answer counts its bytes and says how it ended itself: no second stream for every event to pass through.
    const sse = sseBodyOf(body);
    if (sse) {
      c.req.raw.signal?.addEventListener("abort", () => log(sse.written, "aborted"), { once: true });
      sse.onEnd(log);
      return;
    }
    const reader = body.getReader();
    let bytesOut = 0;
    c.req.raw.signal?.addEventListener("abort", () => log(bytesOut, "aborted"), { once: true });
    c.res = new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done) {
            controller.close();
            log(bytesOut, "sent");
            return;
          }
          bytesOut += value.byteLength;
          controller.enqueue(value);
        },
        cancel(reason) {
          log(bytesOut, "aborted");
          return reader.cancel(reason);
        },
      }),
      c.res,
    );
  };
}

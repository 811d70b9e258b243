/**
 * The Hono environment every route and middleware shares: the Worker's bindings and the per-request
 * variables the middleware in app.ts sets. Its own module, so routes need not import the app.
 */
import type { Bindings, Config } from "./config";
import type { Caller } from "./http/auth";
import type { RequestMetrics } from "./http/observe";
import type { RetentionReport } from "./turn/retention";
import type { UpstreamSession } from "./upstream/session";

/**
 * The relay's static assets (public/): on Workers the ASSETS binding (wrangler.toml [assets]), on
 * Node the files read from disk (src/node/static-files.ts). A path in, the file (200) or a 404 out.
 */
export interface StaticFiles {
  fetch(request: Request): Promise<Response>;
}

export interface AppEnv {
  Bindings: Bindings & { ASSETS: StaticFiles };
  Variables: {
    /** The relay's own id for this request (a UUID). */
    requestId: string;
    /** The caller's Request-Id, bounded and sanitized, for the log line only. */
    callerRequestId?: string;
    metrics: RequestMetrics;
    /** Read lazily, so routes that never call the upstream never need a key. */
    config: () => Config;
    /** This request's use of the upstream (deadline, retries, timings), built on first use. */
    upstream: () => UpstreamSession;
    caller: Caller;
    /** What the request leaves behind upstream, once its body was checked (for Relay-Retention). */
    retention?: RetentionReport;
    /** Set when a history's model-authored steps went unverified (TRANSCRIPT_MODE=verify, no attestation). */
    attestationWarning?: string;
  };
}

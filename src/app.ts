/**
 * createApp(deps): the Hono app with its routes, the per-request config and upstream, and the one
 * error handler. Tests build it with their own upstream; src/index.ts builds it for production.
 */
import { Hono } from "hono";
import { readConfig, type Bindings, type Config } from "./config";
import { RelayError, toRelayError } from "./errors";
import { retentionHeader, type RetentionReport } from "./retention";
import { interactions } from "./routes/interactions";
import { turns } from "./routes/turns";
import { geminiUpstream } from "./upstream/gemini";
import type { Upstream } from "./upstream/upstream";

export interface AppDeps {
  /** Builds the upstream for one request; defaults to the @google/genai adapter. */
  makeUpstream?: (config: Config) => Upstream;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    /** Read lazily, so routes that never call the upstream never need a key. */
    config: () => Config;
    upstream: () => Upstream;
    /** What the request leaves behind upstream, once its body was checked (for Relay-Retention). */
    retention?: RetentionReport;
  };
}

export function createApp({ makeUpstream = (config) => geminiUpstream(config) }: AppDeps = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async function configPerRequest(c, next) {
    let config: Config | undefined;
    let upstream: Upstream | undefined;
    c.set("config", () => (config ??= readConfig(c.env ?? {})));
    c.set("upstream", () => (upstream ??= makeUpstream(c.var.config())));
    await next();
    // Every response says what it left behind, errors included (they left nothing).
    c.res.headers.set("Relay-Retention", retentionHeader(c.var.retention));
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.route("/v1/turns", turns);
  app.route("/", interactions);

  app.notFound((c) => {
    throw new RelayError(404, "not_found", { detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}. See POST /v1/turns.` });
  });
  app.onError((err) => {
    const relayError = toRelayError(err);
    if (relayError.status >= 500 && relayError.code === "internal_error") {
      // Content-free: the error's class and message only, never the request.
      console.error(JSON.stringify({ level: "error", error: relayError.cause instanceof Error ? relayError.cause.name : typeof relayError.cause }));
    }
    return relayError.getResponse();
  });
  return app;
}

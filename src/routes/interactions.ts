/**
 * The drop-in Interactions endpoint: POST /{v1,v1beta,v1alpha}/interactions as the official SDKs send
 * it, forwarded with store=false (the same retention guard as /v1/turns), answered exactly as the
 * upstream answered. Errors are in Google's shape so SDKs surface them. Nothing is stored, so the
 * per-interaction routes (get, delete, cancel) answer 404.
 */
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../app";
import { readJson } from "../body";
import { RelayError, googleError, toRelayError } from "../errors";
import { keepAlive } from "../keep-alive";
import { guardRetention } from "../retention";
import type { JsonObject } from "../schemas";
import type { ForwardRequest } from "../upstream/upstream";
import { jsonResponse } from "../respond";
import { checkModel } from "../validate";

export const interactions = new Hono<AppEnv>();

const VERSION = ":version{v1(?:beta|alpha)?}";

/** The paths this module answers, whose errors are rendered in Google's shape. */
export const DROP_IN_PATH = /^\/v1(?:beta|alpha)?\/interactions(?:\/|$)/;

interactions.post(`/${VERSION}/interactions`, async (c) => {
  const config = c.var.config();
  const body = await readJson(c.req.raw, config, c.var.metrics);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RelayError(400, "invalid_request", { detail: "The request body must be a JSON object." });
  }
  const fields = body as JsonObject;
  c.set("retention", guardRetention(fields, config));
  if (typeof fields.model === "string") {
    c.var.metrics.model = fields.model;
    checkModel(fields.model, config.allowedModels);
  }
  const request: ForwardRequest = { body: fields, apiVersion: c.req.param("version") };

  if (fields.stream === true) return forwardStream(c, request);
  return jsonResponse(await c.var.upstream().forward(request));
});

const STORES_NOTHING =
  "This relay stores nothing: interactions are created with store=false, so they cannot be fetched, deleted or cancelled. Keep the steps on the client.";

interactions.on(["GET", "DELETE"], `/${VERSION}/interactions/:id`, () => {
  throw new RelayError(404, "not_found", { detail: STORES_NOTHING });
});
interactions.post(`/${VERSION}/interactions/:id/cancel`, () => {
  throw new RelayError(404, "not_found", { detail: STORES_NOTHING });
});

interactions.all(`/${VERSION}/interactions`, () => {
  throw new RelayError(405, "method_not_allowed", { detail: "Use POST to create an interaction.", headers: { allow: "POST" } });
});

/** Every upstream event re-sent as received, then the `[DONE]` sentinel the SDK stops at. */
async function forwardStream(c: Context<AppEnv>, request: ForwardRequest): Promise<Response> {
  const session = c.var.upstream();
  const events = await session.forwardStream(request);
  return streamSSE(c, async (sse) => {
    sse.onAbort(() => session.abort());
    const alive = keepAlive(sse, c.var.config().streamKeepAliveMs);
    try {
      for await (const event of events) {
        const type = typeof event === "object" && typeof event.event_type === "string" ? event.event_type : "message";
        alive.wrote();
        await sse.writeSSE({ event: type, data: typeof event === "string" ? event : JSON.stringify(event) });
      }
      await sse.writeSSE({ event: "done", data: "[DONE]" });
    } catch (err) {
      // A broken upstream stream ends as an `error` event in Google's shape (SDKs yield it to the caller).
      const error = googleError(toRelayError(err));
      if (!sse.aborted) await sse.writeSSE({ event: "error", data: JSON.stringify({ error, event_type: "error" }) });
    } finally {
      alive.stop();
    }
  });
}

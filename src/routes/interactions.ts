/**
 * The drop-in Interactions endpoint: POST /{v1,v1beta,v1alpha}/interactions as the official SDKs send
 * it, forwarded with store=false (the same retention guard as /v1/turns), answered exactly as the
 * upstream answered. Errors are in Google's shape so SDKs surface them. Nothing is stored, so the
 * per-interaction routes (get, delete, cancel) answer 404.
 */
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../app";
import { RelayError, googleError, googleErrorResponse, toRelayError } from "../errors";
import { guardRetention } from "../retention";
import type { JsonObject } from "../schemas";
import type { ForwardRequest } from "../upstream/upstream";
import { readJsonBody } from "../validate";

export const interactions = new Hono<AppEnv>();

const VERSION = ":version{v1(?:beta|alpha)?}";

interactions.post(`/${VERSION}/interactions`, async (c) => {
  const body = await readJsonBody(c);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RelayError(400, "invalid_request", { detail: "The request body must be a JSON object." });
  }
  c.set("retention", guardRetention(body as JsonObject, c.var.config()));
  const request: ForwardRequest = { body: body as JsonObject, apiVersion: c.req.param("version") };

  if ((body as JsonObject).stream === true) return forwardStream(c, request);
  return c.json(await c.var.upstream().forwardInteraction(request, c.req.raw.signal));
});

const STORES_NOTHING =
  "This relay stores nothing: interactions are created with store=false, so they cannot be fetched, deleted or cancelled. Keep the steps on the client.";

interactions.on(["GET", "DELETE"], `/${VERSION}/interactions/:id`, () => {
  throw new RelayError(404, "not_found", { detail: STORES_NOTHING });
});
interactions.post(`/${VERSION}/interactions/:id/cancel`, () => {
  throw new RelayError(404, "not_found", { detail: STORES_NOTHING });
});

interactions.onError((err) => googleErrorResponse(toRelayError(err)));

/** Every upstream event re-sent as received, then the `[DONE]` sentinel the SDK stops at. */
async function forwardStream(c: Context<AppEnv>, request: ForwardRequest): Promise<Response> {
  const callerGone = new AbortController();
  const signal = AbortSignal.any([c.req.raw.signal, callerGone.signal]);
  const events = await c.var.upstream().forwardInteractionStream(request, signal);
  return streamSSE(c, async (sse) => {
    sse.onAbort(() => callerGone.abort());
    try {
      for await (const event of events) {
        const type = typeof event === "object" && typeof event.event_type === "string" ? event.event_type : "message";
        await sse.writeSSE({ event: type, data: typeof event === "string" ? event : JSON.stringify(event) });
      }
      await sse.writeSSE({ event: "done", data: "[DONE]" });
    } catch (err) {
      // A broken upstream stream ends as an `error` event in Google's shape (SDKs yield it to the caller).
      const error = googleError(toRelayError(err));
      if (!sse.aborted) await sse.writeSSE({ event: "error", data: JSON.stringify({ error, event_type: "error" }) });
    }
  });
}

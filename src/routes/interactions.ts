/**
 * The drop-in Interactions endpoint: POST /{v1,v1beta,v1alpha}/interactions as the official SDKs send
 * it, forwarded with store=false (the same retention guard as /v1/turns), answered exactly as the
 * upstream answered. Errors are in Google's shape so SDKs surface them. Nothing is stored, so the
 * per-interaction routes (get, delete, cancel) answer 404.
 */
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv } from "../app";
import { checkDropIn } from "../attestation";
import { readBody } from "../body";
import { RelayError, googleError, toRelayError } from "../errors";
import { keepAlive } from "../keep-alive";
import { joinPieces } from "../json/bytes";
import { JsonScanner } from "../json/scan";
import { findStoredReferences, guardRetention } from "../retention";
import type { JsonObject } from "../schemas";
import type { ForwardRequest } from "../upstream/upstream";
import { bytesResponse } from "../respond";
import { bodyMembers, checkModel, parseValue } from "../validate";

export const interactions = new Hono<AppEnv>();

const VERSION = ":version{v1(?:beta|alpha)?}";

/** The paths this module answers, whose errors are rendered in Google's shape. */
export const DROP_IN_PATH = /^\/v1(?:beta|alpha)?\/interactions(?:\/|$)/;

interactions.post(`/${VERSION}/interactions`, async (c) => {
  const config = c.var.config();
  checkDropIn(config.transcript);
  const bytes = await readBody(c.req.raw, config, c.var.metrics);
  const scanner = new JsonScanner(bytes, config.maxJsonDepth);
  const members = bodyMembers(scanner);
  const fields: JsonObject = {};
  for (const [key, member] of members) fields[key] = parseValue(bytes, member.value, [key]);
  c.set("retention", guardRetention(fields, config, findStoredReferences(fields.input, ["input"])));
  if (typeof fields.model === "string") {
    c.var.metrics.model = fields.model;
    checkModel(fields.model, config.allowedModels);
  }
  const request: ForwardRequest = { body: withStoreOff(bytes, scanner, members.has("store")), apiVersion: c.req.param("version") };

  if (fields.stream === true) return forwardStream(c, request);
  return bytesResponse(await c.var.upstream().forward(request));
});

/**
 * The caller's body with `store: false` in it: as sent when it already says so (the guard refused
 * anything else), else with the member written right after the opening brace. Nothing else changes.
 */
function withStoreOff(bytes: Uint8Array, scanner: JsonScanner, hasStore: boolean): Uint8Array {
  if (hasStore) return bytes;
  const open = scanner.skipSpace(0) + 1;
  const empty = bytes[scanner.skipSpace(open)] === 0x7d;
  return joinPieces([bytes.subarray(0, open), empty ? '"store":false' : '"store":false,', bytes.subarray(open)]);
}

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
        alive.wrote();
        await sse.writeSSE({ event: event.type, data: event.data });
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

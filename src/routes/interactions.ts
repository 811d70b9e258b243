/**
 * The drop-in Interactions endpoint: POST /{v1,v1beta,v1alpha}/interactions as the official SDKs send
 * it, checked as checks.ts lists (the same retention guard as /v1/turns), forwarded with store=false,
 * answered exactly as the upstream answered. Errors are in Google's shape so SDKs surface them. Nothing is stored, so the
 * per-interaction routes (get, delete, cancel) answer 404.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { RelayError, googleError, toRelayError } from "../errors";
import { streamResponse } from "../http/sse-response";
import { piecesBody, type JsonBody } from "../json/bytes";
import { JsonScanner } from "../json/scan";
import type { ForwardRequest } from "../upstream/upstream";
import { bytesResponse } from "../respond";
import { checkInteraction } from "./checks";

export const interactions = new Hono<AppEnv>();

const VERSION = ":version{v1(?:beta|alpha)?}";

/** The paths this module answers, whose errors are rendered in Google's shape. */
export const DROP_IN_PATH = /^\/v1(?:beta|alpha)?\/interactions(?:\/|$)/;

interactions.post(`/${VERSION}/interactions`, async (c) => {
  const config = c.get("config")();
  const { bytes, scanner, members, fields } = await checkInteraction(c);
  const request: ForwardRequest = {
    body: withStoreOff(bytes, scanner, members.has("store")),
    // The operator's pin wins over the path: the path's version is most often the SDK's default,
    // not a choice the caller made, so refusing it would break every SDK left at its default.
    apiVersion: config.apiVersion ?? c.req.param("version"),
  };

  if (fields.stream === true) return forwardStream(c, request);
  return bytesResponse(await c.get("upstream")().forward(request));
});

/**
 * The caller's body with `store: false` in it: as sent when it already says so (the guard refused
 * anything else), else with the member written right after the opening brace. Nothing else changes.
 */
function withStoreOff(bytes: Uint8Array, scanner: JsonScanner, hasStore: boolean): JsonBody {
  if (hasStore) return piecesBody([bytes]);
  const open = scanner.skipSpace(0) + 1;
  const empty = bytes[scanner.skipSpace(open)] === 0x7d;
  return piecesBody([bytes.subarray(0, open), empty ? '"store":false' : '"store":false,', bytes.subarray(open)]);
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
function forwardStream(c: Context<AppEnv>, request: ForwardRequest): Promise<Response> {
  const session = c.get("upstream")();
  const config = c.get("config")();
  return streamResponse(c, {
    session,
    open: session.forwardStream(request),
    waitMs: config.streamOpenWaitMs,
    keepAliveMs: config.streamKeepAliveMs,
    async *messages(events) {
      for await (const event of events) yield { event: event.type, data: event.data };
      yield { event: "done", data: "[DONE]" };
    },
    // A broken upstream stream ends as an `error` event in Google's shape (SDKs yield it to the caller).
    failure: (err) => ({ event: "error", data: JSON.stringify({ error: googleError(toRelayError(err)), event_type: "error" }) }),
  });
}

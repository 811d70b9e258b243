/**
 * The drop-in Interactions endpoint: POST /{v1,v1beta,v1alpha}/interactions as the official SDKs send
 * it, forwarded with store=false (the same retention guard as /v1/turns), answered exactly as the
 * upstream answered. Errors are in Google's shape so SDKs surface them. Nothing is stored, so the
 * per-interaction routes (get, delete, cancel) answer 404.
 */
import { Hono, type Context } from "hono";
import type { AppEnv } from "../env";
import { checkDropIn } from "../turn/attestation";
import { readBody } from "../http/body";
import { RelayError, googleError, toRelayError } from "../errors";
import { streamResponse } from "../http/sse-response";
import { piecesBlob } from "../json/bytes";
import { JsonScanner } from "../json/scan";
import { findStoredReferences, guardRetention } from "../turn/retention";
import { ModelId, PASSTHROUGH_FIELDS, type JsonObject } from "../schemas";
import type { ForwardRequest } from "../upstream/upstream";
import { bytesResponse } from "../respond";
import { checkModel, refuseUnknown } from "../turn/validate";
import { bodyMembers, parseValue } from "../request-json";

export const interactions = new Hono<AppEnv>();

const VERSION = ":version{v1(?:beta|alpha)?}";

/**
 * The create body's own fields besides PASSTHROUGH_FIELDS (and the retention guard's, refused with
 * their reason). `continuation_token` is one the SDK sends by itself: its continuation hops for a
 * `store: false` interaction re-send the input with the token (@google/genai 2.32 continuationBody).
 */
const DROP_IN_FIELDS = ["model", "input", "stream", "store", "continuation_token"];

/** The paths this module answers, whose errors are rendered in Google's shape. */
export const DROP_IN_PATH = /^\/v1(?:beta|alpha)?\/interactions(?:\/|$)/;

interactions.post(`/${VERSION}/interactions`, async (c) => {
  const config = c.var.config();
  checkDropIn(config.transcript);
  const bytes = await readBody(c.req.raw, config, c.var.metrics);
  const scanner = new JsonScanner(bytes, config.maxJsonDepth);
  const members = bodyMembers(scanner, (key) => key === "input");
  // Fail closed as /v1/turns does: a field the relay does not know is not forwarded (nor is `__proto__`).
  refuseUnknown(members.keys(), [...DROP_IN_FIELDS, ...PASSTHROUGH_FIELDS, ...config.extraPassthroughFields]);
  checkInputSteps(members.get("input")?.elements?.items.length ?? 0, config.maxSteps);
  // No prototype: a member's key is only ever a field of this body, never a getter or setter of Object's.
  const fields = Object.create(null) as JsonObject;
  for (const [key, member] of members) fields[key] = parseValue(bytes, member.value, [key]);
  c.set("retention", guardRetention(fields, config, findStoredReferences(fields.input, ["input"])));
  if (fields.model !== undefined) {
    if (!ModelId.safeParse(fields.model).success) {
      throw new RelayError(400, "invalid_request", {
        detail: "`model` must be a model name such as gemini-3.5-flash (letters, digits, '.', '_', '-'; at most 100 characters).",
        errors: [{ path: "/model", message: "is not a model name" }],
      });
    }
    c.var.metrics.model = fields.model as string;
    checkModel(fields.model as string, config.allowedModels);
  } else if (config.allowedModels) {
    // Without a model, Gemini would pick one (or an agent would run): the allowlist could not hold.
    throw new RelayError(400, "invalid_request", {
      detail: "`model` is required: this relay restricts the models callers may use (ALLOWED_MODELS).",
      errors: [{ path: "/model", message: "is required when ALLOWED_MODELS is set" }],
    });
  }
  const request: ForwardRequest = {
    body: withStoreOff(bytes, scanner, members.has("store")),
    // The operator's pin wins over the path: the path's version is most often the SDK's default,
    // not a choice the caller made, so refusing it would break every SDK left at its default.
    apiVersion: config.apiVersion ?? c.req.param("version"),
  };

  if (fields.stream === true) return forwardStream(c, request);
  return bytesResponse(await c.var.upstream().forward(request));
});

/** MAX_STEPS holds here as on /v1/turns (the input is the whole conversation), counted before any step is parsed. */
function checkInputSteps(count: number, maxSteps: number): void {
  if (count > maxSteps) {
    throw new RelayError(413, "payload_too_large", {
      detail: `The input carries ${count} steps; at most ${maxSteps} are accepted (MAX_STEPS). Summarise or drop old turns.`,
      errors: [{ path: "/input", message: `has more than ${maxSteps} steps` }],
    });
  }
}

/**
 * The caller's body with `store: false` in it: as sent when it already says so (the guard refused
 * anything else), else with the member written right after the opening brace. Nothing else changes.
 */
function withStoreOff(bytes: Uint8Array, scanner: JsonScanner, hasStore: boolean): Blob {
  if (hasStore) return piecesBlob([bytes]);
  const open = scanner.skipSpace(0) + 1;
  const empty = bytes[scanner.skipSpace(open)] === 0x7d;
  return piecesBlob([bytes.subarray(0, open), empty ? '"store":false' : '"store":false,', bytes.subarray(open)]);
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
  const session = c.var.upstream();
  const config = c.var.config();
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

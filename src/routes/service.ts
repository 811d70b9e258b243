/**
 * The public routes (mounted before the caller middleware): GET /healthz, GET /openapi.json (the
 * OpenAPI document) and GET /docs (the same document in Scalar's API reference, its bundle served
 * as a static asset: by Workers' [assets], or on Node by referenceBundle below). The document and
 * the page are text made at build time (src/openapi/generated.ts), imported on their first request:
 * nothing of them is built, or even evaluated, when the Worker starts.
 */
import { Hono, type Handler } from "hono";
import type { AppEnv } from "../env";
import { DOCS_PAGE_HEADERS } from "../openapi/page";
import { hex } from "../json/bytes";

export const service = new Hono<AppEnv>();

service.get("/healthz", (c) => c.json({ status: "ok" }));

const generated = () => import("../openapi/generated");

service.get("/openapi.json", async (c) => c.body((await generated()).OPENAPI_JSON, 200, { "content-type": "application/json" }));

service.get("/docs", async (c) => c.html((await generated()).DOCS_HTML, 200, DOCS_PAGE_HEADERS));

/** A day: the bundle's URL carries no version, so a browser revalidates (ETag) after an upgrade. */
const BUNDLE_CACHE_CONTROL = "public, max-age=86400";

/**
 * GET /standalone.js where the runtime has no static assets: the bundle `read` returns, read on the
 * first request and kept in memory, with a strong ETag so a revalidation costs a 304.
 */
export function referenceBundle(read: () => Promise<Uint8Array<ArrayBuffer>>): Handler<AppEnv> {
  let bundle: Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }> | undefined;
  const load = async () => {
    const body = await read();
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    return { body, etag: `"${hex(digest.subarray(0, 16))}"` };
  };
  return async (c) => {
    // A failed read is not remembered: the next request tries again.
    const { body, etag } = await (bundle ??= load().catch((err: unknown) => {
      bundle = undefined;
      throw err;
    }));
    const headers = {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": BUNDLE_CACHE_CONTROL,
      etag,
      "x-content-type-options": "nosniff",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(body, 200, headers);
  };
}

/**
 * The public routes (mounted before the caller middleware): GET /healthz, GET /openapi.json (the
 * OpenAPI document) and GET /docs (the same document in Scalar's API reference, its bundle served
 * as a static asset: by Workers' [assets], or on Node by referenceBundle below). The document and
 * the page are files made at build time (public/, `npm run contract`), read on each request from the
 * static assets (c.env.ASSETS): they are not in the Worker's bundle, so a new isolate neither loads
 * nor evaluates them. The route answers their bytes under its own headers, after the middleware.
 */
import { Hono, type Context, type Handler } from "hono";
import type { AppEnv } from "../env";
import { DOCS_PAGE_HEADERS } from "../openapi/page";
import { hex } from "../json/bytes";
import { jsonResponse } from "../respond";

/** Where `npm run contract` writes each file under public/, and the path the route asks the assets for. */
export const STATIC_FILES = { openApiJson: "/openapi.json", docsHtml: "/docs.html" } as const;

export const service = new Hono<AppEnv>();

// Healthy means able to serve: a setting that would fail every turn (configuration_error, 500) fails this too.
service.get("/healthz", (c) => {
  c.get("config")();
  return jsonResponse({ status: "ok" });
});

service.get("/openapi.json", async (c) =>
  c.body(await staticFile(c, STATIC_FILES.openApiJson), 200, { "content-type": "application/json" }),
);

// The content type c.html gave the page when it was a string in the bundle.
service.get("/docs", async (c) =>
  c.body(await staticFile(c, STATIC_FILES.docsHtml), 200, { "content-type": "text/html; charset=UTF-8", ...DOCS_PAGE_HEADERS }),
);

/**
 * A file's bytes from the static assets. The request is a plain GET of the file alone: none of the
 * caller's headers (If-None-Match, Range, Accept-Encoding) reach the asset server, so the answer is
 * always the whole file as written. A file missing is a broken deploy: a 500 (internal_error).
 */
async function staticFile(c: Context<AppEnv>, path: string): Promise<Uint8Array<ArrayBuffer>> {
  const file = await c.env.ASSETS.fetch(new Request(new URL(path, c.req.url)));
  if (file.status !== 200) throw new Error(`static asset ${path} answered ${file.status}`);
  return new Uint8Array(await file.arrayBuffer());
}

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

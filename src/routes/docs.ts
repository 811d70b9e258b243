/**
 * GET /openapi.json (the OpenAPI 3.1 document) and GET /docs (the same document as one readable,
 * self-contained HTML page: no scripts, no external assets, every text escaped). Public, like
 * /healthz: mount it before the caller middleware.
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import { openApiDocument } from "../openapi/document";
import { renderDocs } from "../openapi/page";

export const docs = new Hono<AppEnv>();

/** The page runs nothing and loads nothing: only its own inline styles. */
const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
};

docs.get("/openapi.json", (c) => c.json(openApiDocument()));

let page: string | undefined;
docs.get("/docs", (c) => c.html((page ??= renderDocs(openApiDocument())), 200, PAGE_HEADERS));

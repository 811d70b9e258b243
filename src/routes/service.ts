/**
 * GET /openapi.json (the OpenAPI document) and GET /docs (the same document in Scalar's API reference,
 * its bundle served as a static asset). Public, like /healthz: mount it before the caller middleware.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { openApiDocument } from "../openapi/document";
import { DOCS_PAGE_HEADERS, renderDocs } from "../openapi/page";

export const docs = new Hono<AppEnv>();

docs.get("/openapi.json", (c) => c.json(openApiDocument()));

let page: string | undefined;
docs.get("/docs", (c) => c.html((page ??= renderDocs(openApiDocument())), 200, DOCS_PAGE_HEADERS));

/**
 * The public routes (mounted before the caller middleware): GET /healthz, GET /openapi.json (the
 * OpenAPI document) and GET /docs (the same document in Scalar's API reference, its bundle served
 * as a static asset).
 */
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { openApiDocument } from "../openapi/document";
import { DOCS_PAGE_HEADERS, renderDocs } from "../openapi/page";

export const service = new Hono<AppEnv>();

service.get("/healthz", (c) => c.json({ status: "ok" }));

service.get("/openapi.json", (c) => c.json(openApiDocument()));

let page: string | undefined;
service.get("/docs", (c) => c.html((page ??= renderDocs(openApiDocument())), 200, DOCS_PAGE_HEADERS));

/** The public service routes: health and this documentation. */
import { schemaRef } from "./components";
import { response } from "./responses";
import type { PathItem, SecurityRequirement } from "./types";

const PUBLIC: SecurityRequirement[] = [];

export function servicePaths(): Record<string, PathItem> {
  return {
    "/healthz": {
      get: {
        operationId: "health",
        summary: "Health check",
        tags: ["Service"],
        security: PUBLIC,
        responses: { "200": response("The relay is up.", { "application/json": { schema: schemaRef("Health"), examples: { ok: { value: { status: "ok" } } } } }) },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openApiDocument",
        summary: "This OpenAPI 3.1 document",
        tags: ["Service"],
        security: PUBLIC,
        responses: { "200": response("The document.", { "application/json": { schema: { type: "object", description: "An OpenAPI 3.1 document." } } }) },
      },
    },
    "/docs": {
      get: {
        operationId: "docsPage",
        summary: "This document as a readable HTML page",
        tags: ["Service"],
        security: PUBLIC,
        responses: { "200": response("A self-contained HTML page (no scripts, no external assets).", { "text/html": { schema: { type: "string" } } }) },
      },
    },
  };
}

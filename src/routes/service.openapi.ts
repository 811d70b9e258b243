/** The public service routes: health and this documentation. */
import type { Ask } from "../openapi/answers";
import { schemaRef } from "../openapi/components";
import { problemResponse, response } from "../openapi/responses";
import type { PathItem, SecurityRequirement } from "../openapi/types";

const PUBLIC: SecurityRequirement[] = [];

export async function servicePaths(ask: Ask): Promise<Record<string, PathItem>> {
  return {
    "/healthz": {
      get: {
        operationId: "health",
        summary: "Health check",
        tags: ["Service"],
        security: PUBLIC,
        responses: {
          "200": response("The relay is up, and its settings let it serve turns.", {
            "application/json": { schema: schemaRef("Health"), examples: { ok: { value: { status: "ok" } } } },
          }),
          "500": problemResponse("A setting keeps the relay from serving any turn (every turn would answer this too).", [
            await ask("An unknown AUTH_MODE", { path: "/healthz", init: { method: "GET" }, bindings: { AUTH_MODE: "bogus" } }),
          ]),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openApiDocument",
        summary: "This OpenAPI 3.2 document",
        tags: ["Service"],
        security: PUBLIC,
        responses: {
          "200": response("The document.", { "application/json": { schema: { type: "object", description: "An OpenAPI 3.2 document." } } }),
        },
      },
    },
    "/docs": {
      get: {
        operationId: "docsPage",
        summary: "This document as an API reference page",
        tags: ["Service"],
        security: PUBLIC,
        responses: {
          "200": response(
            "The API reference page (Scalar), served with its script by the relay itself: it loads nothing from other origins.",
            { "text/html": { schema: { type: "string" } } },
          ),
        },
      },
    },
  };
}

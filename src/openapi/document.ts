/**
 * The OpenAPI 3.2 contract. Every body schema comes from the zod schemas in ../schemas.ts (see
 * components.ts); each route's contract (routes/*.openapi.ts) adds what only the routes know: paths, statuses, headers,
 * security and examples (errors as the relay answers them, see answers.ts). Built at build time
 * (`npm run contract`, into public/openapi.json), never in the Worker, which serves the generated text.
 */
import { version } from "../../package.json";
import { asking, type RelayApp } from "./answers";
import { components } from "./components";
import { interactionPaths } from "../routes/interactions.openapi";
import { servicePaths } from "../routes/service.openapi";
import { turnsPath } from "../routes/turns.openapi";
import type { OpenApiDocument, SecurityRequirement } from "./types";

const DESCRIPTION = `The caller keeps the conversation; the relay keeps nothing, and calls Gemini with \`store: false\`, so Google keeps no interaction either.

How a conversation goes:

- Turn 1: \`POST /v1/turns\` with \`model\`, \`tools\` and the user's \`input\`. The response's \`history\` is the whole transcript so far.
- Next turn: send that \`history\` back unchanged, with the new \`input\` (text, or \`function_result\` steps answering \`pending_calls\`), and the same \`tools\` and \`system_instruction\`: Gemini does not remember them between turns.
- Before the paid call, the relay checks the transcript: schema (400), retention (400 retention_refused), and what Gemini would fail on quietly (422 integrity_failed).

Existing apps on the official SDKs can instead point their base URL at the relay: \`POST /{version}/interactions\` takes Google's own request body and answers as Google does.

Errors on \`/v1/*\` are RFC 9457 problem details (\`application/problem+json\`, with a stable \`code\`); on the drop-in routes they are in Google's error shape. Every response carries \`Request-Id\`, \`Server-Timing\` and \`Relay-Retention\`. Any other path answers 404 not_found. Browser origins need the operator's CORS_ORIGINS.

Paths are relative to the relay's origin (with \`npm start\`: http://127.0.0.1:8787); the document names no server.

Authentication depends on the operator's AUTH_MODE: a relay token (\`tokens\`, the default) or a JWT from the app's backend (\`jwt\`), sent as \`Authorization: Bearer\` or in \`x-goog-api-key\`; or none at all (\`none\`, set explicitly).`;

/** The document, built afresh; its error examples are `app`'s answers (see answers.ts). */
export async function buildOpenApiDocument(app: RelayApp): Promise<OpenApiDocument> {
  const ask = asking(app);
  const credentialed: SecurityRequirement[] = [{ relayToken: [] }, { relayJwt: [] }, { googApiKey: [] }];
  return {
    openapi: "3.2.0",
    info: {
      title: "gemini-relay",
      version,
      summary: "A stateless edge relay for the Gemini Interactions API: callers keep the history, nobody else does.",
      description: DESCRIPTION,
    },
    // No `servers`: the default is this relay's own origin, which the reference page's try-it and
    // generated clients join with a path as they should (a `/` server made `//v1/turns`).
    tags: [
      { name: "Turns", description: "The relay's own API: one call per turn, the whole history each time." },
      { name: "Drop-in Interactions API", description: "Google's Interactions API routes, for the official SDKs pointed at the relay." },
      { name: "Service", description: "Health and this documentation; no authentication." },
    ],
    security: credentialed,
    paths: {
      "/v1/turns": await turnsPath(ask),
      ...(await interactionPaths(ask)),
      ...(await servicePaths(ask)),
    },
    components: components(),
  };
}

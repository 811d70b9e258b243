/**
 * GET /docs: the document in Scalar's API reference (a sidebar with search, a curl example for every
 * operation, schemas as expandable trees). Scalar's standalone bundle (a runtime dependency) comes
 * from the relay itself: a static asset on Workers (wrangler.toml [assets]), a route on Node
 * (src/node/server.ts); the page loads nothing from anywhere else, and its CSP holds it to that.
 * The page is rendered at build time (build.ts); the Worker reads only the constants above renderDocs.
 */
import type { OpenApiDocument } from "./types";

/** Where the relay serves Scalar's standalone bundle (on Workers, the one file of public/ served without running the Worker). */
export const REFERENCE_BUNDLE = "/standalone.js";

/** Same origin only; Scalar writes its styles inline. A literal: nothing here runs when the Worker starts. */
export const DOCS_PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Scalar's options: offline (no hosted fonts, no telemetry, no AI agent), curl first, the document's own servers. */
const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  documentDownloadType: "json",
  hideModels: false,
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The page: a mount point that names the document (relative, so a relay behind a path prefix works), the bundle, and no favicon to fetch. */
export function renderDocs(doc: OpenApiDocument): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}: API reference</title>
<link rel="icon" href="data:,">
</head>
<body>
<noscript>This reference needs JavaScript. The same contract as JSON: <a href="openapi.json">openapi.json</a>.</noscript>
<div id="api-reference" data-url="openapi.json" data-configuration="${escapeHtml(JSON.stringify(SCALAR_CONFIGURATION))}"></div>
<script src="${REFERENCE_BUNDLE.slice(1)}"></script>
</body>
</html>
`;
}

// The generated files are what `npm run contract` makes now: a schema, a route's contract, an error
// message or a row of the request-field table changed without it fails here. The contract's files
// (public/openapi.json, public/docs.html) are static assets, not in the Worker's bundle: GET
// /openapi.json and GET /docs answer their bytes, through the middleware, with the headers the
// routes always had (test/node/static-assets.test.ts checks the same on both runtimes' processes).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { GEMINI_CONTENT_TYPES, GEMINI_REQUEST_FIELDS, GEMINI_STEP_TYPES } from "../../packages/emulator/src/fields";
import { GEMINI_FIELDS } from "../../src/fields";
import { CONTENT_TYPES, INPUT_STEP_TYPES } from "../../src/schemas";
import { buildContract } from "../../src/openapi/build";
import { DOCS_PAGE_HEADERS } from "../../src/openapi/page";
import { STATIC_FILES } from "../../src/routes/service";
import { problemOf, relayWithEmulator } from "../helpers";

/** A file of public/ as the Worker's ASSETS binding holds it (wrangler.toml [assets]). */
async function asset(path: string): Promise<Uint8Array> {
  const res = await env.ASSETS.fetch(new Request(`https://relay.test${path}`));
  expect(res.status, `public${path} is missing: run \`npm run contract\``).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("public/openapi.json and public/docs.html", () => {
  it("are what `npm run contract` builds now (run it after changing a schema, a route's contract or an error)", async () => {
    const built = await buildContract(relayWithEmulator().app);
    const [json, html] = [text(await asset(STATIC_FILES.openApiJson)), text(await asset(STATIC_FILES.docsHtml))];
    expect(JSON.parse(json), "the OpenAPI document is stale: run `npm run contract`").toEqual(JSON.parse(built.openApiJson));
    expect(json).toBe(built.openApiJson);
    expect(html, "the /docs page is stale: run `npm run contract`").toBe(built.docsHtml);
  });

  it("are served byte for byte, through the middleware, under the routes' own headers", async () => {
    const relay = relayWithEmulator({ CORS_ORIGINS: "https://app.test" });
    // The asset server answers 304 to its own ETag: the caller's conditions must not reach it.
    const etag = async (path: string) => (await env.ASSETS.fetch(new Request(`https://relay.test${path}`))).headers.get("etag")!;
    const request = async (path: string, file: string) =>
      relay.app.request(
        path,
        { headers: { origin: "https://app.test", "if-none-match": await etag(file), range: "bytes=0-9" } },
        { ...relay.env, ASSETS: env.ASSETS },
      );
    const json = await request("/openapi.json", STATIC_FILES.openApiJson);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(new Uint8Array(await json.arrayBuffer())).toEqual(await asset(STATIC_FILES.openApiJson));
    const page = await request("/docs", STATIC_FILES.docsHtml);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(Object.fromEntries(Object.keys(DOCS_PAGE_HEADERS).map((name) => [name, page.headers.get(name)]))).toEqual(DOCS_PAGE_HEADERS);
    expect(new Uint8Array(await page.arrayBuffer())).toEqual(await asset(STATIC_FILES.docsHtml));
    for (const res of [json, page]) {
      // The middleware ran: the relay's request id and CORS; none of the asset server's own headers leak.
      expect(res.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("access-control-allow-origin")).toBe("https://app.test");
      expect(res.headers.get("etag")).toBeNull();
    }
  });

  it("missing from the assets (a broken deploy), answer the relay's 500 internal_error, naming nothing", async () => {
    const relay = relayWithEmulator();
    const missing = { fetch: async () => new Response(null, { status: 404 }) };
    for (const path of ["/openapi.json", "/docs"]) {
      const res = await relay.app.request(path, {}, { ...relay.env, ASSETS: missing });
      expect(res.status, path).toBe(500);
      const problem = await problemOf(res);
      expect(problem.code, path).toBe("internal_error");
      expect(JSON.stringify(problem), path).not.toContain("static asset");
    }
  });
});

describe("packages/emulator/src/fields.ts", () => {
  it("lists the Gemini fields of the relay's table (run `npm run contract` after editing src/fields.ts)", () => {
    expect(GEMINI_REQUEST_FIELDS).toEqual(GEMINI_FIELDS);
  });

  it("lists the relay's step and content types (run `npm run contract` after editing src/schemas.ts)", () => {
    expect(GEMINI_STEP_TYPES).toEqual(INPUT_STEP_TYPES);
    expect(GEMINI_CONTENT_TYPES).toEqual(CONTENT_TYPES);
  });
});

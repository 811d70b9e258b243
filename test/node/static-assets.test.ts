// The contract's files are static assets (public/, written by `npm run contract`), served by the
// relay's routes on both runtimes as whole processes: workerd (`wrangler dev`, wrangler.toml's
// [assets] and run_worker_first) and Node (`npm run serve`, public/ read from disk). The bytes are
// the files', the headers the routes' own, and a path naming a file in public/ (or in the directory
// the assets came from before) is the relay's 404, never the file: only Scalar's bundle is served as is.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCS_PAGE_HEADERS } from "../../src/openapi/page";
import { startNode, startWorkerd, type Runtime } from "./runtimes";

const SETTINGS = { GEMINI_API_KEY: "static-assets-key", GEMINI_BASE_URL: "http://127.0.0.1:9", AUTH_MODE: "none" };
const runtimes: Runtime[] = [];

beforeAll(async () => {
  const started = await Promise.allSettled([startNode(SETTINGS), startWorkerd(SETTINGS)]);
  for (const result of started) if (result.status === "fulfilled") runtimes.push(result.value);
  for (const result of started) if (result.status === "rejected") throw result.reason;
});

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.stop()));
});

/** Whether a response's body is exactly public/<name> (Buffer's compare: a 3.5 MB bundle in milliseconds). */
const isFile = async (res: Response, name: string) => Buffer.from(await res.arrayBuffer()).equals(await readFile(`public/${name}`));

describe.each(["node", "workerd"])("%s", (name) => {
  const url = (path: string) => `${runtimes.find((runtime) => runtime.name === name)!.url}${path}`;

  it("answers GET /openapi.json and GET /docs with the files' bytes under the routes' headers", async () => {
    const json = await fetch(url("/openapi.json"));
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.headers.get("request-id")).toBeTruthy();
    expect(await isFile(json, "openapi.json")).toBe(true);
    const page = await fetch(url("/docs"));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    expect(page.headers.get("content-security-policy")).toBe(DOCS_PAGE_HEADERS["content-security-policy"]);
    expect(page.headers.get("request-id")).toBeTruthy();
    expect(await isFile(page, "docs.html")).toBe(true);
  });

  it("answers 404 from the relay for a path that names a file in public/ but is none of its routes", async () => {
    for (const path of ["/docs.html", "/openapi.json/", "/docs/", "/public/openapi.json", "/webpack-stats.json", "/.assetsignore"]) {
      const res = await fetch(url(path));
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
      expect(res.headers.get("request-id"), path).toBeTruthy();
      await res.body?.cancel();
    }
  });

  it("serves Scalar's bundle, the /docs page's one script", async () => {
    const res = await fetch(url("/standalone.js"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    expect(await isFile(res, "standalone.js")).toBe(true);
  });
});

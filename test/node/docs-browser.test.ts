// GET /docs as a user opens it: in a real browser (Debian's chromium, headless, driven by
// playwright-core), on both runtimes: the Node entry (`npm run serve`) and workerd (`wrangler dev`),
// each with caller auth on (AUTH_MODE=tokens) and the emulator as its upstream. The page and its
// Scalar bundle load without a token and without errors, try-it sends a real turn, and a page on
// another origin streams a turn with @gemini-relay/client through the relay's CORS.
//
// Chromium comes from scripts/install-browser.sh (CI runs it before `npm test`). Where it is absent,
// the browser checks skip, saying so; in CI (CI set) they run and fail instead.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveEmulator, type ServedEmulator } from "./node-relay";
import { startNode, startWorkerd, type Runtime } from "./runtimes";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browserMissing = !existsSync(CHROMIUM) && !process.env.CI;
const root = join(import.meta.dirname, "../..");
const TOKEN = "docs-browser-token-0123456789abcdef01";
const MODEL = "gemini-3.5-flash";
const TURNS_TITLE = "Run one turn of a conversation the caller keeps";

let upstream: ServedEmulator;
let app: { origin: string; server: Server };
const runtimes: Runtime[] = [];

/** The relay's settings on both runtimes: tokens mode, the emulator upstream, the app page's origin allowed by CORS. */
const relayEnv = () => ({
  AUTH_MODE: "tokens",
  RELAY_TOKENS: TOKEN,
  GEMINI_BASE_URL: upstream.url,
  GEMINI_API_KEY: "docs-browser-key",
  UPSTREAM_MAX_RETRIES: "0",
  CORS_ORIGINS: app.origin,
});

beforeAll(async () => {
  [upstream, app] = await Promise.all([serveEmulator(), serveClientApp()]);
  const started = await Promise.allSettled([startNode(relayEnv()), startWorkerd(relayEnv())]);
  for (const result of started) if (result.status === "fulfilled") runtimes.push(result.value);
  for (const result of started) if (result.status === "rejected") throw result.reason;
});

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.stop()));
  await new Promise((resolve) => app?.server.close(resolve));
  // Every create the browser's turns caused carried store: false.
  const creates = upstream?.emulator.requests.filter((r) => r.method === "POST" && r.path.endsWith("/interactions")) ?? [];
  expect(creates.filter((r) => (r.body as { store?: unknown }).store !== false)).toEqual([]);
  await upstream?.close();
});

/** A browser app on its own origin: one page, and the built client's ESM files under /client/. */
async function serveClientApp(): Promise<{ origin: string; server: Server }> {
  const dist = join(root, "packages/client/dist");
  const server = createServer((request, response) => {
    const path = new URL(request.url!, "http://app").pathname;
    const file = /^\/client\/([\w-]+\.js)$/.exec(path)?.[1];
    if (path === "/") {
      response
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end('<!doctype html><title>app</title><link rel="icon" href="data:,">');
    } else if (file) {
      readFile(join(dist, file)).then(
        (body) => response.writeHead(200, { "content-type": "text/javascript" }).end(body),
        () => response.writeHead(404).end(),
      );
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each([["node"], ["workerd"]])("GET /docs and its bundle over HTTP, no token: %s", (name) => {
  const runtime = () => runtimes.find((r) => r.name === name)!;

  it("serves the page and Scalar's bundle without auth; the bundle is cacheable JavaScript", async () => {
    const page = await fetch(`${runtime().url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="standalone.js">');
    const bundle = await fetch(`${runtime().url}/standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(bundle.headers.get("cache-control")).not.toMatch(/no-store/);
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
    // A revalidation costs nothing (Workers' assets and the Node route both send an ETag).
    const etag = bundle.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect((await fetch(`${runtime().url}/standalone.js`, { headers: { "if-none-match": etag } })).status).toBe(304);
    // The API itself still asks for the token.
    expect((await fetch(`${runtime().url}/v1/turns`, { method: "POST", body: "{}" })).status).toBe(401);
  });
});

describe.skipIf(browserMissing)(
  browserMissing ? `GET /docs in Chromium (skipped: no browser at ${CHROMIUM}; run scripts/install-browser.sh)` : "GET /docs in Chromium",
  () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // playwright gives each launch a fresh profile (its own --user-data-dir) and removes it on close.
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    /** A fresh page that records what a user would see go wrong: errors, warnings, failed loads, other origins. */
    async function watchedPage(origin: string, relay = origin): Promise<{ page: Page; problems: string[]; loaded: Promise<void> }> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems: string[] = [];
      let documentLoaded!: () => void;
      const loaded = new Promise<void>((resolve) => (documentLoaded = resolve));
      page.on("console", (message) => {
        // Scalar logs "addDocument: N ms" once it has read (and validated) the document.
        if (/^addDocument/.test(message.text())) documentLoaded();
        if (message.type() === "error" || message.type() === "warning") problems.push(`console.${message.type()}: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`exception: ${error.message}`));
      page.on("requestfailed", (request) => problems.push(`failed (${request.failure()?.errorText}): ${request.url()}`));
      page.on("request", (request) => {
        const url = request.url();
        if (![origin, relay].some((allowed) => url.startsWith(`${allowed}/`)) && !/^(data|blob):/.test(url))
          problems.push(`another origin: ${url}`);
      });
      page.on("response", (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
      });
      return { page, problems, loaded };
    }

    describe.each([["node"], ["workerd"]])("%s", (name) => {
      const runtime = () => runtimes.find((r) => r.name === name)!;

      it("renders the reference with no console errors, from the relay's own origin only", async () => {
        const { page, problems, loaded } = await watchedPage(runtime().url);
        try {
          await page.goto(`${runtime().url}/docs`);
          await page.getByText(TURNS_TITLE).first().waitFor();
          await loaded;
          expect(problems).toEqual([]);
        } finally {
          await page.close();
        }
      });

      it("try-it: Scalar's Test Request sends POST /v1/turns, with the token, and shows the emulator's answer", async () => {
        const { page, problems } = await watchedPage(runtime().url);
        try {
          await page.goto(`${runtime().url}/docs`);
          await page
            .getByRole("button", { name: /Test Request/ })
            .first()
            .click();
          await page.getByPlaceholder("Token").filter({ visible: true }).first().fill(TOKEN);
          const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/v1/turns");
          await page.getByRole("button", { name: /Send post request/ }).click();
          const response = await answered;
          expect(response.request().headers()["authorization"]).toBe(`Bearer ${TOKEN}`);
          expect(response.status()).toBe(200);
          const body = (await response.json()) as { status: string; history: { type: string }[] };
          expect(body.status).toBe("requires_action");
          expect(body.history.at(-1)!.type).toBe("function_call");
          await page.getByText("200 OK").first().waitFor();
          expect(problems).toEqual([]);
        } finally {
          await page.close();
        }
      });

      it("a page on another origin streams a turn with @gemini-relay/client (CORS); an origin not listed is refused", async () => {
        const { page, problems } = await watchedPage(app.origin, runtime().url);
        try {
          await page.goto(`${app.origin}/`);
          const streamed = await streamInPage(page, runtime().url);
          expect(streamed.error).toBeUndefined();
          expect(streamed.events).toContain("text.delta");
          expect(streamed.events.at(-1)).toBe("turn.completed");
          expect(streamed.text).toContain("streamed in a browser");
          expect(streamed.outputText).toBe(streamed.text);
          expect(streamed.history).toEqual(["user_input", "model_output"]);
          // The client stops reading at turn.completed and aborts the request, which may still be open.
          expect(problems.filter((problem) => !problem.startsWith("failed (net::ERR_ABORTED)"))).toEqual([]);

          // The same page under another name is another origin, which CORS_ORIGINS does not list.
          await page.goto(`${app.origin.replace("127.0.0.1", "localhost")}/`);
          const refused = await streamInPage(page, runtime().url);
          expect(refused.error).toBe("RelayConnectionError");
        } finally {
          await page.close();
        }
      });
    });
  },
);

interface Streamed {
  error?: string;
  events: string[];
  text: string;
  outputText?: string;
  history: string[];
}

/**
 * Runs in the page: imports the client from the app's own origin and streams one turn. Source text,
 * not a function: vitest would rewrite a function's `import()` into a helper the page lacks.
 */
function streamInPage(page: Page, baseUrl: string): Promise<Streamed> {
  return page.evaluate(`(async () => {
    const { createRelayClient } = await import("/client/index.js");
    const client = createRelayClient({ baseUrl: ${JSON.stringify(baseUrl)}, token: ${JSON.stringify(TOKEN)}, maxRetries: 0 });
    const result = { events: [], text: "", history: [] };
    try {
      for await (const event of client.streamTurn({ model: ${JSON.stringify(MODEL)}, input: "streamed in a browser" })) {
        if (result.events.at(-1) !== event.type) result.events.push(event.type);
        if (event.type === "text.delta") result.text += event.text;
        if (event.type === "turn.completed") {
          result.outputText = event.result.output_text;
          result.history = event.result.history.map((step) => step.type);
        }
      }
    } catch (err) {
      result.error = err.name;
    }
    return result;
  })()`);
}

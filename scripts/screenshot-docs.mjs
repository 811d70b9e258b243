#!/usr/bin/env node
// Screenshots of GET /docs at desktop and phone widths, in headless Chromium driven over the DevTools
// protocol, from the relay as `wrangler dev` serves it (the page and its Scalar bundle, offline).
// Not part of `npm test`: CI has no Chromium. Needs it installed (Debian: `apt-get install -y chromium`).
//
//   node scripts/screenshot-docs.mjs            # writes docs/screenshots/*.png
//   CHROMIUM=/path/to/chrome node scripts/screenshot-docs.mjs
//
// Fails when the page asks for anything from another origin, logs an error, or breaks its CSP, so the
// pictures are never of a page that only half loaded.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Node 20 has the WebSocket client behind a flag: run again with it.
if (typeof WebSocket === "undefined") {
  const again = spawn(process.execPath, ["--experimental-websocket", "--no-warnings", ...process.argv.slice(1)], { stdio: "inherit" });
  again.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const port = Number(process.env.DOCS_PORT ?? 18790);
  const origin = `http://127.0.0.1:${port}`;
  const outDir = join(root, "docs/screenshots");
  mkdirSync(outDir, { recursive: true });

  /** The page as it opens, its menu on a phone, and POST /v1/turns (picked in the sidebar) with its curl example. */
  const turns = "Run one turn of a conversation the caller keeps";
  const menu = "(?:Show sidebar|Open menu|Menu)";
  const shots = [
    { name: "docs-desktop", width: 1280, height: 800, clicks: [] },
    { name: "docs-desktop-turn", width: 1280, height: 800, clicks: [turns] },
    { name: "docs-phone", width: 390, height: 844, clicks: [] },
    { name: "docs-phone-menu", width: 390, height: 844, clicks: [menu] },
    { name: "docs-phone-turn", width: 390, height: 844, clicks: [menu, turns] },
  ];

  const relay = await start(
    process.execPath,
    [
      join(root, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--var",
      "AUTH_MODE:none",
      "--show-interactive-dev-session=false",
    ],
    /Ready on/,
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    },
  );
  const profile = mkdtempSync(join(tmpdir(), "docs-chromium-"));
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--hide-scrollbars",
  ];
  const browser = await start(
    process.env.CHROMIUM ?? "chromium",
    [...flags, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
    /DevTools listening on (ws:\S+)/,
  );
  let failed = false;
  try {
    const devtools = new URL(browser.match[1]).host;
    for (const shot of shots) {
      const { png, problems } = await photograph(devtools, origin, shot);
      const file = join(outDir, `${shot.name}.png`);
      writeFileSync(file, png);
      process.stdout.write(`docs/screenshots/${shot.name}.png  ${shot.width}x${shot.height}  ${png.length} bytes\n`);
      for (const problem of problems) process.stdout.write(`  PROBLEM ${problem}\n`);
      failed ||= problems.length > 0;
    }
  } finally {
    relay.child.kill("SIGTERM");
    const closed = new Promise((resolve) => browser.child.on("exit", resolve));
    browser.child.kill("SIGTERM");
    await closed;
    rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

/** Starts a process and resolves when its output matches `ready`. */
function start(command, args, ready, options = {}) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk) => {
      log += chunk;
      const match = log.match(ready);
      if (match) resolve({ child, match });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${command} exited (${code}):\n${log}`)));
  });
}

/** One page in a new tab: every request, console error and CSP report is recorded; then the picture. */
async function photograph(devtools, origin, { width, height, clicks }) {
  const target = await (await fetch(`http://${devtools}/json/new?about:blank`, { method: "PUT" })).json();
  const page = await connect(target.webSocketDebuggerUrl);
  const problems = [];
  page.on("Network.requestWillBeSent", ({ request }) => {
    if (!request.url.startsWith(`${origin}/`) && !/^(data|blob):/.test(request.url))
      problems.push(`request to another origin: ${request.url}`);
  });
  page.on("Network.responseReceived", ({ response }) => {
    if (response.status >= 400) problems.push(`${response.status} for ${response.url}`);
  });
  page.on("Runtime.consoleAPICalled", ({ type, args }) => {
    if (type === "error") problems.push(`console.error: ${args.map((a) => a.value ?? a.description).join(" ")}`);
  });
  page.on("Runtime.exceptionThrown", ({ exceptionDetails }) =>
    problems.push(`exception: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`),
  );
  page.on("Log.entryAdded", ({ entry }) => {
    if (entry.level === "error" || /Content Security Policy/.test(entry.text)) problems.push(`${entry.source}: ${entry.text}`);
  });
  for (const domain of ["Network", "Runtime", "Log", "Page"]) await page.send(`${domain}.enable`);
  await page.send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: width < 600 });
  await page.send("Page.navigate", { url: `${origin}/docs` });
  await until(
    page,
    "document.querySelector('#scalar-refs, .scalar-app, .references-layout') !== null && document.body.innerText.includes('gemini-relay')",
  );
  for (const text of clicks) {
    await click(page, text);
    await sleep(1500);
  }
  await sleep(1500);
  const { data } = await page.send("Page.captureScreenshot", { format: "png" });
  page.close();
  await fetch(`http://${devtools}/json/close/${target.id}`);
  return { png: Buffer.from(data, "base64"), problems };
}

/** Clicks the first visible button or link whose text (or label) starts with the pattern `text`, as a person would tap it. */
async function click(page, text) {
  const expression = `(() => {
    const label = (el) => (el.innerText.trim() || el.getAttribute('aria-label') || '');
    const target = [...document.querySelectorAll('button, a')].find((el) => el.getClientRects().length > 0 && new RegExp(${JSON.stringify("^" + text)}, 'i').test(label(el)));
    if (!target) return false;
    target.click();
    return true;
  })()`;
  await until(page, expression);
}

/** Evaluates `expression` in the page until it is true (at most 30 s). */
async function until(page, expression) {
  for (let i = 0; i < 120; i++) {
    const { result } = await page.send("Runtime.evaluate", { expression, returnByValue: true });
    if (result.value === true) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for: ${expression.slice(0, 200)}`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A minimal DevTools protocol session over one WebSocket. */
function connect(url) {
  const socket = new WebSocket(url);
  let nextId = 1;
  const pending = new Map();
  const listeners = new Map();
  socket.addEventListener("message", ({ data }) => {
    const message = JSON.parse(data);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(message.error.message));
      else resolve(message.result);
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  });
  const session = {
    send(method, params = {}) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, method, params }));
      return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    },
    on(method, listener) {
      listeners.set(method, [...(listeners.get(method) ?? []), listener]);
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve(session));
    socket.addEventListener("error", reject);
  });
}

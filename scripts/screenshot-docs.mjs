#!/usr/bin/env node
// Screenshots of GET /docs at desktop and phone widths, in headless Chromium, from the relay as
// `wrangler dev` serves it (the page and its Scalar bundle, offline). Not part of `npm test`: CI has
// no Chromium. Needs it installed (Debian: `apt-get install -y chromium`).
//
//   node scripts/screenshot-docs.mjs            # writes docs/screenshots/*.png
//   CHROMIUM=/path/to/chrome node scripts/screenshot-docs.mjs
//
// Fails when the page logs an error or a Content-Security-Policy violation (e.g. a request to
// another origin), so the pictures are never of a page that only half loaded.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const chromium = process.env.CHROMIUM ?? "chromium";
const port = Number(process.env.DOCS_PORT ?? 18790);
const base = `http://127.0.0.1:${port}`;
const outDir = `${root}docs/screenshots`;

/** What to photograph: the page as it opens, and one operation with its curl example. */
const SHOTS = [
  { name: "docs-desktop", width: 1280, height: 800, path: "/docs" },
  { name: "docs-desktop-turn", width: 1280, height: 800, path: "/docs#tag/turns/POST/v1/turns" },
  { name: "docs-phone", width: 390, height: 844, path: "/docs" },
  { name: "docs-phone-turn", width: 390, height: 844, path: "/docs#tag/turns/POST/v1/turns" },
];

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--hide-scrollbars",
  "--enable-logging=stderr",
  "--v=0",
  // Lets the page's scripts run (fetch the document, render) before the picture is taken.
  "--virtual-time-budget=15000",
];

function startRelay() {
  const wrangler = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
  const child = spawn(process.execPath, [wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), "--var", "AUTH_MODE:none", "--show-interactive-dev-session=false"], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk) => {
      log += chunk;
      if (/Ready on/.test(log)) resolve(child);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`wrangler dev exited (${code}):\n${log}`)));
  });
}

/** Console lines that mean the page did not load as it should. */
const PROBLEM = /Content Security Policy|Refused to|ERR_|Uncaught|Failed to load/i;

function shoot({ name, width, height, path }) {
  const file = `${outDir}/${name}.png`;
  const run = spawnSync(chromium, [...CHROMIUM_FLAGS, `--window-size=${width},${height}`, `--screenshot=${file}`, `${base}${path}`], { encoding: "utf8", timeout: 90_000 });
  if (run.error) throw new Error(`could not run ${chromium}: ${run.error.message}`);
  const console = (run.stderr ?? "").split("\n").filter((line) => line.includes("CONSOLE") || PROBLEM.test(line));
  const problems = console.filter((line) => PROBLEM.test(line));
  return { file, bytes: statSync(file).size, console, problems };
}

mkdirSync(outDir, { recursive: true });
const relay = await startRelay();
let failed = false;
try {
  for (const shot of SHOTS) {
    const { file, bytes, console, problems } = shoot(shot);
    process.stdout.write(`${file.slice(root.length)}  ${shot.width}x${shot.height}  ${bytes} bytes\n`);
    if (process.env.SHOW_CONSOLE) for (const line of console) process.stdout.write(`  ${line}\n`);
    for (const line of problems) process.stdout.write(`  PROBLEM ${line}\n`);
    failed ||= problems.length > 0;
  }
} finally {
  relay.kill("SIGTERM");
}
process.exit(failed ? 1 : 0);

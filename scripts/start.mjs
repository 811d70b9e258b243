#!/usr/bin/env node
// `npm start`: the relay on 127.0.0.1:8787 with the local Interactions API emulator as its upstream,
// offline, in one command. Two `wrangler dev` processes: the emulator, then the relay pointed at it
// through GEMINI_BASE_URL (the same setting an operator uses for an egress proxy).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const host = "127.0.0.1";
const relayPort = Number(process.env.RELAY_PORT ?? 8787);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 9000);
const emulatorUrl = `http://${host}:${emulatorPort}`;
const relayUrl = `http://${host}:${relayPort}`;

// Offline and quiet: no telemetry, no Request.cf lookup, no interactive hotkeys.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };
const wrangler = (args) =>
  spawn(process.execPath, [fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url)), "dev", ...args, "--ip", host, "--show-interactive-dev-session=false"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });

const children = [];
function stop(code = 0) {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

/** Starts one wrangler dev and resolves when it prints its "Ready on" line. */
function start(name, args) {
  return new Promise((resolve, reject) => {
    const child = wrangler(args);
    children.push(child);
    let log = "";
    const onData = (chunk) => {
      const text = chunk.toString();
      log += text;
      if (process.env.START_VERBOSE) process.stderr.write(`[${name}] ${text}`);
      if (/Ready on/.test(log)) resolve(child);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      reject(new Error(`${name} exited with code ${code} before it was ready:\n${log}`));
      stop(1);
    });
  });
}

try {
  await start("emulator", ["-c", "packages/emulator/wrangler.toml", "--port", String(emulatorPort)]);
  const relay = await start("relay", [
    "--port", String(relayPort),
    "--var", `GEMINI_BASE_URL:${emulatorUrl}`,
    "--var", "GEMINI_API_KEY:emulator-key",
    // Local and offline only: no caller auth. A deployed relay defaults to AUTH_MODE=tokens.
    "--var", "AUTH_MODE:none",
  ]);
  // From here on, show the relay's own log lines (request logs carry no content).
  relay.stdout.on("data", (chunk) => process.stdout.write(chunk));

  console.log(`
gemini-relay is running offline against the local Interactions API emulator.

  relay     ${relayUrl}        POST /v1/turns, POST /v1beta/interactions (drop-in), GET /docs
  emulator  ${emulatorUrl}        the upstream (POST /v1beta/interactions)

Try it:

  curl -s ${relayUrl}/v1/turns -H 'content-type: application/json' \\
    -d '{"model":"gemini-3.5-flash","input":"Hello!"}'

Or chat with the support-agent demo: npm run demo

Press Ctrl+C to stop.
`);
} catch (err) {
  console.error(String(err?.message ?? err));
  stop(1);
}

#!/usr/bin/env node
// `npm start`: the relay on 127.0.0.1:8787 with the local Interactions API emulator as its upstream,
// offline, in one command. Two `wrangler dev` processes, run by concurrently: the emulator, and the
// relay pointed at it through GEMINI_BASE_URL (the same setting an operator uses for an egress proxy).
// Each child leads a process group of its own, so a stop reaches everything it started, even a
// process that outlived its parent: wrangler's esbuild service, re-parented to init when wrangler is
// killed, still holds the child's output pipe, and while it lives the child never counts as closed.
// concurrently stops both groups on SIGINT/SIGTERM, and both when either exits; this script waits
// until both are ready, prints where they are, and says why when one could not start or stopped.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const host = "127.0.0.1";
const relayPort = Number(process.env.RELAY_PORT ?? 8787);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 9000);
const emulatorUrl = `http://${host}:${emulatorPort}`;
const relayUrl = `http://${host}:${relayPort}`;

const concurrently = await import("concurrently").catch(() => undefined);
if (!concurrently || !existsSync(wranglerBin)) {
  console.error(`npm start: the dependencies are not installed. Run \`npm install\` in ${root}, then \`npm start\` again.`);
  process.exit(1);
}

// Offline and quiet: no telemetry, no Request.cf lookup, no banner or update check (docs/development.md pins wrangler).
Object.assign(process.env, { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" });
const shellWord = (arg) => (/^[\w./:=@,+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`);
const wranglerDev = (args) =>
  [process.execPath, wranglerBin, "dev", ...args, "--ip", host, "--inspector-port", "0", "--show-interactive-dev-session=false"]
    .map(shellWord)
    .join(" ");
// Tamper-evident transcripts, when asked for: e.g. TRANSCRIPT_KEYS=dev:<32+ characters> npm start.
const transcriptVars = ["TRANSCRIPT_KEYS", "TRANSCRIPT_MODE", "TRANSCRIPT_ALLOW_DROP_IN"]
  .filter((name) => process.env[name])
  .flatMap((name) => ["--var", `${name}:${process.env[name]}`]);

const children = [
  {
    name: "emulator",
    command: wranglerDev(["-c", "packages/emulator/wrangler.toml", "--port", String(emulatorPort)]),
    port: emulatorPort,
    portVariable: "EMULATOR_PORT",
  },
  {
    name: "relay",
    command: wranglerDev([
      "--port",
      String(relayPort),
      "--var",
      `GEMINI_BASE_URL:${emulatorUrl}`,
      "--var",
      "GEMINI_API_KEY:emulator-key",
      // Local and offline only: no caller auth. A deployed relay defaults to AUTH_MODE=tokens.
      "--var",
      "AUTH_MODE:none",
      ...transcriptVars,
    ]),
    port: relayPort,
    portVariable: "RELAY_PORT",
  },
];

// Both ports checked before anything starts, so a user with both taken hears about both at once
// (wrangler would report only the first to fail). A port taken between this check and wrangler's
// start is still caught below, from workerd's own message.
const busy = [];
for (const child of children) if (await isTaken(child.port)) busy.push(child);
if (busy.length > 0) {
  const lines = busy.map((child) => `npm start: the ${child.name} could not start: ${portInUse(child, `${host}:${child.port}`)}\n`);
  // Exits once the lines are written: stderr to a pipe is asynchronous.
  await new Promise((resolve) => process.stderr.write(lines.join(""), resolve));
  process.exit(1);
}

// concurrently's core, without its prefixed log (replaced by the messages below), with each child in a
// process group of its own and every kill sent to the whole group.
const { createConcurrently, KillOnSignal, KillOthers, Logger } = concurrently;
const { commands, result } = createConcurrently(
  children.map(({ name, command }) => ({ name, command, cwd: root })),
  {
    spawn: (command, options) => spawn("/bin/sh", ["-c", command], { ...options, detached: true }),
    kill: (pid, signal) => signalGroup(pid, signal ?? "SIGTERM"),
    controllers: [new KillOnSignal({ process }), new KillOthers({ logger: new Logger({}), conditions: ["failure", "success"] })],
  },
);
/** Each child's process group: its id is the child's pid. */
const groups = commands.map((command) => command.pid);

let stopping = false;
let exitCode = 0;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    stopAll();
  });
}

/** workerd's words when the port it was given is taken. */
const ADDRESS_IN_USE = /Address already in use \(([^)]+)\)/;

const state = new Map(children.map((child) => [child.name, { ...child, ready: false, log: "" }]));
for (const command of commands) {
  const child = state.get(command.name);
  const onOutput = (chunk) => {
    const text = chunk.toString();
    // Kept for the message if the child stops: all of it while starting, the tail of what came after.
    child.log = (child.log + text).slice(child.ready ? -8192 : 0);
    if (child.ready) {
      // The relay's request log lines (content-free), as before.
      if (child.name === "relay") process.stdout.write(text);
    } else if (/Ready on/.test(child.log)) {
      child.ready = true;
      child.log = "";
      if ([...state.values()].every((c) => c.ready)) printBanner();
    } else if (ADDRESS_IN_USE.test(child.log)) {
      // wrangler may stay up after its runtime could not listen, waiting for a change: this start failed.
      failed(child, "its port is taken");
    }
  };
  command.stdout.subscribe(onOutput);
  command.stderr.subscribe(onOutput);
  // The process's exit, not concurrently's close: close waits for the output pipes, which a left-over
  // process may hold open until its group is killed.
  command.process.once("exit", (code, signal) => failed(child, code !== null ? `exit code ${code}` : `killed by ${signal}`));
}

/** A child stopped or could not start: says why, once, and makes sure everything ends (exit 1). */
function failed(child, ending) {
  if (stopping || exitCode !== 0) return;
  exitCode = 1;
  stopAll();
  const others = children.filter((c) => c.name !== child.name).map((c) => c.name);
  console.error(`npm start: the ${child.name} ${child.ready ? `stopped (${ending})` : "could not start"}: ${reasonFrom(child)}`);
  console.error(`npm start: stopping the ${others.join(" and ")} too.`);
}

await result.catch(() => {});
await allGone();
// Not process.exit(): the messages above may still be on their way through a pipe.
process.exitCode = stopping ? 0 : exitCode || 1;

/** SIGTERM to every group; a child still starting up may not act on it, so after 10 s, SIGKILL. */
function stopAll() {
  for (const group of groups) signalGroup(group, "SIGTERM");
  setTimeout(() => groups.forEach((group) => signalGroup(group, "SIGKILL")), 10_000).unref();
}

/** Sends `signal` to every process in the group; false when none is left. */
function signalGroup(group, signal) {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

/** Waits until every group is empty (a process left over from a child is part of it); after 10 s, kills the rest. */
async function allGone() {
  for (let waited = 0; waited < 10_000 && groups.some((group) => signalGroup(group, 0)); waited += 100) await sleep(100);
  for (const group of groups) signalGroup(group, "SIGKILL");
}

/** Wrangler's own error line, made specific when the port is taken; else the last lines it printed. */
function reasonFrom(child) {
  const lines = stripVTControlCharacters(child.log)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const error = lines.findLast((line) => /\[ERROR\]/.test(line))?.replace(/^.*\[ERROR\]\s*/, "");
  const busy = ADDRESS_IN_USE.exec(child.log);
  if (busy) return portInUse(child, busy[1]);
  return error ?? (lines.length > 0 ? `its last output was:\n  ${lines.slice(-10).join("\n  ")}` : "it printed nothing more.");
}

function portInUse(child, address) {
  return `${address} is already in use. Stop what listens there, or pick a free port with ${child.portVariable}=<port> npm start.`;
}

/** Whether something already listens on host:port (a listen there fails with EADDRINUSE); other errors are wrangler's to report. */
function isTaken(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (err) => resolve(err.code === "EADDRINUSE"));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

function printBanner() {
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
}

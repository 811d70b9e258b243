#!/usr/bin/env node
// `npm start`: the relay on 127.0.0.1:8787 with the local Interactions API emulator as its upstream,
// offline, in one command. Two `wrangler dev` processes, run by concurrently: the emulator, and the
// relay pointed at it through GEMINI_BASE_URL (the same setting an operator uses for an egress proxy).
// concurrently stops both process trees (workerd included) on SIGINT/SIGTERM, and both when either
// exits; this script waits until both are ready, prints where they are, and says why when one could
// not start or stopped.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const host = "127.0.0.1";
const relayPort = Number(process.env.RELAY_PORT ?? 8787);
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 9000);
const emulatorUrl = `http://${host}:${emulatorPort}`;
const relayUrl = `http://${host}:${relayPort}`;

const concurrently = await import("concurrently").then(
  (module) => module.concurrently,
  () => undefined,
);
if (!concurrently || !existsSync(wranglerBin)) {
  console.error(`npm start: the dependencies are not installed. Run \`npm install\` in ${root}, then \`npm start\` again.`);
  process.exit(1);
}

// Offline and quiet: no telemetry, no Request.cf lookup, no banner or update check (the README pins wrangler).
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
    portVariable: "RELAY_PORT",
  },
];

// concurrently's own prefixed log is replaced by the messages below.
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
const { commands, result } = concurrently(
  children.map(({ name, command }) => ({ name, command, cwd: root })),
  { killOthersOn: ["failure", "success"], outputStream: discard, handleInput: false },
);

let stopping = false;
let exitCode = 0;
/** The processes to see gone before exiting, read when the stop began (concurrently is killing them now). */
let stoppingProcesses = [];
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    stoppingProcesses = descendants();
  });
}

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
    }
  };
  command.stdout.subscribe(onOutput);
  command.stderr.subscribe(onOutput);
  command.close.subscribe(({ exitCode: code }) => {
    if (stopping || exitCode !== 0) return;
    exitCode = 1;
    stoppingProcesses = descendants();
    // A child still starting up may not act on SIGTERM yet: after 10 s the rest is killed, so npm start always ends.
    setTimeout(() => killAll(stoppingProcesses), 10_000).unref();
    const others = children.filter((c) => c.name !== child.name).map((c) => c.name);
    const ending = typeof code === "number" ? `exit code ${code}` : `killed by ${code}`;
    console.error(`npm start: the ${child.name} ${child.ready ? `stopped (${ending})` : "could not start"}: ${reasonFrom(child)}`);
    console.error(`npm start: stopping the ${others.join(" and ")} too.`);
  });
}

await result.catch(() => {});
await allGone(stoppingProcesses);
// Not process.exit(): the messages above may still be on their way through a pipe.
process.exitCode = stopping ? 0 : exitCode || 1;

/** Every process under this one (shells, wrangler, workerd), from ps; none where ps is missing. */
function descendants() {
  let table;
  try {
    table = execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" });
  } catch {
    return [];
  }
  const rows = table
    .trim()
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of rows) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(process.pid);
  return [...found];
}

/** Waits until every one of `pids` has exited (wrangler stops its workerd on SIGTERM); after 10 s, kills the rest. */
async function allGone(pids) {
  const running = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; waited < 10_000 && pids.some(running); waited += 100) await sleep(100);
  killAll(pids);
}

/** SIGKILL to each of `pids` still running. */
function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Wrangler's own error line, made specific when the port is taken; else the last lines it printed. */
function reasonFrom(child) {
  const lines = stripVTControlCharacters(child.log)
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const error = lines.findLast((line) => /\[ERROR\]/.test(line))?.replace(/^.*\[ERROR\]\s*/, "");
  const busy = /Address already in use \(([^)]+)\)/.exec(child.log);
  if (busy)
    return `${busy[1]} is already in use. Stop what listens there, or pick a free port with ${child.portVariable}=<port> npm start.`;
  return error ?? (lines.length > 0 ? `its last output was:\n  ${lines.slice(-10).join("\n  ")}` : "it printed nothing more.");
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

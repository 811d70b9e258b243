/**
 * The processes a soak runs against: the emulator and the relay under `wrangler dev` (as
 * `npm start` runs them), and the relay's Node entry when the project has one. Loopback only;
 * every process started here is stopped by pid, and so are its descendants.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { allProcesses, processStat } from "../procfs";

export const HOST = "127.0.0.1";
export const UPSTREAM_KEY = "soak-key-0123456789";

/** Offline and quiet: no telemetry, no Request.cf lookup. */
const QUIET_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

export interface Launched {
  name: string;
  url: string;
  /** The process started (its descendants are stopped with it). */
  pid: number;
  /** The process whose memory is the relay's (workerd running the worker, or the Node entry). */
  memoryPid?: number;
  /** An inspector (wrangler's proxy, or workerd's own) for heap readings, when there is one. */
  inspectorPort?: number;
  /** The inspector target of the relay's isolate, when the inspector lists more than one. */
  inspectorTarget?: string;
  /** The orderly way to stop it, tried before signals (Miniflare's dispose). */
  dispose?(): Promise<void>;
  /** Everything the process printed (kept short). */
  output(): string;
  /** How often wrangler said it reloaded the worker (each reload fails the requests in flight with 503); undefined without wrangler. */
  reloads?(): number;
  /** Lines printed so far that carry a "request_id" (the relay's request log lines). */
  requestLogLines(): number;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Where the emulator's wrangler config lives (it may move from src/emulator to packages/emulator). */
export function findEmulatorConfig(root: string): string {
  for (const dir of ["src/emulator", "packages/emulator"]) {
    const config = join(root, dir, "wrangler.toml");
    if (existsSync(config)) return config;
  }
  throw new Error("no emulator found (looked for src/emulator/wrangler.toml and packages/emulator/wrangler.toml)");
}

/**
 * The relay's wrangler.toml for the soak, written to `dir`: the same worker, minus the per-caller
 * rate limit binding (wrangler dev simulates it at 120 requests a minute, which would be all the
 * load test measured; its behaviour has tests of its own).
 */
export function soakRelayConfig(root: string, dir: string): string {
  const original = readFileSync(join(root, "wrangler.toml"), "utf8");
  const withoutRateLimit = original.replace(/^\[\[ratelimits\]\][\s\S]*?(?=^\[|(?![\s\S]))/gm, "");
  const main = /^main\s*=\s*"([^"]+)"/m.exec(withoutRateLimit)?.[1];
  if (!main) throw new Error("wrangler.toml has no main");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "wrangler.soak.toml");
  // Paths in the copy are made absolute: it lives in another folder than the original.
  const absolute = withoutRateLimit
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(root, main))}`)
    .replace(/^(directory\s*=\s*)"([^"]+)"/m, (_, key: string, path: string) => `${key}${JSON.stringify(join(root, path))}`);
  writeFileSync(file, absolute);
  return file;
}

/**
 * The relay's settings for the soak, whatever runs it: `upstream` (the tap) as Gemini, no caller auth
 * (loopback only), every other setting at its default (a shorter body timeout, 5 s, failed 5 MB
 * turns on a busy machine: 408 while their bodies were still being read).
 */
export function soakRelayVars(upstream: string): Record<string, string> {
  return { GEMINI_BASE_URL: upstream, GEMINI_API_KEY: UPSTREAM_KEY, AUTH_MODE: "none" };
}

/** All descendants of a process (children, grandchildren, ...), with their command names. */
export function descendants(pid: number): Map<number, string> {
  const processes = allProcesses();
  const found = new Map<number, string>();
  let frontier = new Set([pid]);
  while (frontier.size > 0) {
    const next = new Set<number>();
    for (const [child, { ppid, comm }] of processes) {
      if (frontier.has(ppid) && !found.has(child)) {
        found.set(child, comm);
        next.add(child);
      }
    }
    frontier = next;
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/**
 * wrangler dev runs two workerd processes: one serves the public port (its proxy in front of the
 * worker, and the inspector proxy), the other runs the worker itself on an ephemeral port. The
 * latter's memory is the relay's.
 */
function workerWorkerd(wranglerPid: number, publicPort: number): number | undefined {
  const workerds = [...descendants(wranglerPid)].filter(([, comm]) => comm === "workerd").map(([pid]) => pid);
  return workerds.find((pid) => !commandLine(pid).includes(`entry=${HOST}:${publicPort} `));
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  onOutput: (listener: (all: string) => void) => void;
  reloads: () => number;
  requestLogLines: () => number;
}

function spawnLogged(name: string, command: string, args: string[], cwd: string, env: Record<string, string>): Spawned {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...QUIET_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  let reloads = 0;
  let requestLogLines = 0;
  let partial = "";
  const listeners: ((all: string) => void)[] = [];
  const onData = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!.slice(0, 1_000);
    for (const line of lines) {
      if (line.includes("Reloading local server")) reloads++;
      if (line.includes('"request_id"')) requestLogLines++;
    }
    // Keep the head (startup) and a tail; the relay's request lines are many and content-free.
    log = log.length < 64_000 ? log + chunk.toString() : log.slice(0, 32_000) + log.slice(-16_000) + chunk.toString();
    if (process.env.SOAK_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    for (const listener of listeners) listener(log);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  return {
    child,
    output: () => log,
    onOutput: (listener) => listeners.push(listener),
    reloads: () => reloads,
    requestLogLines: () => requestLogLines,
  };
}

function exitedBeforeReady(name: string, child: ChildProcess, output: () => string): Promise<never> {
  return new Promise((_, reject) =>
    child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${output().slice(-2000)}`))),
  );
}

/** `wrangler dev -c <config>` on a free loopback port; resolves on its "Ready on" line. */
export async function startWranglerDev(name: string, root: string, config: string, vars: Record<string, string>): Promise<Launched> {
  const port = await freePort();
  const inspectorPort = await freePort();
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const args = [
    join(root, "node_modules/wrangler/bin/wrangler.js"),
    "dev",
    "-c",
    config,
    "--ip",
    HOST,
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--show-interactive-dev-session=false",
    ...varArgs,
  ];
  const { child, output, onOutput, reloads, requestLogLines } = spawnLogged(name, process.execPath, args, root, {});
  const ready = new Promise<void>((resolve) => onOutput((all) => /Ready on/.test(all) && resolve()));
  await Promise.race([ready, exitedBeforeReady(name, child, output), timeout(120_000, `${name} did not start within 120 s`)]);
  return {
    name,
    url: `http://${HOST}:${port}`,
    pid: child.pid!,
    memoryPid: workerWorkerd(child.pid!, port),
    inspectorPort,
    output,
    reloads,
    requestLogLines,
  };
}

/**
 * How the project's Node entry starts, if it has one: `npm run serve`, else src/node.ts or
 * src/node/main.ts (to be bundled first, as Node 20 runs no TypeScript); undefined when there is none.
 */
export function nodeEntry(root: string): { command: string; args: string[] } | { bundle: string } | undefined {
  const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts.serve) return { command: "npm", args: ["run", "--silent", "serve"] };
  const source = ["src/node.ts", "src/node/main.ts"].map((file) => join(root, file)).find((file) => existsSync(file));
  return source === undefined ? undefined : { bundle: source };
}

/**
 * Starts the Node entry with the same settings as the workerd relay, given as environment
 * variables (PORT and HOST for where to listen, the relay's own settings by their binding names,
 * its in-process rate limit opened wide, as the workerd relay runs without one). Ready when it
 * answers GET /healthz.
 */
export async function startNodeEntry(
  root: string,
  entry: { command: string; args: string[] },
  vars: Record<string, string>,
): Promise<Launched> {
  const port = await freePort();
  const { child, output, requestLogLines } = spawnLogged("node entry", entry.command, entry.args, root, {
    ...vars,
    PORT: String(port),
    HOST,
    RATE_LIMIT_REQUESTS: "1000000",
    RATE_LIMIT_PERIOD_SECONDS: "1",
  });
  const url = `http://${HOST}:${port}`;
  const ready = (async () => {
    for (;;) {
      try {
        await (await fetch(`${url}/healthz`)).arrayBuffer();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  })();
  await Promise.race([
    ready,
    exitedBeforeReady("node entry", child, output),
    timeout(60_000, "the Node entry did not answer /healthz within 60 s"),
  ]);
  // `npm run` puts a shell and npm in between: the relay is the Node process that is deepest down.
  const nodes = [...descendants(child.pid!)].filter(([, comm]) => comm === "node" || comm === "MainThread").map(([pid]) => pid);
  return { name: "node entry", url, pid: child.pid!, memoryPid: nodes.at(-1) ?? child.pid, output, requestLogLines };
}

function timeout(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

/**
 * Its own dispose first when it has one; then SIGTERM to the process and all its descendants (wrangler's wrapper does not pass it on to the
 * workerd processes quickly), then SIGKILL to whatever of them is left after a grace period.
 * Returns those that needed SIGKILL, as "pid (command)".
 */
export async function stopLaunched(launched: Launched): Promise<string[]> {
  const root = launched.pid;
  const family = new Map([[root, processStat(root)?.comm], ...descendants(root)]);
  // A pid still ours: it runs (not a zombie) under the same command name (not a recycled pid).
  const alive = () =>
    [...family]
      .filter(([pid, comm]) => {
        const stat = processStat(pid);
        return stat !== undefined && stat.state !== "Z" && stat.comm === comm;
      })
      .map(([pid]) => pid);
  const signal = (pids: number[], name: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, name);
      } catch {
        // gone meanwhile
      }
    }
  };
  if (launched.dispose)
    await Promise.race([launched.dispose().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  signal(alive(), "SIGTERM");
  for (let waited = 0; waited < 5_000 && alive().length > 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  const survivors = alive();
  signal(survivors, "SIGKILL");
  return survivors.map((pid) => `${pid} (${family.get(pid)})`);
}

/**
 * The relay in workerd without wrangler's dev proxy: the bundle `wrangler deploy --dry-run` makes,
 * served by Miniflare on a direct loopback socket (no Miniflare entry worker in the path either),
 * with the compatibility date and flags of the soak's wrangler config. What a caller reaches here is
 * workerd itself, as on Cloudflare, so a disconnect reaches the relay's request signal
 * (`enable_request_signal`) and no proxy answers for it.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { childProcesses } from "../procfs";
import { freePort, HOST, type Launched } from "./processes";

/** The worker's bundle as `wrangler deploy` would upload it (named after its main module), built from `config` into `outdir`. */
export async function buildWorkerBundle(root: string, config: string, outdir: string): Promise<string> {
  const child = spawn(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "-c", config, "--outdir", outdir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (${code}):\n${output.slice(-2000)}`);
  const scripts = readdirSync(outdir).filter((file) => file.endsWith(".js"));
  if (scripts.length !== 1) throw new Error(`wrangler deploy --dry-run left ${scripts.length} scripts in ${outdir}: ${scripts.join(", ")}`);
  return join(outdir, scripts[0]!);
}

/**
 * Serves `bundle` in its own workerd on a free loopback port, with `vars` as its bindings and the
 * compatibility settings of `config`; the inspector is on for heap readings. Resolves when it serves.
 */
export async function startMiniflareDirect(name: string, bundle: string, config: string, vars: Record<string, string>): Promise<Launched> {
  const { compatibility_date: compatibilityDate, compatibility_flags: compatibilityFlags } = unstable_readConfig({ config });
  const inspectorPort = await freePort();
  let requestLogLines = 0;
  let output = "";
  const before = new Set(childProcesses().keys());
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    requestLogLines += text.split('"request_id"').length - 1;
    output = output.length < 64_000 ? output + text : output.slice(0, 32_000) + output.slice(-16_000) + text;
    if (process.env.SOAK_VERBOSE) process.stderr.write(`[${name}] ${text}`);
  };
  const mf = new Miniflare({
    name,
    // Handed over as contents, so Miniflare does not parse the bundle on the Node side.
    modules: [{ type: "ESModule", path: "/relay/index.js", contents: readFileSync(bundle, "utf8") }],
    modulesRoot: "/relay",
    compatibilityDate,
    compatibilityFlags,
    bindings: vars,
    cf: false,
    unsafeDirectSockets: [{ host: HOST, port: 0 }],
    inspectorPort,
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      stdout.on("data", keep);
      stderr.on("data", keep);
    },
  });
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL()).origin;
  const workerds = [...childProcesses()].filter(([pid, comm]) => comm === "workerd" && !before.has(pid)).map(([pid]) => pid);
  if (workerds.length !== 1) {
    await mf.dispose();
    throw new Error(`${name}: expected one new workerd, found ${workerds.length}`);
  }
  return {
    name,
    url,
    pid: workerds[0]!,
    memoryPid: workerds[0]!,
    inspectorPort,
    inspectorTarget: `core:user:${name}`,
    dispose: () => mf.dispose(),
    output: () => output,
    requestLogLines: () => requestLogLines,
  };
}

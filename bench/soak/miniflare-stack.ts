/**
 * The relay in workerd without wrangler's dev proxy: the bundle `wrangler deploy --dry-run` makes,
 * served by Miniflare on a direct loopback socket (no Miniflare entry worker in the path either),
 * with the compatibility date and flags of the soak's wrangler config. What a caller reaches here is
 * workerd itself, as on Cloudflare, so a disconnect reaches the relay's request signal
 * (`enable_request_signal`) and no proxy answers for it.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { startDirectWorker } from "../miniflare-direct";
import { freePort, type Launched } from "./processes";

/** The worker's bundle as `wrangler deploy` would upload it (named after its main module), built from `config` into `outdir`. */
export async function buildWorkerBundle(root: string, config: string, outdir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "-c", config, "--outdir", outdir],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
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
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    requestLogLines += text.split('"request_id"').length - 1;
    output = output.length < 64_000 ? output + text : output.slice(0, 32_000) + output.slice(-16_000) + text;
    if (process.env.SOAK_VERBOSE) process.stderr.write(`[${name}] ${text}`);
  };
  const { mf, url, pid } = await startDirectWorker({
    name,
    script: bundle,
    compatibilityDate: compatibilityDate!,
    compatibilityFlags,
    bindings: vars,
    inspectorPort,
    onStdout: keep,
    onStderr: keep,
  });
  return {
    name,
    url,
    pid,
    memoryPid: pid,
    inspectorPort,
    inspectorTarget: `core:user:${name}`,
    dispose: () => mf.dispose(),
    output: () => output,
    requestLogLines: () => requestLogLines,
  };
}

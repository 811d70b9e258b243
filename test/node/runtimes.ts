// The relay's two runtimes as whole processes on loopback, with the settings a test gives them: the
// Node entry (`npm run serve`) and workerd (`wrangler dev`, with wrangler.toml's [assets] and routing).
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { startRelayProcess } from "./node-relay";

const root = join(import.meta.dirname, "../..");

export interface Runtime {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/** `npm run serve`. */
export async function startNode(env: Record<string, string>): Promise<Runtime> {
  const relay = await startRelayProcess(env);
  return {
    name: "node",
    url: relay.url,
    async stop() {
      relay.child.kill("SIGTERM");
      await relay.exited;
    },
  };
}

/** `wrangler dev` (workerd, with the [assets] the deployed Worker has), in a process group of its own so a stop reaches all of it. */
export async function startWorkerd(env: Record<string, string>): Promise<Runtime> {
  const port = 20000 + Math.floor(Math.random() * 2000);
  const vars = Object.entries(env).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", "0", "--show-interactive-dev-session=false"];
  const child = spawn(process.execPath, [join(root, "node_modules/wrangler/bin/wrangler.js"), ...args, ...vars], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    signalGroup(child, "SIGTERM");
    await exited;
    signalGroup(child, "SIGKILL"); // anything of the group that outlived wrangler (esbuild, workerd)
  };
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on/.test(output)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`wrangler dev exited before it was ready:\n${output}`)));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { name: "workerd", url: `http://127.0.0.1:${port}`, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // the group is gone
  }
}

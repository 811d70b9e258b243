/**
 * One worker in a workerd process of its own, served by Miniflare on a direct loopback socket: no
 * Miniflare entry worker and no wrangler dev proxy in the path, so a caller reaches workerd itself,
 * as on Cloudflare. Used by the bench's loopback phase and by the soak's direct stack.
 */
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { childProcesses } from "./procfs";

export interface DirectWorkerOptions {
  name: string;
  /** The bundled ES module; handed over as contents, so Miniflare does not parse it on the Node side (~0.5 s for 1.3 MB). */
  script: string;
  compatibilityDate: string;
  compatibilityFlags?: string[];
  bindings: Record<string, string>;
  inspectorPort?: number;
  /** What the worker prints (the relay logs a line per request): read, or it would fill the pipe. */
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}

export interface DirectWorker {
  mf: Miniflare;
  url: string;
  /** The workerd process serving it, for CPU and memory readings. */
  pid: number;
}

export async function startDirectWorker(options: DirectWorkerOptions): Promise<DirectWorker> {
  const before = new Set(childProcesses().keys());
  const mf = new Miniflare({
    name: options.name,
    modules: [{ type: "ESModule", path: "/worker/index.js", contents: readFileSync(options.script, "utf8") }],
    modulesRoot: "/worker",
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags ?? [],
    bindings: options.bindings,
    cf: false,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      stdout.on("data", options.onStdout);
      stderr.on("data", options.onStderr);
    },
  });
  try {
    await mf.ready;
    const url = (await mf.unsafeGetDirectURL()).origin;
    const pids = [...childProcesses()].filter(([pid, comm]) => comm === "workerd" && !before.has(pid)).map(([pid]) => pid);
    if (pids.length !== 1) throw new Error(`${options.name}: expected one new workerd, found ${pids.length}`);
    return { mf, url, pid: pids[0]! };
  } catch (err) {
    await mf.dispose();
    throw err;
  }
}

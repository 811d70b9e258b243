// `npm run serve` as a test fixture: the Node entry as a real process, started through npm,
// and the emulator it talks to, served over loopback HTTP from this process.
import { serve } from "@hono/node-server";
import { spawn, type ChildProcess } from "node:child_process";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, type Emulator } from "@gemini-relay/emulator";

export interface ServedEmulator {
  emulator: Emulator;
  url: string;
  close(): Promise<void>;
}

export async function serveEmulator(): Promise<ServedEmulator> {
  const emulator = createEmulator();
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: (request) => emulator.fetch(request), hostname: "127.0.0.1", port: 0 }, () =>
      resolve(started as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    emulator,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface RelayProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output contains `text`. */
  printed(text: string): Promise<void>;
  exited: Promise<number | null>;
}

/** Runs `npm run serve` with `env` on an ephemeral loopback port (signals go to npm, as a supervisor's would). */
export async function startRelayProcess(env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn("npm", ["run", "serve"], {
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    waiters.forEach((check) => check());
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => output.includes(text) && resolve();
      waiters.push(check);
      check();
      void exited.then((code) => reject(new Error(`the relay exited with ${code} before printing ${JSON.stringify(text)}:\n${output}`)));
    });
  await printed("listening on http://");
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return { url, child, output: () => output, printed, exited };
}

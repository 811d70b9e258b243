// `npm start` as a test fixture: the relay and the emulator as real processes on loopback ports.
import { spawn, type ChildProcess } from "node:child_process";

export interface LocalStack {
  relayUrl: string;
  emulatorUrl: string;
  /** Everything `npm start` printed until it was ready. */
  output: string;
  stop(): Promise<void>;
}

/** Starts scripts/start.mjs on free-ish random ports (with `env` added) and resolves once it says it is ready. */
export async function startLocalStack(env: Record<string, string> = {}): Promise<LocalStack> {
  const relayPort = 18000 + Math.floor(Math.random() * 2000);
  const emulatorPort = relayPort + 2000;
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, ...env, RELAY_PORT: String(relayPort), EMULATOR_PORT: String(emulatorPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Press Ctrl+C to stop")) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
  });
  return {
    relayUrl: `http://127.0.0.1:${relayPort}`,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

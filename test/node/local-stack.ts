// `npm start` as a test fixture: the relay and the emulator as real processes on loopback ports.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";

export interface LocalStack {
  relayUrl: string;
  emulatorUrl: string;
  /** Everything `npm start` printed so far. */
  output(): string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Ports for one stack: random, so parallel runs on a shared machine rarely meet. */
export function stackPorts(): { relayPort: number; emulatorPort: number } {
  const relayPort = 18000 + Math.floor(Math.random() * 2000);
  return { relayPort, emulatorPort: relayPort + 2000 };
}

/** Runs `npm start` (with `env` added); resolves once it says it is ready (or rejects with what it printed). */
export async function startLocalStack(env: Record<string, string> = {}, ports = stackPorts()): Promise<LocalStack> {
  const stack = launchStack(ports, env);
  await new Promise<void>((resolve, reject) => {
    const check = () => stack.output().includes("Press Ctrl+C to stop") && resolve();
    stack.child.stdout!.on("data", check);
    void stack.exited.then((code) => reject(new Error(`npm start exited (${code}):\n${stack.output()}`)));
  });
  return stack;
}

/** Runs `npm start` without waiting for it; signals go to npm, as they do from a terminal or a supervisor. */
export function launchStack(
  { relayPort, emulatorPort }: { relayPort: number; emulatorPort: number },
  env: Record<string, string> = {},
): LocalStack {
  const child: ChildProcess = spawn("npm", ["start"], {
    env: { ...process.env, ...env, RELAY_PORT: String(relayPort), EMULATOR_PORT: String(emulatorPort) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    relayUrl: `http://127.0.0.1:${relayPort}`,
    emulatorUrl: `http://127.0.0.1:${emulatorPort}`,
    output: () => output,
    child,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Every process under `root` (its children, theirs, ...), with its command line. */
export function processTree(root: number): { pid: number; args: string }[] {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args! }));
  const inTree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows) {
      if (inTree.has(row.ppid) && !inTree.has(row.pid)) {
        inTree.add(row.pid);
        grew = true;
      }
    }
  }
  return rows.filter((row) => row.pid !== root && inTree.has(row.pid)).map(({ pid, args }) => ({ pid, args }));
}

/** Whether a process with this id still runs. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

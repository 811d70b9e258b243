// The documented dev path: `npm run emulator` in one terminal, `npm run dev` with .dev.vars copied
// from .dev.vars.example in another, and a turn answered. The scripts run exactly as package.json has
// them, moved to random ports (so parallel runs on a shared machine do not meet) with their own
// `--port` flags and the example's emulator URL rewritten to match.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { afterAll, describe, expect, it } from "vitest";
import { stackPorts } from "./local-stack";

const devVarsExample = await readFile(".dev.vars.example", "utf8");
const exampleBaseUrl = /^GEMINI_BASE_URL=(\S+)$/m.exec(devVarsExample)?.[1];
const devPort = (configPath: string) => unstable_readConfig({ config: configPath }).dev.port;

describe("the dev path's fixed ports", () => {
  it("puts the relay on 8787 and the emulator on 9000, where .dev.vars.example points", () => {
    expect(devPort("wrangler.toml")).toBe(8787);
    expect(devPort("packages/emulator/wrangler.toml")).toBe(9000);
    expect(exampleBaseUrl).toBe("http://127.0.0.1:9000");
  });
});

describe("npm run emulator + npm run dev", () => {
  const running: { pid: number; exited: Promise<unknown> }[] = [];
  let dir: string;

  afterAll(async () => {
    // Each script runs in its own process group: npm, the shell, wrangler and workerd stop together.
    for (const script of running) process.kill(-script.pid, "SIGTERM");
    await Promise.all(running.map((script) => script.exited));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs `npm run <script> -- ...args` and resolves with its output once wrangler says it is ready. */
  function npmRun(script: string, args: string[]): Promise<string> {
    const child = spawn("npm", ["run", script, "--", ...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    running.push({ pid: child.pid!, exited });
    let output = "";
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready on/.test(output)) resolve(output);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => reject(new Error(`npm run ${script} exited (${code}):\n${output}`)));
    });
  }

  it("answers a turn through the relay from the emulator, with no banner, update notice or error in the output", async () => {
    const { relayPort, emulatorPort } = stackPorts();
    dir = await mkdtemp(join(tmpdir(), "dev-path-"));
    const devVars = join(dir, ".dev.vars");
    await writeFile(devVars, devVarsExample.replace(exampleBaseUrl!, `http://127.0.0.1:${emulatorPort}`));

    const emulatorOutput = await npmRun("emulator", ["--port", String(emulatorPort)]);
    const relayOutput = await npmRun("dev", ["--port", String(relayPort), "--env-file", devVars]);
    for (const output of [emulatorOutput, relayOutput]) {
      expect(output).not.toMatch(/update available|⛅️|ERROR|Unable to fetch/);
    }

    const res = await fetch(`http://127.0.0.1:${relayPort}/v1/turns`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gemini-3.5-flash", input: "Hello from the dev path" }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output_text: string }).output_text).toBe("You said: Hello from the dev path");
  });
});

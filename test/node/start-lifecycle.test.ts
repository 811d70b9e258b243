// `npm start` when things go wrong: Ctrl+C, a child that dies, a port already taken, no install.
// Each case starts its own stack (`npm start`: two wrangler dev processes) on random ports.
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRunning, launchStack, processTree, stackPorts, startLocalStack } from "./local-stack";

describe("npm start: stopping and failing", () => {
  it("stops both process trees on SIGINT (Ctrl+C) and exits 0", async () => {
    const stack = await startLocalStack();
    const tree = processTree(stack.child.pid!);
    expect(await stack.stop("SIGINT")).toBe(0);
    expect(tree.filter((p) => isRunning(p.pid))).toEqual([]);
  });

  it("notices when the emulator dies: says so, stops the relay, exits 1", async () => {
    const stack = await startLocalStack();
    try {
      const tree = processTree(stack.child.pid!);
      // The emulator's shell and everything under it, as an out-of-memory kill would leave it.
      const emulatorShell = tree.find((p) => p.args.startsWith("/bin/sh") && p.args.includes("packages/emulator/wrangler.toml"))!;
      const emulatorTree = [emulatorShell, ...processTree(emulatorShell.pid)];
      for (const p of emulatorTree) process.kill(p.pid, "SIGKILL");

      expect(await stack.exited).toBe(1);
      expect(stack.output()).toMatch(/npm start: the emulator stopped \(killed by SIGKILL\): it printed nothing more\./);
      expect(stack.output()).toContain("npm start: stopping the relay too.");
      expect(tree.filter((p) => isRunning(p.pid))).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it("notices when the relay's wrangler dies alone, and leaves none of what it started behind", async () => {
    const stack = await startLocalStack();
    try {
      const tree = processTree(stack.child.pid!);
      // Only wrangler's own process: its workerd and esbuild are orphaned, and still hold its output pipes.
      const wrangler = tree.find(
        (p) => /wrangler\/bin\/wrangler\.js dev/.test(p.args) && !p.args.includes("packages/emulator") && !p.args.startsWith("/bin/sh"),
      )!;
      expect(processTree(wrangler.pid).map((p) => p.args)).toEqual(expect.arrayContaining([expect.stringMatching(/esbuild|workerd/)]));
      process.kill(wrangler.pid, "SIGKILL");

      expect(await stack.exited).toBe(1);
      expect(stack.output()).toMatch(/npm start: the relay stopped \((killed by SIGKILL|exit code 137)\)/);
      expect(tree.filter((p) => isRunning(p.pid))).toEqual([]);
    } finally {
      await stack.stop();
    }
  });

  it("says which port is taken when the relay cannot start, and exits 1", async () => {
    const ports = stackPorts();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(ports.relayPort, "127.0.0.1", resolve));
    const stack = launchStack(ports);
    try {
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toContain(`npm start: the relay could not start: 127.0.0.1:${ports.relayPort} is already in use.`);
      expect(stack.output()).toContain("RELAY_PORT=<port> npm start");
      await expect(fetch(`${stack.emulatorUrl}/__emulator/requests`)).rejects.toThrow();
    } finally {
      await stack.stop();
      busy.close();
    }
  });

  it("names both ports when both are taken, starts nothing, and exits 1", async () => {
    const ports = stackPorts();
    const servers = [createServer(), createServer()];
    await Promise.all(
      [ports.relayPort, ports.emulatorPort].map(
        (port, i) => new Promise<void>((resolve) => servers[i]!.listen(port, "127.0.0.1", resolve)),
      ),
    );
    const stack = launchStack(ports);
    try {
      expect(await stack.exited).toBe(1);
      expect(stack.output()).toContain(
        `npm start: the emulator could not start: 127.0.0.1:${ports.emulatorPort} is already in use. Stop what listens there, or pick a free port with EMULATOR_PORT=<port> npm start.`,
      );
      expect(stack.output()).toContain(
        `npm start: the relay could not start: 127.0.0.1:${ports.relayPort} is already in use. Stop what listens there, or pick a free port with RELAY_PORT=<port> npm start.`,
      );
      // Refused before either wrangler started: nothing was running to stop.
      expect(stack.output()).not.toMatch(/Ready on|stopping the/);
    } finally {
      await stack.stop();
      servers.forEach((server) => server.close());
    }
  });

  it("says to run npm install when the dependencies are missing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "start-no-install-"));
    try {
      await mkdir(join(dir, "scripts"));
      await copyFile("scripts/start.mjs", join(dir, "scripts", "start.mjs"));
      const run = () => execFileSync(process.execPath, [join(dir, "scripts", "start.mjs")], { encoding: "utf8", stdio: "pipe" });
      expect(run).toThrow(/npm start: the dependencies are not installed\. Run `npm install` in .*, then `npm start` again\./);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

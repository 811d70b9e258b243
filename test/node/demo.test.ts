// `npm run demo` as a person uses it: the support-agent CLI, fed lines on stdin, against the relay
// and emulator that `npm start` runs on loopback; then what it leaves on disk, and the JSON-file
// transcript store it keeps it with.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestationOf, JsonFileTranscriptStore, withAttestation, type Step, type TranscriptFile } from "@gemini-relay/client/node";
import { startLocalStack, type LocalStack } from "./local-stack";

let stack: LocalStack;
let relay: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "support-agent-"));
  // Signing on, and required: the demo must work unchanged, its transcript file holding the attestation.
  stack = await startLocalStack({ TRANSCRIPT_KEYS: `demo:${"d".repeat(40)}`, TRANSCRIPT_MODE: "require" });
  relay = stack.relayUrl;
});

afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI the way `npm run demo -- ...args` does (tsx), typing `lines` and then closing stdin. */
function demo(
  args: string[],
  lines: string[],
  env: Record<string, string> = { NO_COLOR: "1" },
  where: string[] = ["--dir", dir],
): Promise<Run> {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "demo/support-agent.ts", "--url", relay, ...where, ...args], {
    env: { ...process.env, NO_COLOR: "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin!.end(lines.map((line) => `${line}\n`).join(""));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

async function transcript(session: string): Promise<TranscriptFile> {
  return JSON.parse(await readFile(join(dir, `${session}.json`), "utf8")) as TranscriptFile;
}

const textOf = (step: Step | undefined) => ((step?.content ?? []) as { text?: string }[]).map((b) => b.text ?? "").join("");

describe("npm run demo: the support agent", () => {
  it("looks up A-4417 with the local tool, streams the answer, and keeps the transcript", async () => {
    const run = await demo(["--session", "alice"], ["Where is my order A-4417?"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines).toContain("you › Where is my order A-4417?");
    expect(lines).toContain('  → get_order_status({"order_id":"A-4417"})');
    expect(lines.some((l) => l.startsWith("  thinking: ") && l.includes("get_order_status"))).toBe(true);
    expect(lines.find((l) => l.startsWith("agent › "))).toMatch(/shipped/);
    expect(run.stdout).not.toContain("\x1b[");

    const file = await transcript("alice");
    expect(file).toMatchObject({ version: 1, id: "alice" });
    const call = file.history.find((s) => s.type === "function_call")!;
    const answer = file.history.find((s) => s.type === "function_result")!;
    expect(call).toMatchObject({ name: "get_order_status", arguments: { order_id: "A-4417" } });
    expect(answer).toMatchObject({ call_id: call.id, name: call.name, result: { order_id: "A-4417", status: "shipped" } });
    expect(answer.is_error).toBeUndefined();
    expect(file.history.at(-1)!.type).toBe("model_output");
    expect(textOf(file.history.at(-1))).toMatch(/shipped/);
    const modelSteps = file.history.filter((s) => s.type !== "user_input" && s.type !== "function_result").length;
    // v2: the anchor and a value tag per model-authored step, the blocks (one, for a transcript this short), the end tag.
    expect(file.attestation).toMatch(
      new RegExp(`^v2\\.demo\\.[A-Za-z0-9_-]{${22 * (modelSteps + 1)}}\\.${modelSteps}~[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{22}$`),
    );
  });

  it("resumes the same --session on the next run, with the history intact", async () => {
    const before = (await transcript("alice")).history;
    const run = await demo(["--session", "alice"], ["Thanks! When will it arrive?"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Resumed ${before.length} steps from ${join(dir, "alice.json")}`);
    expect(run.stdout).toContain("  you › Where is my order A-4417?");
    // The emulator checks the history it gets back, thought signatures included, and says so.
    expect(run.stdout).toMatch(
      new RegExp(
        `agent › You said: Thanks! When will it arrive\\? \\(history intact: ${before.length} steps, 2 thought signatures verified\\)`,
      ),
    );
    const after = (await transcript("alice")).history;
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 2);
    expect(run.stderr).toBe("");
  });

  it("is refused by a relay that requires attestations when its transcript file lost the attestation", async () => {
    const path = join(dir, "alice.json");
    const file = await transcript("alice");
    await writeFile(path, JSON.stringify({ ...file, attestation: undefined }));
    const run = await demo(["--session", "alice"], ["Hello again"]);
    expect(run.stderr).toMatch(/error: the relay answered 422 attestation_failed: .*carries no `attestation`/);
    await writeFile(path, JSON.stringify(file));
  });

  it("starts over with --reset", async () => {
    const run = await demo(["--session", "alice", "--reset"], ["hello"]);
    expect(run.stdout).toContain("New transcript");
    expect(run.stdout).toContain("agent › You said: hello\n");
    expect((await transcript("alice")).history.map((s) => s.type)).toEqual(["user_input", "model_output"]);
  });

  it("answers an unknown order with an is_error result, and a known one still works after it", async () => {
    const run = await demo(["--session", "bob"], ["What about order B-1?", "Is order A-9001 ready?"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("  ← error: Order B-1 was not found\n");
    expect(run.stdout).toMatch(/agent › get_order_status failed: Order B-1 was not found\./);
    expect(run.stdout).toMatch(/agent › get_order_status returned: .*"status":"processing"/);
    const results = (await transcript("bob")).history.filter((s) => s.type === "function_result");
    expect(results.map((r) => r.is_error ?? false)).toEqual([true, false]);
  });

  it("shows no colours when stdout is not a terminal, even without NO_COLOR", async () => {
    const run = await demo(["--session", "carol"], ["Where is my order A-4417?"], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("→ get_order_status");
    expect(run.stdout).not.toContain("\x1b[");
  });

  it("keeps transcripts in demo/.sessions by default, and names the file relative to where it ran", async () => {
    const session = `test-${process.pid}-${Date.now()}`;
    const file = join(process.cwd(), "demo", ".sessions", `${session}.json`);
    try {
      const run = await demo(["--session", session], ["hi"], { NO_COLOR: "1" }, []);
      expect(run.stdout).toContain(`New transcript (${join("demo", ".sessions", `${session}.json`)})`);
      expect(JSON.parse(await readFile(file, "utf8")).history).toHaveLength(2);
    } finally {
      await rm(file, { force: true });
    }
  });

  it("says to run `npm start` when nothing listens at the relay URL", async () => {
    const port = await freePort();
    const child = await demo(["--url", `http://127.0.0.1:${port}`, "--session", "dave"], ["hi"]);
    expect(child.code).toBe(1);
    expect(child.stderr).toContain(`Cannot reach the relay at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(child.stderr).toContain("Is `npm start` running?");
    await expect(stat(join(dir, "dave.json"))).rejects.toThrow(/ENOENT/);
  });
});

describe("JsonFileTranscriptStore", () => {
  it("saves and loads a transcript exactly, odd keys included, leaving no temp files", async () => {
    const store = new JsonFileTranscriptStore({ directory: join(dir, "store", "nested") });
    const history = JSON.parse(
      '[{"type":"user_input","content":[{"type":"text","text":"hï 🔑"}],"__proto__":{"x":1}},{"type":"thought","signature":"c2ln","constructor":"c"}]',
    ) as Step[];
    expect(await store.load("s-1")).toBeUndefined();
    await store.save("s-1", history);
    const loaded = await store.load("s-1");
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(history));
    expect(Object.prototype.hasOwnProperty.call(loaded![0], "__proto__")).toBe(true);
    expect(await readdir(store.directory)).toEqual(["s-1.json"]);
    expect((await stat(store.pathOf("s-1"))).mode & 0o777).toBe(0o600);
    await store.save("s-1", withAttestation(history, "v1.k.anchor"));
    expect(attestationOf(await store.load("s-1"))).toBe("v1.k.anchor");
    expect(JSON.parse(await readFile(store.pathOf("s-1"), "utf8"))).toMatchObject({ attestation: "v1.k.anchor" });
    await store.delete("s-1");
    expect(await store.load("s-1")).toBeUndefined();
    await store.delete("s-1"); // deleting twice is fine
  });

  it("keeps the file whole when saves race: the last rename wins, nothing is torn", async () => {
    const store = new JsonFileTranscriptStore({ directory: join(dir, "race") });
    const versions = Array.from({ length: 20 }, (_, n) =>
      Array.from({ length: 50 + n }, (_, i) => ({ type: "user_input", content: [{ type: "text", text: `${n}:${i}` }] })),
    );
    await Promise.all(versions.map((v) => store.save("same", v)));
    const loaded = await store.load("same");
    expect(versions).toContainEqual(loaded);
    expect(await readdir(store.directory)).toEqual(["same.json"]);
  });

  it("refuses ids that could name another path, and says how to recover from a broken file", async () => {
    const store = new JsonFileTranscriptStore({ directory: join(dir, "ids") });
    for (const id of ["", "../x", "a/b", ".hidden", "x".repeat(101), "a b"])
      expect(() => store.pathOf(id)).toThrow(/Invalid transcript id/);
    await expect(store.save("../escape", [])).rejects.toThrow(/Invalid transcript id/);
    await store.save("ok", []);
    await writeFile(store.pathOf("ok"), "{ not json");
    await expect(store.load("ok")).rejects.toThrow(/is not valid JSON .*move it away/);
    await writeFile(store.pathOf("ok"), '{"version":1}');
    await expect(store.load("ok")).rejects.toThrow(/not a transcript file/);
  });
});

describe("the client bundle", () => {
  it("holds only the client package's code: no zod, no hono, no Node modules, nothing of the relay at run time", async () => {
    const esbuild = await import("esbuild");
    const built = await esbuild.build({
      entryPoints: ["packages/client/dist/index.js"],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "neutral",
      minify: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs).toContain("packages/client/dist/client.js");
    expect(inputs.filter((path) => !path.startsWith("packages/client/dist/"))).toEqual([]);
    expect(inputs).not.toContain("packages/client/dist/node.js");
    const code = built.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bimport\b[^;]*from|\brequire\(/);
    expect(code.length).toBeLessThan(40_000);
  });
});

/** A loopback port nothing listens on (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

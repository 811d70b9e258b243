// The workspace packages as their users get them: each is packed (`npm pack`, which builds it), installed from
// the tarball into a fresh project OFFLINE, type-checked there under NodeNext + exactOptionalPropertyTypes, and
// run on plain Node. Client: a plain and a streamed turn against the relay. Emulator: its CLI started with npx,
// and the official SDK talking to it over loopback.
//
// Offline: every install runs with --offline and an empty npm cache. The client needs nothing else; the
// emulator's dependencies (hono, @hono/node-server) are installed beside it from this workspace's node_modules
// (directory specs, linked: what `npm ci` already installed), so npm resolves them without a registry.
// The tarballs hold dist/ as `scripts/packages-built.mjs` (the first step of `npm test`, which rebuilds a stale dist/) left it: packing skips the
// prepare script, which would rebuild for tens of seconds on a busy machine; a stale dist/ fails the test.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { serve, type ServerType } from "@hono/node-server";
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayWithEmulator } from "../helpers";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../..");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const MODEL = "gemini-3.5-flash";

/** A consumer's strict setup: NodeNext resolution and exactOptionalPropertyTypes. */
const consumerTsconfig = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    // As most projects do; the packages' own builds check their sources under the same strict flags.
    skipLibCheck: true,
    types: ["node"],
    // Node 20's types from the workspace (the consumer would have its own @types/node).
    typeRoots: [join(root, "packages/client/node_modules/@types")],
    outDir: "out",
  },
  files: ["main.ts"],
};

let work: string;
const tarballs: { client?: string; emulator?: string } = {};

/** `npm <args>` in `cwd`, offline, with a cache that starts empty: nothing can come from a registry or a cache. */
function npm(cwd: string, args: string[]) {
  return run("npm", [...args, "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
    cwd,
    env: { ...process.env, npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false" },
  });
}

/** Packs a workspace package whose dist/ is at least as new as its src/. */
async function pack(dir: string): Promise<string> {
  const newest = async (sub: string, ext: string) => {
    const names = (await readdir(join(root, dir, sub))).filter((name) => name.endsWith(ext));
    return Math.max(...(await Promise.all(names.map(async (name) => (await stat(join(root, dir, sub, name))).mtimeMs))));
  };
  const [built, edited] = await Promise.all([newest("dist", ".js").catch(() => 0), newest("src", ".ts")]);
  expect(built, `${dir}/dist is missing or older than its src: run npm run build:packages`).toBeGreaterThanOrEqual(edited);
  const { stdout } = await run("npm", ["pack", "--pack-destination", work, "--ignore-scripts", "--offline", "--silent"], {
    cwd: join(root, dir),
  });
  return join(work, stdout.trim());
}

/** A fresh ESM project holding `main.ts`, with `installs` installed, type-checked and compiled to out/main.js. */
async function project(name: string, installs: string[], main: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(consumerTsconfig));
  await writeFile(join(dir, "main.ts"), main);
  await npm(dir, ["install", ...installs]);
  await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir });
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "gemini-relay-packages-"));
  [tarballs.client, tarballs.emulator] = await Promise.all([pack("packages/client"), pack("packages/emulator")]);
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("@gemini-relay/client from its tarball", () => {
  let relay: ServerType | undefined;
  afterAll(() => relay?.close());

  // Timeouts guard against hangs only: about 10 s each on an idle machine, up to a minute under heavy load.
  it("installs alone (no dependencies), type-checks under NodeNext and runs turns against the relay", { timeout: 120_000 }, async () => {
    const { app, env } = relayWithEmulator();
    const relayUrl = await new Promise<string>((ready) => {
      relay = serve({ fetch: (request) => app.fetch(request, env), hostname: "127.0.0.1", port: 0 }, (info) =>
        ready(`http://127.0.0.1:${info.port}`),
      );
    });

    const dir = await project(
      "client-app",
      [tarballs.client!],
      `import { createRelayClient, RelayApiError, type TurnParams, type TurnResult } from "@gemini-relay/client";
import { JsonFileTranscriptStore } from "@gemini-relay/client/node";

const client = createRelayClient({ baseUrl: process.argv[2]!, token: process.env.RELAY_TOKEN, maxRetries: 0 });
const params: TurnParams = { model: ${JSON.stringify(MODEL)}, input: "Hello from a packed client", signal: undefined };
const first: TurnResult = await client.turn(params);
let streamed: TurnResult | undefined;
for await (const event of client.streamTurn({ model: params.model, history: first.history, input: "And again" })) {
  if (event.type === "turn.completed") streamed = event.result;
}
const store = new JsonFileTranscriptStore({ directory: "sessions" });
await store.save("s1", streamed!.history);
let refused = "";
try {
  await client.turn({ model: "" });
} catch (err) {
  if (err instanceof RelayApiError) refused = \`\${err.status} \${err.code}\`;
}
console.log(JSON.stringify({ first: first.output_text, streamed: streamed?.output_text, stored: (await store.load("s1"))?.length, refused }));
`,
    );
    expect((await readdir(join(dir, "node_modules"))).filter((name) => !name.startsWith("."))).toEqual(["@gemini-relay"]);
    expect((await readdir(join(dir, "node_modules/@gemini-relay/client"))).sort()).toEqual([
      "LICENSE",
      "README.md",
      "dist",
      "package.json",
    ]);

    const { stdout } = await run(process.execPath, ["out/main.js", relayUrl], { cwd: dir });
    const result = JSON.parse(stdout) as { first: string; streamed: string; stored: number; refused: string };
    expect(result.first).toContain("Hello from a packed client");
    expect(result.streamed).toContain("And again");
    expect(result.stored).toBe(4);
    expect(result.refused).toBe("400 invalid_request");
  });
});

describe("@gemini-relay/emulator from its tarball", () => {
  let cli: ChildProcess | undefined;
  // npx does not pass SIGTERM on to the CLI it started (npm 11): the CLI runs in a process group of
  // its own, and the whole group is stopped.
  const stopCli = () => {
    if (cli?.pid !== undefined && cli.exitCode === null && cli.signalCode === null) process.kill(-cli.pid, "SIGTERM");
  };
  afterAll(stopCli);

  it(
    "installs offline with its dependencies, type-checks under NodeNext, and its CLI serves the SDK over loopback",
    { timeout: 120_000 },
    async () => {
      const dir = await project(
        "emulator-app",
        [tarballs.emulator!, join(root, "node_modules/hono"), join(root, "node_modules/@hono/node-server")],
        `import { createEmulator, createEmulatorApp, type RecordedRequest } from "@gemini-relay/emulator";

const emulator = createEmulator({ apiKey: "k", requestLog: { maxEntries: 10 } });
const res = await createEmulatorApp(emulator).request("/v1beta/interactions", {
  method: "POST",
  headers: { "x-goog-api-key": "k", "content-type": "application/json" },
  body: JSON.stringify({ model: ${JSON.stringify(MODEL)}, input: "in-process", store: false }),
});
const logged: RecordedRequest | undefined = emulator.requests[0];
console.log(JSON.stringify({ status: res.status, logged: logged?.status }));
`,
      );
      const { stdout } = await run(process.execPath, ["out/main.js"], { cwd: dir });
      expect(JSON.parse(stdout)).toEqual({ status: 200, logged: 200 });

      cli = spawn("npx", ["--offline", "gemini-relay-emulator", "--port", "0"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      const url = await new Promise<string>((ready, fail) => {
        let output = "";
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) ready(match[1]!);
        };
        cli!.stdout!.on("data", onData);
        cli!.stderr!.on("data", onData);
        cli!.on("exit", (code) => fail(new Error(`gemini-relay-emulator exited (${code}):\n${output}`)));
      });

      const ai = new GoogleGenAI({ apiKey: "any-key", httpOptions: { baseUrl: url } });
      const interaction = await ai.interactions.create({ model: MODEL, input: "Hello over loopback", store: false });
      expect(interaction.status).toBe("completed");
      expect(JSON.stringify(interaction.steps)).toContain("Hello over loopback");

      // Stopped with its children: nothing is left listening once the test is done with it.
      const exited = new Promise((done) => cli!.once("exit", done));
      stopCli();
      await exited;
      await expect
        .poll(
          () =>
            fetch(url).then(
              () => "listening",
              () => "closed",
            ),
          { timeout: 5_000 },
        )
        .toBe("closed");
    },
  );
});

// What a publish would send, checked without a registry: `npm publish --dry-run` runs offline (it
// packs, prints the tarball and stops before any request; without --offline it spends a minute retrying
// the registry for nothing), with the registry pointed at a closed port so nothing could leave anyway.
// `repository` is not checked: it must name the real repository before the first publish (provenance
// is tied to it), and nobody here knows that URL yet; the dry run passes without it.
describe.each(["client", "emulator"])("@gemini-relay/%s: what a publish would send", (name) => {
  const dir = join(root, "packages", name);

  it("has the metadata a public, provenance-ready publish needs", async () => {
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: `@gemini-relay/${name}`,
      license: "MIT",
      type: "module",
      files: ["dist", "README.md", "LICENSE"],
      publishConfig: { access: "public", provenance: true },
    });
    expect(pkg.private).toBeUndefined();
    expect((pkg.exports as Record<string, unknown>)["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(await readFile(join(dir, "LICENSE"), "utf8")).toBe(await readFile(join(root, "LICENSE"), "utf8"));
  });

  it("passes `npm publish --dry-run`, and the tarball holds every file its exports and bin name", { timeout: 60_000 }, async () => {
    const { stdout } = await run("npm", ["publish", "--dry-run", "--json", "--offline", "--ignore-scripts"], {
      cwd: dir,
      env: { ...process.env, npm_config_registry: "http://127.0.0.1:9/", npm_config_update_notifier: "false" },
    });
    const report = (JSON.parse(stdout) as Record<string, { name: string; files: { path: string }[] }>)[`@gemini-relay/${name}`]!;
    expect(report.name).toBe(`@gemini-relay/${name}`);
    const files = report.files.map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts"]));
    expect(files.filter((file) => !file.startsWith("dist/") && !["LICENSE", "README.md", "package.json"].includes(file))).toEqual([]);
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { exports: object; bin?: Record<string, string> };
    const named = [...JSON.stringify(pkg.exports).matchAll(/"\.\/(dist\/[^"]+)"/g)].map((match) => match[1]!);
    expect(files).toEqual(expect.arrayContaining([...named, ...Object.values(pkg.bin ?? {})]));
  });
});

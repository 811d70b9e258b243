// The contract as generators and linters read it, from the relay over loopback (`npm start`'s two
// processes): openapi-typescript makes the types of /openapi.json, a plain openapi-fetch program
// typechecks against them (tsc, strict, NodeNext) and runs turns; Redocly's lint finds nothing.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "./local-stack";

const root = join(fileURLToPath(import.meta.url), "../../..");
const bin = (path: string) => join(root, "node_modules", path);
/** Offline: no telemetry, no update check. */
/** tsc on the generated types takes a few seconds of CPU; more on a busy machine. */
const TSC_TIMEOUT = 180_000;
/** orval, and the Node it needs (the current LTS, as scripts/test-lts.mjs), pinned; the first run downloads both. */
const ORVAL = "orval@8.38.0";
const ORVAL_NODE = "node@26.10.0";
const ORVAL_TIMEOUT = 240_000;
const quiet = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

let stack: LocalStack;
let work: string;
/** Outside node_modules, for generated code that imports no package: tsc emits nothing from inside node_modules. */
let outside: string;
// The served document, edited by path in the mutants below: untyped on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let document: Record<string, any>;

/** Node, on one of the project's own tools. */
function node(args: string[], cwd = work) {
  const run = spawnSync(process.execPath, args, { cwd, env: quiet, encoding: "utf8", timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A work directory (under `base`) with a program (a fixture) and a tsconfig; the generator writes beside them. */
function workDir(name: string, program: string, base = work) {
  const dir = join(base, name);
  mkdirSync(dir);
  copyFileSync(join(root, "test/node/fixtures/generated-client", program), join(dir, program));
  // An app's usual settings; `types: []` keeps the repository's @types packages out.
  const compilerOptions = {
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: [],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    outDir: "out",
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: [program] }));
  return { dir, tsc: () => node([bin("typescript/bin/tsc"), "-p", dir]) };
}

/** turns.mts beside the types openapi-typescript generates from `source`. */
function project(name: string, source: string) {
  const made = workDir(name, "turns.mts");
  const generated = node([bin("openapi-typescript/bin/cli.js"), source, "--output", join(made.dir, "openapi.d.ts")]);
  expect(generated.status, generated.output).toBe(0);
  return made;
}

/** The generated types name HistoryStep (`shape`) and type a history with it; the program typechecks clean. */
function expectTypechecked(made: ReturnType<typeof workDir>, typesFile: string, shape: RegExp, history: string) {
  const types = readFileSync(join(made.dir, typesFile), "utf8");
  expect(types).toMatch(shape);
  expect(types).toContain(history);
  const checked = made.tsc();
  expect(checked.output).toBe("");
  expect(checked.status).toBe(0);
}

/** A generated program's two turns against the relay: the model calls get_order_status, the program answers. */
async function expectRoundTrip(made: ReturnType<typeof workDir>, program: string) {
  const { run } = await import(pathToFileURL(join(made.dir, "out", program)).href);
  const result = await run(stack.relayUrl);
  expect(result).toMatchObject({ call: "get_order_status", status: "completed", historyLength: 6 });
  expect(result.outputText).toMatch(/shipped/);
}

beforeAll(async () => {
  stack = await startLocalStack();
  // Inside node_modules, so the program resolves openapi-fetch as an app would.
  mkdirSync(bin(".cache"), { recursive: true });
  work = mkdtempSync(bin(".cache/gemini-relay-contract-"));
  outside = mkdtempSync(join(tmpdir(), "gemini-relay-contract-"));
  document = (await (await fetch(`${stack.relayUrl}/openapi.json`)).json()) as typeof document;
});

afterAll(async () => {
  await stack?.stop();
  for (const dir of [work, outside]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a client generated with openapi-typescript + openapi-fetch", () => {
  let plain: ReturnType<typeof project>;

  it(
    "typechecks a plain createClient<paths>() program: the 200 of POST /v1/turns is the TurnResponse, the streamed events TurnStreamEvents",
    () => {
      plain = project("plain", `${stack.relayUrl}/openapi.json`);
      const checked = plain.tsc();
      expect(checked.output).toBe("");
      expect(checked.status).toBe(0);
      const types = readFileSync(join(plain.dir, "openapi.d.ts"), "utf8");
      expect(types).toContain('"text/event-stream": never;');
      // The request's input stays the union of its readings (a list of types beside it would widen it to unknown[]).
      expect(types).toContain('input?: string | components["schemas"]["ContentList"] | components["schemas"]["StepList"];');
    },
    TSC_TIMEOUT,
  );

  it(
    "would not typecheck if the event stream were typed as a string beside the JSON body",
    () => {
      const asString = structuredClone(document);
      asString.paths["/v1/turns"].post.responses["200"].content["text/event-stream"].schema = { type: "string" };
      writeFileSync(join(work, "as-string.json"), JSON.stringify(asString));
      const checked = project("as-string", join(work, "as-string.json")).tsc();
      expect(checked.status).not.toBe(0);
      expect(checked.output).toMatch(/Property '(pending_calls|history|status|output_text)' does not exist on type 'string'/);
    },
    TSC_TIMEOUT,
  );

  it("runs turns against the relay: a function call answered, then a streamed turn", async () => {
    const program = await import(pathToFileURL(join(plain.dir, "out/turns.mjs")).href);
    const result = await program.run(stack.relayUrl);
    expect(result).toMatchObject({ firstStatus: "requires_action", call: "get_order_status", secondStatus: "completed", historyLength: 6 });
    expect(result.outputText).toMatch(/shipped/);
    expect(result.streamedEvents).toContain("turn.step");
    expect(result.streamedEvents.at(-1)).toBe("turn.completed");
    expect(result.streamedHistoryLength).toBeGreaterThan(1);
  });
});

describe("a client generated with @hey-api/openapi-ts (its fetch client)", () => {
  let made: ReturnType<typeof workDir>;

  it(
    "generates from /openapi.json without a warning, and a program typing the history as HistoryStep[] typechecks",
    () => {
      made = workDir("hey-api", "hey-api.mts", outside);
      // `.js` in the generated imports, as NodeNext needs; no log file left behind.
      const config = {
        input: `${stack.relayUrl}/openapi.json`,
        output: { path: "hey", module: { extension: ".js" } },
        logs: { file: false },
      };
      writeFileSync(join(made.dir, "openapi-ts.config.mjs"), `export default ${JSON.stringify(config)};`);
      const generated = node([bin("@hey-api/openapi-ts/bin/run.js"), "--file", "openapi-ts.config.mjs"], made.dir);
      expect(generated.status, generated.output).toBe(0);
      expect(generated.output).not.toMatch(/warn|error/i);
      expectTypechecked(
        made,
        "hey/types.gen.ts",
        /export type HistoryStep = \{\s+type: string;\s+\[key: string\]: unknown;\s+\}/,
        "history: Array<HistoryStep>;",
      );
    },
    TSC_TIMEOUT,
  );

  it("runs a function-call round trip against the relay", () => expectRoundTrip(made, "hey-api.mjs"));
});

describe("a client generated with orval 8 (its fetch client)", () => {
  let made: ReturnType<typeof workDir>;

  it(
    "generates from /openapi.json without a warning, and a program typing the history as HistoryStep[] typechecks",
    () => {
      made = workDir("orval", "orval.mts", outside);
      const config = {
        relay: {
          input: { target: `${stack.relayUrl}/openapi.json` },
          output: { target: "orval/relay.ts", client: "fetch", mode: "single", baseUrl: stack.relayUrl },
        },
      };
      writeFileSync(join(made.dir, "orval.config.cjs"), `module.exports = ${JSON.stringify(config)};`);
      // orval 8 needs Node 22.18 or later, so it is no devDependency (engine-strict, Node 20): npx brings it
      // with the current Node LTS, both from the registry once, then from npm's cache (as npm run test:lts).
      const run = spawnSync("npx", ["-y", "-p", ORVAL_NODE, "-p", ORVAL, "--", "orval", "--config", "orval.config.cjs"], {
        cwd: made.dir,
        env: quiet,
        encoding: "utf8",
        timeout: ORVAL_TIMEOUT,
      });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status, output).toBe(0);
      // Its own output only: npm's install notes (EBADENGINE under Node 20) are not orval's.
      const own = output.split("\n").filter((line) => !line.startsWith("npm warn"));
      expect(own.join("\n")).not.toMatch(/⚠|warn|error|Unsupported/i);
      expectTypechecked(
        made,
        "orval/relay.ts",
        /export interface HistoryStep \{\s*type: string;\s*\[key: string\]: unknown;\s*\}/,
        "history: HistoryStep[];",
      );
    },
    ORVAL_TIMEOUT + TSC_TIMEOUT,
  );

  it("runs a function-call round trip against the relay", () => expectRoundTrip(made, "orval.mjs"));
});

describe("Redocly lint (recommended rules, redocly.yaml)", () => {
  /** Lints a document saved as openapi.json beside the repository's Redocly configuration and ignore list. */
  function lint(doc: unknown) {
    const dir = mkdtempSync(join(work, "lint-"));
    for (const file of ["redocly.yaml", ".redocly.lint-ignore.yaml"]) copyFileSync(join(root, file), join(dir, file));
    writeFileSync(join(dir, "openapi.json"), JSON.stringify(doc, null, 1));
    const run = node([bin("@redocly/cli/bin/cli.js"), "lint", "openapi.json", "--format", "json"], dir);
    const report = JSON.parse(run.output.slice(run.output.indexOf("{"), run.output.lastIndexOf("}") + 1)) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string }[];
    };
    return { ...report.totals, rules: report.problems.filter((p) => !("ignored" in p && p.ignored)).map((p) => p.ruleId) };
  }

  it("finds no error and no warning in the document the relay serves", () => {
    const result = lint(document);
    expect(result.rules).toEqual([]);
    expect(result).toMatchObject({ errors: 0, warnings: 0 });
  });

  it("would warn about an operation without a success response, or a schema nothing uses", () => {
    const broken = structuredClone(document);
    delete broken.paths["/openapi.json"].get.responses["200"];
    broken.paths["/openapi.json"].get.responses["503"] = { description: "Down." };
    broken.components.schemas.Unused = { type: "string" };
    expect(lint(broken).rules.sort()).toEqual(["no-unused-components", "operation-2xx-response"]);
  });
});

describe("GET /docs over loopback", () => {
  it("the Scalar store test/openapi/document.test.ts loads the document into is the one the /docs bundle carries", () => {
    const manifest = (path: string) => JSON.parse(readFileSync(join(root, path, "package.json"), "utf8"));
    expect(manifest(".").devDependencies["@scalar/workspace-store"]).toBe(
      manifest("node_modules/@scalar/api-reference").dependencies["@scalar/workspace-store"],
    );
  });

  it("serves the page and, from the same origin, the Scalar bundle it loads", async () => {
    const page = await fetch(`${stack.relayUrl}/docs`);
    expect(page.status).toBe(200);
    const script = (await page.text()).match(/<script src="([^"]+)"/)![1]!;
    const bundle = await fetch(new URL(script, `${stack.relayUrl}/docs`));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
    expect(await bundle.text()).toContain("createApiReference");
  });
});

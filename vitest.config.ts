import { existsSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Lines a user would take for errors, though nothing failed; both come from pinned versions (the
// releases without them need Node 22), both are printed by this process, and only these exact lines
// are dropped:
// - vite: the published sourcemaps of @google/genai (2.x, and 3.x as @google/genai-3) and of
//   @workflow/serde (under the AI SDK) name sources the packages do not ship;
// - @cloudflare/vitest-pool-workers 0.15.1: workerd's notice that a test file's runner connection
//   closed, once per file (its own ignore list holds only the sibling "WebSocket was aborted").
const HARMLESS_NOTICES = [
  /^Sourcemap for "[^"]*\/node_modules\/(?:@google\/genai(?:-3)?|@workflow\/serde)\/[^"]*" points to missing source files\n$/,
  /^exception = workerd\/api\/web-socket\.c\+\+:\d+: disconnected: WebSocket peer disconnected\n$/,
];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    HARMLESS_NOTICES.some((notice) => notice.test(String(chunk))) || write(chunk, ...rest)) as typeof stream.write;
}

// CI asks for vitest's JSON report (it prints the final "N passed, M failed" line from it).
const jsonReport = process.env.VITEST_JSON_REPORT;

const WORKERD_TESTS = ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"];
const PROCESS_TESTS = ["test/node/**", "packages/*/test/node/**"];

/**
 * The workerd test files that change the module graph (vi.mock, vi.doMock, vi.resetModules): in a
 * shared graph their copies and mocks reach the files after them (a second errors.ts, whose RelayError
 * the first one's handler does not recognise, answers 500s), so they run isolated. Read from the files
 * themselves, so a new one cannot be forgotten.
 */
const WORKERD_FILES = ["test", ...readdirSync("packages").map((name) => `packages/${name}/test`)]
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir, { recursive: true, encoding: "utf8" }).map((file) => `${dir}/${file}`))
  .filter((file) => file.endsWith(".ts") && !file.includes("/node/") && !file.startsWith("test/setup/"));
const changesGraph = (file: string) => /\bvi\s*\.\s*(?:mock|doMock|unmock|doUnmock|resetModules)\b/.test(readFileSync(file, "utf8"));
const GRAPH_CHANGERS = WORKERD_FILES.filter((file) => file.endsWith(".test.ts") && changesGraph(file));
// A helper module that changed the graph would do it for every file importing it, unseen here.
const hiddenChangers = WORKERD_FILES.filter((file) => !file.endsWith(".test.ts") && changesGraph(file));
if (hiddenChangers.length) {
  throw new Error(`vi.mock, vi.doMock or vi.resetModules belongs in the test file that needs it, not in ${hiddenChangers.join(", ")}`);
}

function workerdProject(name: string, isolate: boolean) {
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { GEMINI_API_KEY: "test-key-0123456789" },
        },
      }),
    ],
    // The workspace packages from their sources (tsconfig.json `paths`), never a dist/ older than an edit.
    resolve: { tsconfigPaths: true },
    test: {
      name,
      // Files share their runner: one workerd and one module graph per vitest worker, not per file.
      // Isolated, each file started a workerd and loaded the relay, SDK and emulator again: about
      // 3/4 of the project's time. Shared state is the price: nothing may rely on a fresh module
      // (the store audit keeps its count on globalThis; files restore their spies and timers), and
      // memory: a runner's workerd grows to about 700 MB over the project (about 350 MB isolated).
      // The files that change the module graph pay for isolation instead (GRAPH_CHANGERS).
      isolate,
      // At least two runners, even on two cores: a runner's workerd waits on the vitest process (module
      // transforms, reports) as often as it computes, and two kept the whole project about a third
      // shorter there than one (vitest's default on two cores), for a few more CPU seconds.
      maxWorkers: Math.max(2, availableParallelism() - 1),
      include: isolate ? GRAPH_CHANGERS : WORKERD_TESTS,
      exclude: isolate ? [] : [...PROCESS_TESTS, ...GRAPH_CHANGERS],
      // The store=false audit of every upstream call a test's relay makes, checked as it is made.
      setupFiles: ["test/setup/store-audit.ts"],
    },
  };
}

export default defineConfig({
  test: {
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
    // The relay logs a line per request; show console output only for tests that fail.
    silent: "passed-only",
    projects: [
      // Everything that runs inside workerd: the relay, its modules, the packages (client, emulator).
      workerdProject("workers", false),
      workerdProject("workers-isolated", true),
      {
        // Whole-process checks on Node: `npm start`-style processes talking over loopback HTTP.
        // The packages from their sources here too (tsx reads the same `paths` in the processes it starts).
        resolve: { tsconfigPaths: true },
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts", "packages/*/test/node/**/*.test.ts"],
          environment: "node",
          // Every process a test starts is marked; one still alive when the run ends fails it.
          // The packages' dist/ rebuilt when out of step with their sources (three tests use the build).
          globalSetup: ["test/setup/process-mark.ts", "scripts/packages-built.mjs"],
          setupFiles: ["test/setup/mark-children.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One file at a time: each starts whole process trees (wrangler, workerd, npm), and on two
          // cores several at once made start-up races (a SIGTERM during wrangler's start) likelier.
          fileParallelism: false,
        },
      },
    ],
  },
});

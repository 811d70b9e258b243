#!/usr/bin/env node
// The workspace packages' dist/ as their sources are now: rebuilt (`npm run build:packages`, from
// scratch) unless the last build this script saw succeed is newer than every source, the packages'
// package.json and tsconfig.build.json, and dist/ holds exactly the modules src/ has; one in step
// costs a directory walk.
//
// The proof of a good build is a stamp (node_modules/.cache/gemini-relay/packages-built), written only
// once `npm run build:packages` exits 0, and dated when that build started (a source saved during it
// is newer). dist/'s own times prove nothing: tsc writes dist/ even when it fails, so a failed build
// left a dist/ newer than its sources, and the next run took it as current. The stamp goes before
// each build, so a failed one (or one stopped halfway) leaves none, and the next run builds again.
// The price: a build by hand or by `npm ci` (the packages' `prepare`) leaves no stamp either, so the
// first run after `npm ci` builds once more (about 7 s on 2 cores).
//
// The tests read the packages from src/ (tsconfig.json `paths`); what needs the build is what a user
// gets: node/packages.test.ts packs it, node/demo.test.ts bundles the client, node/docs-browser.test.ts
// serves the client to a browser, and bench/device.ts (type-checked by `tsc`) imports it. So `npm test`
// runs this first, and the node project runs it as a global setup (a node test run alone gets a
// current build too). test/node/packages-built.test.ts runs it on a stand-in package.
import { execFile } from "node:child_process";
import { mkdir, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The node project's global setup (vitest hands it a context this script has no use for). */
export default async function packagesBuilt() {
  await ensureBuilt();
}

/**
 * Builds the packages under `root` unless the stamp says their dist/ is current. The options exist for
 * the test: `build` stands in for `npm run build:packages`.
 */
export async function ensureBuilt({
  root = ROOT,
  packages = ["packages/client", "packages/emulator"],
  stamp = join(root, "node_modules", ".cache", "gemini-relay", "packages-built"),
  build = () => promisify(execFile)("npm", ["run", "build:packages"], { cwd: root }),
} = {}) {
  const builtAt = await stat(stamp).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
  const stale = [];
  for (const dir of packages) if (builtAt === undefined || (await isStale(join(root, dir), builtAt))) stale.push(dir);
  if (stale.length === 0) return;
  const started = new Date();
  await rm(stamp, { force: true });
  await Promise.all(packages.map((dir) => rm(join(root, dir, "dist"), { recursive: true, force: true })));
  try {
    await build();
  } catch (error) {
    throw new Error(`npm run build:packages failed (${stale.join(", ")} out of date):\n${error.stdout ?? ""}${error.stderr ?? ""}`, {
      cause: error,
    });
  }
  await mkdir(dirname(stamp), { recursive: true });
  await writeFile(stamp, "The packages' dist/ was built from their sources as they were at this file's modification time.\n");
  await utimes(stamp, started, started);
}

/** Whether `dir`'s dist/ is out of step with its src/ (see the top of this file), given the last good build's time. */
async function isStale(dir, builtAt) {
  const [sources, built] = await Promise.all([files(join(dir, "src"), ".ts"), files(join(dir, "dist"), ".js")]);
  const modules = (list, ext) =>
    [...list.keys()]
      .map((path) => path.slice(0, -ext.length))
      .sort()
      .join("\n");
  if (built.size === 0 || modules(sources, ".ts") !== modules(built, ".js")) return true;
  const settings = await Promise.all(["package.json", "tsconfig.build.json"].map(async (name) => (await stat(join(dir, name))).mtimeMs));
  return Math.max(...sources.values(), ...settings) > builtAt;
}

/** Every file under `dir` ending in `ext` (declaration files aside): path relative to `dir` -> modification time. */
async function files(dir, ext) {
  const found = new Map();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []); // no dist/ yet
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(ext) || entry.name.endsWith(".d.ts")) continue;
    const path = join(entry.parentPath, entry.name);
    found.set(relative(dir, path), (await stat(path)).mtimeMs);
  }
  return found;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await packagesBuilt().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}

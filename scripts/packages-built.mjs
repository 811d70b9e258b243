#!/usr/bin/env node
// The workspace packages' dist/ as their sources are now: rebuilt (`npm run build:packages`, from
// scratch) when it lacks a module of src/, holds one src/ no longer has, or is older than a source,
// the package's package.json or its tsconfig.build.json; one in step costs a directory walk.
//
// The tests read the packages from src/ (tsconfig.json `paths`); what needs the build is what a user
// gets: node/packages.test.ts packs it, node/demo.test.ts bundles the client, node/docs-browser.test.ts
// serves the client to a browser, and bench/device.ts (type-checked by `tsc`) imports it. So `npm test`
// runs this first, and the node project runs it as a global setup (a node test run alone gets a
// current build too). After `npm ci`, which builds the packages (their `prepare`), it builds nothing.
import { execFile } from "node:child_process";
import { readdir, rm, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const PACKAGES = ["packages/client", "packages/emulator"];

export default async function packagesBuilt() {
  const stale = [];
  for (const dir of PACKAGES) if (await isStale(join(root, dir))) stale.push(dir);
  if (stale.length === 0) return;
  await Promise.all(PACKAGES.map((dir) => rm(join(root, dir, "dist"), { recursive: true, force: true })));
  try {
    await promisify(execFile)("npm", ["run", "build:packages"], { cwd: root });
  } catch (error) {
    throw new Error(`npm run build:packages failed (${stale.join(", ")} out of date):\n${error.stdout ?? ""}${error.stderr ?? ""}`, {
      cause: error,
    });
  }
}

/** Whether `dir`'s dist/ is out of step with its src/ (see the top of this file). */
async function isStale(dir) {
  const [sources, built] = await Promise.all([files(join(dir, "src"), ".ts"), files(join(dir, "dist"), ".js")]);
  const modules = (list, ext) =>
    [...list.keys()]
      .map((path) => path.slice(0, -ext.length))
      .sort()
      .join("\n");
  if (built.size === 0 || modules(sources, ".ts") !== modules(built, ".js")) return true;
  const settings = await Promise.all(["package.json", "tsconfig.build.json"].map(async (name) => (await stat(join(dir, name))).mtimeMs));
  return Math.max(...sources.values(), ...settings) > Math.min(...built.values());
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

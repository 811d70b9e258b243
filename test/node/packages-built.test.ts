// scripts/packages-built.mjs on a stand-in package in a temp folder, its build a function: a failed build
// (which, as tsc does, still wrote dist/) is never taken for a current one, and a good one is built once.
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error: a script, typed by its use here
import { ensureBuilt } from "../../scripts/packages-built.mjs";

let root: string;
let builds: number;
const pkg = () => join(root, "packages", "p");
const stamp = () => join(root, "stamp");

/** A build that writes dist/ as tsc does (from src/'s module names), then fails or succeeds. */
function build(fails: boolean, modules = ["a"]) {
  return async () => {
    builds++;
    await mkdir(join(pkg(), "dist"), { recursive: true });
    for (const name of modules) await writeFile(join(pkg(), "dist", `${name}.js`), "export {};\n");
    if (fails) throw Object.assign(new Error("tsc failed"), { stdout: "src/a.ts(1,1): error TS2322\n" });
  };
}
const run = (fails: boolean, modules?: string[]) =>
  ensureBuilt({ root, packages: ["packages/p"], stamp: stamp(), build: build(fails, modules) }) as Promise<void>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "packages-built-"));
  builds = 0;
  await mkdir(join(pkg(), "src"), { recursive: true });
  await writeFile(join(pkg(), "src", "a.ts"), "export {};\n");
  await writeFile(join(pkg(), "package.json"), "{}\n");
  await writeFile(join(pkg(), "tsconfig.build.json"), "{}\n");
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("scripts/packages-built.mjs", () => {
  it("builds again after a failed build, though that build left a dist/ newer than the sources", async () => {
    await expect(run(true)).rejects.toThrow(/build:packages failed \(packages\/p out of date\):\nsrc\/a\.ts/);
    await expect(run(true)).rejects.toThrow(/build:packages failed/);
    expect(builds).toBe(2);
    await run(false);
    expect(builds).toBe(3);
  });

  it("builds nothing when the last good build is newer than every source, and again once one changes", async () => {
    await run(false);
    await run(false);
    expect(builds).toBe(1);
    const later = new Date(Date.now() + 60_000);
    await utimes(join(pkg(), "src", "a.ts"), later, later);
    await run(false);
    expect(builds).toBe(2);
  });

  it("builds again when dist/ lacks a module src/ has (a stamp alone is not enough)", async () => {
    await run(false);
    await writeFile(join(pkg(), "src", "b.ts"), "export {};\n");
    const earlier = new Date(Date.now() - 60_000);
    await utimes(join(pkg(), "src", "b.ts"), earlier, earlier); // older than the stamp: only the module list tells
    await run(false, ["a", "b"]);
    expect(builds).toBe(2);
  });
});

// docs/architecture.md describes the tree a new engineer will open: it must name every module under
// src/, in the folder it is in, and name nothing that is not there.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The files git tracks under src/ (what a clone holds; local build and state folders are not the tree). */
function trackedSources(): string[] {
  return execFileSync("git", ["ls-files", "src"], { encoding: "utf8" }).split("\n").filter(Boolean);
}

/**
 * The src/ paths the "The tree" block of docs/architecture.md names: a line's first word is a folder (`http/`) or a
 * file (`app.ts`), placed by its indentation under the folders above it. Words after the first are
 * description, free to mention anything.
 */
function treeEntries(page: string): string[] {
  const section = page.split("\n## The tree\n")[1];
  if (section === undefined) throw new Error('docs/architecture.md has no "## The tree" section');
  const block = section.split("```")[1] ?? "";
  const entries: string[] = [];
  const folders: { indent: number; name: string }[] = [];
  for (const line of block.split("\n")) {
    const match = /^( *)(\S+)/.exec(line);
    if (!match) continue;
    const indent = match[1]!.length;
    const word = match[2]!;
    while (folders.length > 0 && folders.at(-1)!.indent >= indent) folders.pop();
    const path = [...folders.map((folder) => folder.name), word].join("");
    if (!path.startsWith("src/")) continue;
    if (word.endsWith("/")) folders.push({ indent, name: word });
    else entries.push(path);
  }
  return entries;
}

describe("the tree in docs/architecture.md", () => {
  const named = treeEntries(readFileSync("docs/architecture.md", "utf8"));

  it("names every module under src/, in its folder", () => {
    const missing = trackedSources().filter((file) => !named.includes(file));
    expect(missing).toEqual([]);
  });

  it("names nothing under src/ that does not exist", () => {
    const actual = new Set(trackedSources());
    expect(named.filter((file) => !actual.has(file))).toEqual([]);
  });

  it("is read by folder and indentation (a file moved in the text is a different path)", () => {
    const sample =
      "\n## The tree\n\n```\nsrc/\n  app.ts    the app\n  http/     plumbing\n    body.ts reads\n  turn/\n    run.ts  see app.ts\ntest/     mirrors src/\n```\n";
    expect(treeEntries(sample)).toEqual(["src/app.ts", "src/http/body.ts", "src/turn/run.ts"]);
  });
});

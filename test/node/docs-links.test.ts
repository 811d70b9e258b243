// The README is the front door: short, and every door in it opens. It stays within 300 lines, names
// every page of docs/, and every relative link in it and in docs/ (and in the packages' READMEs it
// sends readers to) reaches a file that exists and, with a #fragment, a heading that file has.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { headingAnchors, markdownLinks } from "./markdown-links";

const README_MAX_LINES = 300;

/** Every markdown file under docs/, as a path from the repository's root. */
function docsPages(dir = "docs"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? docsPages(join(dir, entry.name)) : entry.name.endsWith(".md") ? [join(dir, entry.name)] : [],
  );
}

/** The relative links of one markdown file that do not resolve, as `target: why`. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return markdownLinks(text).flatMap((link) => {
    if (/^[a-z][a-z+.-]*:/i.test(link)) return []; // https:, mailto: and the like: not ours to check here
    const [path = "", fragment] = link.split("#", 2);
    const target = path === "" ? file : normalize(join(dirname(file), decodeURI(path)));
    if (!existsSync(target)) return [`${link}: no file ${target}`];
    if (fragment === undefined || !target.endsWith(".md")) return [];
    return headingAnchors(readFileSync(target, "utf8")).has(fragment) ? [] : [`${link}: no heading #${fragment} in ${target}`];
  });
}

describe("the README", () => {
  const readme = readFileSync("README.md", "utf8");

  it(`stays a front door: at most ${README_MAX_LINES} lines`, () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("links every page of docs/", () => {
    const linked = new Set(markdownLinks(readme).map((link) => normalize(link.split("#")[0]!)));
    expect(docsPages().filter((page) => !linked.has(page))).toEqual([]);
  });

  it("holds no commit hash and no dated figure (those live in the files the tools write)", () => {
    expect(readme.match(/\b(?:commit|at|since) [0-9a-f]{7,40}\b/g) ?? []).toEqual([]);
    expect(readme.match(/\b20\d\d-\d\d-\d\d\b/g) ?? []).toEqual([]);
  });
});

describe("relative links resolve", () => {
  const files = ["README.md", ...docsPages(), "packages/client/README.md", "packages/emulator/README.md", "bench/README.md"];
  it.each(files.map((file) => [relative(".", file)]))("in %s", (file) => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

// @google/genai is the reference for the Interactions wire and types the upstream module, but the
// Worker does not carry it: every mention of it under src/ is a type import, which esbuild drops, so
// none of its code is bundled (it was 933 KiB of a 1,479 KiB Worker). The tests drive the SDK itself.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const SDK = /["']@google\/genai(?:-3)?(?:\/[^"']*)?["']/;

/** Each import, export-from or dynamic import naming the SDK in a tracked src/ file, with its file. */
function sdkReferences(): { file: string; statement: string }[] {
  const files = execFileSync("git", ["ls-files", "src"], { encoding: "utf8" })
    .split("\n")
    .filter((file) => file.endsWith(".ts"));
  return files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\b(?:import|export)\b[^;]*?;/gs)]
      .map((match) => match[0])
      .filter((statement) => SDK.test(statement))
      .map((statement) => ({ file, statement: statement.replace(/\s+/g, " ") })),
  );
}

describe("@google/genai in src/", () => {
  it("is imported for its types only", () => {
    const references = sdkReferences();
    expect(references.length, "the upstream module types its calls with the SDK's types").toBeGreaterThan(0);
    for (const { file, statement } of references) expect(statement, file).toMatch(/^import type \{[^}]*\} from /);
  });
});

// The layers of src/ (docs/architecture.md, "Layers") are checked by lint: an import from a higher
// floor fails `npm run lint`, a type-only one included, while one from the same floor or below passes.
// Each case lints a module's own text plus one import, as if it were that module, with the repo's config.
import { readFileSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

/** The layer rule's findings for `file` with `line` added after its imports. */
async function layerFindings(file: string, line: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${line}\n${readFileSync(file, "utf8")}`, { filePath: file });
  return result!.messages.filter((message) => message.ruleId === "import-x/no-restricted-paths").map((message) => message.message);
}

describe("the layer order, in lint", () => {
  it("refuses an import from a higher floor, naming the layer and the doc", { timeout: 60_000 }, async () => {
    const [finding] = await layerFindings("src/errors.ts", 'import { retentionHeader } from "./turn/retention";');
    expect(finding).toMatch(/"\.\/turn\/retention" imported in restricted zone/);
    expect(finding).toMatch(/the ground floor .*"Layers" in docs\/architecture\.md/);
  });

  it("refuses a type-only import from a higher floor too", { timeout: 60_000 }, async () => {
    expect(await layerFindings("src/upstream/upstream.ts", 'import type { TurnInput } from "../turn/response";')).toHaveLength(1);
    expect(await layerFindings("src/http/sse-response.ts", 'import type { AppEnv } from "../env";')).toHaveLength(1);
  });

  it("lets a module import from its own floor and the floors below", { timeout: 60_000 }, async () => {
    expect(await layerFindings("src/turn/run.ts", 'import type { UpstreamSession } from "../upstream/session";')).toEqual([]);
    expect(await layerFindings("src/routes/checks.ts", 'import { openApiDocument } from "../openapi/document";')).toEqual([]);
    expect(await layerFindings("src/steps.ts", 'import { RelayError } from "./errors";')).toEqual([]);
  });
});

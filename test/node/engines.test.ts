// What engine-strict used to hold (.npmrc says why it is off): every installed package's engines accept
// the Node running the suite, except the few that run only inside workerd, named here. A new package that
// needs a newer Node fails this test instead of failing `npm ci` for everyone on the project's Node.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = join(fileURLToPath(import.meta.url), "../../..");
const { satisfies } = createRequire(import.meta.url)("semver") as { satisfies(version: string, range: string): boolean };

/**
 * Clients test/routes/interactions-clients.test.ts drives in workerd (never on this Node), and what they
 * bring: @google/genai 3 (under its alias's path), the Vercel AI SDK and its Google provider.
 */
const WORKERD_ONLY = new Set(["@google/genai-3", "ai", "@ai-sdk/google", "@ai-sdk/gateway", "@ai-sdk/provider", "@ai-sdk/provider-utils"]);

interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
}

it("every installed package's engines accept this Node, but for the workerd-only clients", () => {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const refusing = Object.entries(lock.packages)
    .filter(([, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return range !== undefined && !satisfies(process.versions.node, range);
    })
    .map(([path, entry]) => ({
      name: path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
      path,
      version: entry.version,
    }));
  expect(refusing.filter((p) => !WORKERD_ONLY.has(p.name))).toEqual([]);
  // The list stays honest: each name on it is installed (on a newer Node, none of them refuses).
  const installed = new Set(
    Object.keys(lock.packages).map((path) => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)),
  );
  expect([...WORKERD_ONLY].filter((name) => !installed.has(name))).toEqual([]);
});

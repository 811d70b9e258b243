// The relay keeps nothing: its Worker configuration declares no storage, and its code never touches a cache.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";

/** Every binding kind that stores data (or hands it to a service that does). */
const STORAGE_KINDS = [
  "kv_namespaces",
  "d1_databases",
  "r2_buckets",
  "durable_objects",
  "queues",
  "analytics_engine_datasets",
  "vectorize",
  "hyperdrive",
  "workflows",
  "pipelines",
  "ai_search_namespaces",
] as const;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The storage bindings a wrangler config declares, as `kind` names, as wrangler itself reads them. */
function storageBindings(configPath: string): string[] {
  const config = unstable_readConfig({ config: configPath }) as unknown as Record<string, unknown>;
  return STORAGE_KINDS.filter((kind) => {
    const value = config[kind];
    const declared = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value).flat() : [];
    return declared.length > 0;
  });
}

describe("privacy: the Worker has nowhere to keep a conversation", () => {
  it("declares no storage binding in wrangler.toml (in any environment)", () => {
    expect(storageBindings("wrangler.toml")).toEqual([]);
    const config = unstable_readConfig({ config: "wrangler.toml" }) as unknown as Record<string, unknown>;
    expect(Object.keys(config.definedEnvironments ?? {})).toEqual([]);
    // The one binding it has is a counter for rate limits, not storage.
    expect((config.ratelimits as { name: string }[]).map((r) => r.name)).toEqual(["CALLER_RATE_LIMIT"]);
  });

  it("never uses the Cache API or cache-everything fetches in its source", () => {
    const sources = files("src").filter((f) => f.endsWith(".ts"));
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/\bcaches\s*\.|\bcaches\s*\[|new\s+Cache\b|cacheTtl|cacheEverything|cf\s*:\s*\{/);
    }
  });

  it("is caught by this check: the same config plus a storage binding fails it", () => {
    const dir = mkdtempSync(join(tmpdir(), "relay-privacy-"));
    try {
      const withKv = join(dir, "wrangler.toml");
      const original = readFileSync("wrangler.toml", "utf8").replace(
        /^main = "([^"]+)"/m,
        (_, main: string) => `main = ${JSON.stringify(join(process.cwd(), main))}`,
      );
      writeFileSync(withKv, `${original}\n[[kv_namespaces]]\nbinding = "TRANSCRIPTS"\nid = "0123456789abcdef"\n`);
      expect(storageBindings(withKv)).toEqual(["kv_namespaces"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The relay keeps nothing: its Worker configuration declares no storage, and its code never touches a cache.
import { readdirSync, readFileSync, statSync } from "node:fs";
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

describe("privacy: the Worker has nowhere to keep a conversation", () => {
  it("declares no storage binding in wrangler.toml (in any environment)", () => {
    const config = unstable_readConfig({ config: "wrangler.toml" }) as unknown as Record<string, unknown>;
    for (const kind of STORAGE_KINDS) {
      const value = config[kind];
      const declared = Array.isArray(value) ? value : value && typeof value === "object" ? Object.values(value).flat() : [];
      expect(declared, `${kind} in wrangler.toml`).toEqual([]);
    }
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

  it("is caught by this check: a storage binding would fail it", () => {
    const text = readFileSync("wrangler.toml", "utf8");
    expect(text).not.toMatch(/^\s*\[\[?(kv_namespaces|d1_databases|r2_buckets|queues|durable_objects|analytics_engine_datasets|vectorize|hyperdrive)/m);
  });
});

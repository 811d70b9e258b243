/**
 * The retention guard: refuses, with a reason, anything that would make Google keep data despite
 * store=false, and reports what a request does leave behind (the Relay-Retention header).
 */
import type { Config } from "./config";
import { RelayError, jsonPointer, type ProblemItem } from "./errors";
import type { JsonObject } from "./schemas";

export type RetentionPolicy = Pick<Config, "allowGrounding" | "allowStoredResources">;

/** What a request leaves behind upstream, beyond the relay's own "nothing". */
export interface RetentionReport {
  /** Grounding tools used (Google keeps their prompts and results for 30 days). */
  grounding: string[];
  /** Stored resources referenced (file search stores, Files API uploads). */
  storedResources: string[];
}

/** Top-level fields that bring back server-side state; the relay refuses each with its reason. */
const REFUSED_FIELDS: ReadonlyArray<{ field: string; refuses: (value: unknown) => boolean; why: string }> = [
  { field: "store", refuses: (v) => v !== false, why: "store must be false or absent: this relay never lets Google store an interaction (55 days on paid tiers, 1 day on free)" },
  { field: "background", refuses: (v) => v !== false, why: "background runs need an interaction stored at Google" },
  { field: "previous_interaction_id", refuses: () => true, why: "previous_interaction_id points at history stored at Google; send the whole transcript instead" },
  { field: "agent", refuses: () => true, why: "agents (e.g. Deep Research) run as stored background interactions at Google" },
  { field: "agent_config", refuses: () => true, why: "agent_config only applies to agents, which run as stored interactions at Google" },
  { field: "environment", refuses: () => true, why: "environments are stored at Google" },
  { field: "cached_content", refuses: () => true, why: "cached_content refers to an explicit cache stored at Google until it expires" },
];

const GROUNDING_TOOLS = new Set(["google_search", "google_maps"]);
const STORED_RESOURCE_TOOLS = new Set(["file_search"]);
/** A Files API upload: `files/abc` or its full URL, kept at Google until it expires or is deleted. */
const FILES_API_URI = /^(?:https:\/\/generativelanguage\.googleapis\.com\/[^/]+\/)?files\/[^/]+$/;

export function guardRetention(body: JsonObject, policy: RetentionPolicy): RetentionReport {
  const errors: ProblemItem[] = [];
  const report: RetentionReport = { grounding: [], storedResources: [] };

  for (const { field, refuses, why } of REFUSED_FIELDS) {
    if (body[field] !== undefined && refuses(body[field])) errors.push({ path: jsonPointer([field]), message: `would make Google retain data: ${why}` });
  }

  (Array.isArray(body.tools) ? body.tools : []).forEach((tool, i) => {
    const type = (tool as { type?: unknown })?.type;
    if (typeof type !== "string") return;
    if (GROUNDING_TOOLS.has(type)) {
      if (policy.allowGrounding) addOnce(report.grounding, type);
      else errors.push({ path: jsonPointer(["tools", i]), message: `would make Google retain data: ${type} grounding keeps prompts and results for 30 days at Google; the relay's operator has not enabled it (ALLOW_GROUNDING)` });
    } else if (STORED_RESOURCE_TOOLS.has(type)) {
      if (policy.allowStoredResources) addOnce(report.storedResources, type);
      else errors.push({ path: jsonPointer(["tools", i]), message: `would make Google retain data: ${type} reads a store kept at Google; the relay's operator has not enabled stored resources (ALLOW_STORED_RESOURCES)` });
    }
  });

  for (const path of filesApiUris(body)) {
    if (policy.allowStoredResources) addOnce(report.storedResources, "files");
    else errors.push({ path, message: "would make Google retain data: this Files API upload is stored at Google; send the bytes inline in `data`, or ask the operator to enable stored resources (ALLOW_STORED_RESOURCES)" });
  }

  if (errors.length > 0) {
    throw new RelayError(400, "retention_refused", {
      detail: `Refused: ${errors.map((e) => e.path.slice(1)).join(", ")} would make Google retain data. This relay calls Gemini with store=false and nothing else kept.`,
      errors,
    });
  }
  return report;
}

/** The Relay-Retention header: what this request left behind at the relay and upstream. */
export function retentionHeader(report: RetentionReport | undefined): string {
  const parts = ["relay=none", "upstream-store=false"];
  if (report && report.grounding.length > 0) parts.push(`grounding=${report.grounding.join(",")}`, "grounding-retention=30d");
  else parts.push("grounding=none");
  if (report && report.storedResources.length > 0) parts.push(`stored-resources=${report.storedResources.join(",")}`);
  return parts.join("; ");
}

/** Pointers to every content block (in history or input, any step) whose uri is a Files API upload. */
function* filesApiUris(body: JsonObject): Generator<string> {
  for (const field of ["history", "input"] as const) {
    const value = body[field];
    const items = Array.isArray(value) ? value : value !== null && typeof value === "object" ? [value] : [];
    for (let i = 0; i < items.length; i++) {
      const at = Array.isArray(value) ? [field, i] : [field];
      yield* blockUris(items[i], at);
      const item = items[i] as JsonObject | null;
      for (const list of ["content", "result", "summary"] as const) {
        const blocks = item?.[list];
        if (Array.isArray(blocks)) for (let j = 0; j < blocks.length; j++) yield* blockUris(blocks[j], [...at, list, j]);
      }
    }
  }
}

function* blockUris(block: unknown, at: PropertyKey[]): Generator<string> {
  const uri = (block as { uri?: unknown } | null)?.uri;
  if (typeof uri === "string" && FILES_API_URI.test(uri)) yield jsonPointer([...at, "uri"]);
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

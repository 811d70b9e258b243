/**
 * The retention guard: refuses, with a reason, anything that would make Google keep data despite
 * store=false, and reports what a request does leave behind (the Relay-Retention header).
 */
import type { Config } from "../config";
import { RelayError, jsonPointer, type ProblemItem } from "../errors";
import type { JsonObject } from "../schemas";

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
  {
    field: "store",
    refuses: (v) => v !== false,
    why: "store must be false or absent: this relay never lets Google store an interaction (55 days on paid tiers, 1 day on free)",
  },
  { field: "background", refuses: (v) => v !== false, why: "background runs need an interaction stored at Google" },
  {
    field: "previous_interaction_id",
    refuses: () => true,
    why: "previous_interaction_id points at history stored at Google; send the whole transcript instead",
  },
  { field: "agent", refuses: () => true, why: "agents (e.g. Deep Research) run as stored background interactions at Google" },
  { field: "agent_config", refuses: () => true, why: "agent_config only applies to agents, which run as stored interactions at Google" },
  { field: "environment", refuses: () => true, why: "environments are stored at Google" },
  { field: "cached_content", refuses: () => true, why: "cached_content refers to an explicit cache stored at Google until it expires" },
  { field: "webhook_config", refuses: () => true, why: "webhooks report on background interactions, which are stored at Google" },
];

/** The top-level fields the guard refuses (the request validators know them, so they get this reason, not "unknown field"). */
export const REFUSED_FIELD_NAMES = REFUSED_FIELDS.map(({ field }) => field);

const GROUNDING_TOOLS = new Set(["google_search", "google_maps"]);
const STORED_RESOURCE_TOOLS = new Set(["file_search", "retrieval"]);
/**
 * A resource stored at Google: a Files API upload (`files/abc`), a cache or a file search store, by
 * name or full URL. Kept there until it expires or is deleted.
 */
const STORED_RESOURCE_NAME =
  /^(?:https:\/\/generativelanguage\.googleapis\.com\/[^/]+\/)?(?:files|cachedContents|fileSearchStores)\/[^/]+$/;
/** Keys whose string values name a resource (uri, file_uri, document_uri, url, ...). */
const RESOURCE_KEY = /ur[il]/i;

/**
 * Refuses what would make Google retain data, with a reason per finding. `body` holds the request's
 * top-level fields; `storedReferences` the pointers to resource references found in its steps.
 */
export function guardRetention(body: JsonObject, policy: RetentionPolicy, storedReferences: readonly string[] = []): RetentionReport {
  const errors: ProblemItem[] = [];
  const report: RetentionReport = { grounding: [], storedResources: [] };

  for (const { field, refuses, why } of REFUSED_FIELDS) {
    if (body[field] !== undefined && refuses(body[field]))
      errors.push({ path: jsonPointer([field]), message: `would make Google retain data: ${why}` });
  }

  (Array.isArray(body.tools) ? body.tools : []).forEach((tool, i) => {
    const type = (tool as { type?: unknown })?.type;
    if (typeof type !== "string") return;
    if (GROUNDING_TOOLS.has(type)) {
      if (policy.allowGrounding) addOnce(report.grounding, type);
      else
        errors.push({
          path: jsonPointer(["tools", i]),
          message: `would make Google retain data: ${type} grounding keeps prompts and results for 30 days at Google; the relay's operator has not enabled it (ALLOW_GROUNDING)`,
        });
    } else if (STORED_RESOURCE_TOOLS.has(type)) {
      if (policy.allowStoredResources) addOnce(report.storedResources, type);
      else
        errors.push({
          path: jsonPointer(["tools", i]),
          message: `would make Google retain data: ${type} reads a store kept at Google; the relay's operator has not enabled stored resources (ALLOW_STORED_RESOURCES)`,
        });
    }
  });

  for (const path of storedReferences) {
    if (policy.allowStoredResources) addOnce(report.storedResources, "files");
    else
      errors.push({
        path,
        message:
          "would make Google retain data: this names a resource stored at Google (a Files API upload, cache or store); send the bytes inline in `data`, or ask the operator to enable stored resources (ALLOW_STORED_RESOURCES)",
      });
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

/**
 * Pointers to every reference to a stored resource inside a step, at any depth and in any step or
 * block type (known today or not): strings under a uri/url-like key that name one.
 */
export function findStoredReferences(value: unknown, at: PropertyKey[], found: string[] = []): string[] {
  // One path stack for the walk, copied only on a finding: history steps can hold many nodes.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        at.push(i);
        findStoredReferences(item, at, found);
        at.pop();
      }
    }
  } else if (typeof value === "object" && value !== null) {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const member = (value as Record<string, unknown>)[key];
      if (typeof member === "string") {
        if (RESOURCE_KEY.test(key) && STORED_RESOURCE_NAME.test(member)) found.push(jsonPointer([...at, key]));
      } else if (typeof member === "object" && member !== null) {
        at.push(key);
        findStoredReferences(member, at, found);
        at.pop();
      }
    }
  }
  return found;
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

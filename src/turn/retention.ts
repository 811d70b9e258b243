/**
 * The retention guard: refuses, with a reason, anything that would make Google keep data despite
 * store=false, and reports what a request does leave behind (the Relay-Retention header).
 */
import type { Config } from "../config";
import { REFUSED_FIELDS as TABLE_REFUSED } from "../fields";
import { Listing, MAX_LISTED, RelayError, boundedPointer, jsonPointer, moreProblems, type ProblemItem } from "../errors";
import { INPUT_STEP_TYPES, type JsonObject } from "../schemas";
import { isModelAuthored, type StepRef } from "../steps";
import { moreWarnings, type TurnWarning } from "../warnings";

export type RetentionPolicy = Pick<Config, "allowGrounding" | "allowStoredResources">;

/** What a request leaves behind upstream, beyond the relay's own "nothing". */
export interface RetentionReport {
  /** Grounding tools used (Google keeps their prompts and results for 30 days). */
  grounding: string[];
  /** Stored resources referenced (file search stores, Files API uploads). */
  storedResources: string[];
}

/**
 * Top-level fields that bring back server-side state (src/fields.ts' refused rows); the relay refuses
 * each with its reason, store and background unless they are `false`.
 */
const SNAKE_REFUSED_FIELDS = TABLE_REFUSED.map(({ name, allowed, why }) => ({
  field: name,
  refuses: (value: unknown) => allowed === undefined || value !== allowed,
  why,
}));

/**
 * Each refused field under both its spellings: Google's JSON parsers commonly accept a field's
 * lowerCamelCase name too (`previousInteractionId`), so the alias is refused for the same reason.
 */
const REFUSED_FIELDS = SNAKE_REFUSED_FIELDS.flatMap((rule) => {
  const camel = rule.field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return camel === rule.field ? [rule] : [rule, { ...rule, field: camel, why: `${camel} is ${rule.field} by another name: ${rule.why}` }];
});

/** The top-level fields the guard refuses (the request validators know them, so they get this reason, not "unknown field"). */
export const REFUSED_FIELD_NAMES = REFUSED_FIELDS.map(({ field }) => field);

const GROUNDING_TOOLS = new Set(["google_search", "google_maps"]);
const STORED_RESOURCE_TOOLS = new Set(["file_search", "retrieval"]);

/**
 * Refuses what would make Google retain data, with a reason per finding. `body` holds the request's
 * top-level fields; `storedReferences` the pointers to resource references found in the caller's
 * steps and new input (refused unless the operator allows stored resources); `modelReferences`
 * those found in the history's model-authored steps, which are reported, never refused: the relay
 * returned them (closure; replyRetentionWarnings said so on the turn that did).
 */
export function guardRetention(
  body: JsonObject,
  policy: RetentionPolicy,
  storedReferences: readonly string[] = [],
  modelReferences: readonly string[] = [],
): RetentionReport {
  // At most MAX_LISTED findings written out: a body can name millions of stored resources or tools.
  const errors = new Listing<ProblemItem>(moreProblems("finding"));
  const report: RetentionReport = { grounding: [], storedResources: [] };

  for (const { field, refuses, why } of REFUSED_FIELDS) {
    if (body[field] !== undefined && refuses(body[field]))
      errors.add(() => ({ path: jsonPointer([field]), message: `would make Google retain data: ${why}` }));
  }

  (Array.isArray(body.tools) ? body.tools : []).forEach((tool, i) => {
    const type = (tool as { type?: unknown })?.type;
    if (typeof type !== "string") return;
    if (GROUNDING_TOOLS.has(type)) {
      if (policy.allowGrounding) addOnce(report.grounding, type);
      else
        errors.add(() => ({
          path: jsonPointer(["tools", i]),
          message: `would make Google retain data: ${type} grounding keeps prompts and results for 30 days at Google; the relay's operator has not enabled it (ALLOW_GROUNDING)`,
        }));
    } else if (STORED_RESOURCE_TOOLS.has(type)) {
      if (policy.allowStoredResources) addOnce(report.storedResources, type);
      else
        errors.add(() => ({
          path: jsonPointer(["tools", i]),
          message: `would make Google retain data: ${type} reads a store kept at Google; the relay's operator has not enabled stored resources (ALLOW_STORED_RESOURCES)`,
        }));
    }
  });

  for (const path of storedReferences) {
    if (policy.allowStoredResources) addOnce(report.storedResources, "files");
    else
      errors.add(() => ({
        path,
        message:
          "would make Google retain data: this names a resource stored at Google (a Files API upload, cache or store); send the bytes inline in `data`, or ask the operator to enable stored resources (ALLOW_STORED_RESOURCES)",
      }));
  }

  if (modelReferences.length > 0) addOnce(report.storedResources, "files");

  if (errors.count > 0) {
    const named = errors.listed.slice(0, 3).map((e) => e.path.slice(1));
    if (errors.count > 3) named.push(`${errors.count - 3} more`);
    throw new RelayError(400, "retention_refused", {
      detail: `Refused: ${named.join(", ")} would make Google retain data. This relay calls Gemini with store=false and nothing else kept.`,
      errors: errors.items(),
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
 * What the guard looks for: a resource stored at Google (a Files API upload, a cache, a file search
 * store), by name (`files/abc`) or by URL, in any spelling Google's servers would read the same:
 * scheme and host in any case, the mTLS host, any port, with or without the scheme, the `/upload/`
 * and `/download/` paths, `.` and `..` segments, a trailing slash, percent-escapes.
 */
export function namesStoredResource(value: string): boolean {
  const text = value.trim();
  // Without its scheme (`host:443/v1beta/files/abc` reads as scheme `host`), a URL names the same resource.
  const url = geminiUrl(text) ?? geminiUrl(`https://${text.replace(/^\/\//, "")}`);
  let segments: string[];
  if (url) segments = apiPath(pathSegments(url.pathname));
  else if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return false;
  else segments = pathSegments(text);
  return segments.length >= 2 && STORED_COLLECTIONS.has(segments[0]!.toLowerCase());
}

/** `text` as a URL on a Gemini API host, its path's `.` and `..` resolved; undefined if it is not one. */
function geminiUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return GEMINI_HOSTS.has(url.hostname.replace(/\.$/, "")) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A Gemini API URL path without its `upload/` or `download/` prefix and version: `upload/v1beta/files/abc` → `files/abc`. */
function apiPath(segments: string[]): string[] {
  const first = segments[0]?.toLowerCase();
  return segments.slice(first === "upload" || first === "download" ? 2 : 1);
}

const GEMINI_HOSTS = new Set(["generativelanguage.googleapis.com", "generativelanguage.mtls.googleapis.com"]);
/** Collections of resources Google keeps until they expire or are deleted (compared in lower case, to fail closed). */
const STORED_COLLECTIONS = new Set(["files", "cachedcontents", "filesearchstores"]);

/** A path's segments, each percent-decoded, empty ones (doubled or trailing slashes) dropped. */
function pathSegments(path: string): string[] {
  return path
    .split("/")
    .filter((segment) => segment !== "")
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

/** Content blocks whose URI Gemini fetches. */
const MEDIA_TYPES = new Set(["image", "audio", "video", "document"]);
/**
 * Types known to hold no URI Gemini fetches: text blocks, annotations (a citation names a source, it
 * is not fetched) and every step type (the blocks inside a step are still examined).
 */
const INERT_TYPES = new Set<unknown>([
  "text",
  "url_citation",
  "file_citation",
  "place_citation",
  "speech_metadata",
  "word_info",
  ...INPUT_STEP_TYPES,
]);
/** A member naming a URI or a list of them, as a word: `uri`, `file_uri`, `fileUri`, `uris`, `url`, not `curl` or `security`. */
const URI_KEY = /(?:^|_)(?:ur[il]s?|UR[IL]S?)$|Ur[il]s?$|[a-z0-9]UR[IL]S?$/;
/** Members whose contents Gemini reads as data, never as a resource to fetch: tool call arguments and citations. */
const DATA_MEMBERS = new Set(["arguments", "annotations"]);

/**
 * Pointers to every reference to a stored resource that Gemini would fetch inside a step: the URIs
 * of media and document blocks (image, audio, video, document) at any depth, in any step type, and
 * the URI-named members of any object of a type this relay does not know (and of everything inside
 * it), to fail closed on types newer than the relay. Not examined: tool call `arguments`, a result
 * that is JSON rather than content blocks, citations, and members that merely contain "uri".
 */
export function findStoredReferences(value: unknown, at: PropertyKey[], found: string[] = []): string[] {
  walk(value, at, found, false);
  return found;
}

// One path stack for the walk, copied only on a finding: history steps can hold many nodes.
function walk(value: unknown, at: PropertyKey[], found: string[], inUnknown: boolean): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        at.push(i);
        walk(item, at, found, inUnknown);
        at.pop();
      }
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const type = (value as { type?: unknown }).type;
  const unknown = typeof type === "string" ? !INERT_TYPES.has(type) && !MEDIA_TYPES.has(type) : inUnknown;
  const fetched = unknown || MEDIA_TYPES.has(type as string);
  for (const key in value) {
    if (!Object.hasOwn(value, key) || DATA_MEMBERS.has(key)) continue;
    const member = (value as Record<string, unknown>)[key];
    if (typeof member !== "object" || member === null) {
      if (fetched && typeof member === "string" && URI_KEY.test(key) && namesStoredResource(member)) record(found, at, key);
      continue;
    }
    // A tool result that is JSON (not content blocks) is data for the model, not fetched.
    if (key === "result" && !Array.isArray(member)) continue;
    at.push(key);
    if (fetched && Array.isArray(member) && URI_KEY.test(key)) uriList(member, at, found);
    walk(member, at, found, unknown);
    at.pop();
  }
}

/**
 * A finding at `at` ++ `last`. Only the first MAX_LISTED + 1 get their pointer (what an answer lists,
 * errors.ts' Listing); the rest are counted, as UNLISTED: a pointer is as long as the keys above it,
 * so building one per finding would cost the body's size times the number of findings.
 */
function record(found: string[], at: PropertyKey[], last: PropertyKey): void {
  found.push(found.length <= MAX_LISTED ? boundedPointer([...at, last]) : UNLISTED);
}

const UNLISTED = "(unlisted)";

/** The strings of a URI list (`"uris": ["files/abc"]`), nested lists included. */
function uriList(list: unknown[], at: PropertyKey[], found: string[]): void {
  list.forEach((item, i) => {
    if (typeof item === "string" && namesStoredResource(item)) record(found, at, i);
    else if (Array.isArray(item)) {
      at.push(i);
      uriList(item, at, found);
      at.pop();
    }
  });
}

/**
 * Closure: the same search, run on the model-authored steps of this turn's reply (see
 * isModelAuthored: the same split as the history's). Where the guard would refuse the reference in a
 * caller's step, the reply says so with a warning; next turn the step is forwarded and reported, not
 * refused (see guardRetention). A step of a caller's type in a reply is refused next turn like the
 * caller's own, so it gets no warning: it fails the turn (reply-closure.ts). `offset` is the index of
 * the first of `steps` in the response's `history`.
 */
export function replyRetentionWarnings(steps: readonly StepRef[], offset: number, policy: RetentionPolicy): TurnWarning[] {
  if (policy.allowStoredResources) return [];
  const warnings = new Listing<TurnWarning>(moreWarnings);
  steps.forEach((step, i) => {
    if (!isModelAuthored(step.view.type)) return;
    for (const path of findStoredReferences(step.view, ["history", offset + i])) warnings.add(() => storedResourceInReply(path));
  });
  return warnings.items();
}

/** The warning for a stored-resource reference at `path` in a reply (also the OpenAPI document's example). */
export function storedResourceInReply(path: string): TurnWarning {
  return {
    code: "stored_resource_in_reply",
    path,
    message:
      "the model's reply names a resource stored at Google (a Files API upload, cache or store), which this relay refuses in the caller's own steps (ALLOW_STORED_RESOURCES is off); sent back in history, this model-authored step is forwarded as is and reported in Relay-Retention, not refused",
  };
}

function addOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

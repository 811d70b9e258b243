/**
 * V8 CPU profiles (DevTools protocol), summarized: self time grouped by the source module of the
 * relay's bundle (esbuild marks each module with a `// path` comment, so a line number names its
 * module), plus the top functions. Works for a profile from workerd (inspector) or from Node.
 */
import { readFileSync } from "node:fs";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
}

export interface ProfileSummary {
  /** Sampled non-idle time per turn. */
  totalMs: number;
  groups: Share[];
  top: Share[];
  turns: number;
}

interface ModuleIndex {
  lines: number[];
  names: string[];
}

export function moduleIndex(bundleFile: string): ModuleIndex {
  const lines: number[] = [];
  const names: string[] = [];
  readFileSync(bundleFile, "utf8")
    .split("\n")
    .forEach((line, index) => {
      const match = /^\/\/ ((?:node_modules|src|\.\.?\/)[^\s]*)$/.exec(line);
      if (match) {
        lines.push(index);
        names.push(match[1]!);
      }
    });
  return { lines, names };
}

function moduleAt(index: ModuleIndex, line: number): string | undefined {
  let lo = 0;
  let hi = index.lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index.lines[mid]! <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? index.names[found] : undefined;
}

function groupOf(module: string): string {
  if (module.includes("node_modules/zod/")) return "zod";
  if (module.includes("node_modules/@google/genai/")) return "@google/genai (SDK)";
  if (module.includes("node_modules/hono/")) return "hono";
  const src = /src\/(.+)$/.exec(module);
  return src ? `src/${src[1]}` : module.replace(/^.*node_modules\//, "");
}

/**
 * `isBundle(url)` says which script is the relay bundle; `other(url, functionName)` names the group
 * of any other frame (runtime internals, the upstream when it shares the isolate, ...).
 */
export function summarizeProfile(
  profile: CpuProfile,
  bundleFile: string,
  isBundle: (url: string) => boolean,
  other: (url: string, functionName: string) => string,
  turns: number,
): ProfileSummary {
  const index = moduleIndex(bundleFile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    if (functionName === "(idle)") return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    let group: string;
    if (functionName === "(garbage collector)") group = "(garbage collector)";
    else if (functionName === "(program)") group = "(program: runtime, not JS)";
    else if (isBundle(url) && lineNumber < 0) group = "(the bundle's script: compile, and code outside any function)";
    else if (isBundle(url)) group = groupOf(moduleAt(index, lineNumber) ?? "relay bundle");
    else group = other(url, functionName);
    groups.set(group, (groups.get(group) ?? 0) + ms);
    const fn = `${functionName || "(anonymous)"} [${group}${isBundle(url) ? `:${lineNumber + 1}:${(columnNumber ?? 0) + 1}` : ""}]`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    total += ms;
  });
  const perTurn = (map: Map<string, number>) => [...map].map(([name, ms]) => ({ name, ms: ms / turns })).sort((a, b) => b.ms - a.ms);
  return { totalMs: total / turns, groups: perTurn(groups), top: perTurn(functions).slice(0, 12), turns };
}

/** The report's markdown: number and table formatting, and the document being written (`say` appends a line). */
import type { Summary } from "./stats";

export function f(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  return abs < 10 ? x.toFixed(2) : abs < 100 ? x.toFixed(1) : x.toFixed(0);
}
export const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !(b > 0) ? "—" : `${(a / b).toFixed(2)}×`;
export const signed = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : `${x >= 0 ? "+" : ""}${f(x)}`);
export const bytes = (n: number | undefined) =>
  n === undefined ? "—" : n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} KB` : `${n} B`;
export const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

export const percent = (x: number) => `${(x * 100).toFixed(0)} %`;
export const signedPercent = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? "—" : `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
export const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 2 ** 20);
export const cell = (s: Summary | undefined) => (s ? `${f(s.p50)} / ${f(s.p99)}` : "—");

export const out: string[] = [];
export const say = (text = "") => out.push(text);

/** A profile's shares: a table of its modules (those of at least `minShare` of it), then its top functions. */
export function sayProfileShares(
  profile: { totalMs: number; groups: { name: string; ms: number }[]; top: { name: string; ms: number }[] },
  per: string,
  minShare: number,
  topCount: number,
): void {
  say(
    table(
      ["module", `ms / ${per}`, "share"],
      profile.groups
        .filter((g) => g.ms >= minShare * profile.totalMs)
        .map((g) => [g.name, f(g.ms), `${((100 * g.ms) / profile.totalMs).toFixed(0)} %`]),
    ),
  );
  say();
  say(
    `Top functions (self ms / ${per}): ${profile.top
      .slice(0, topCount)
      .map((t) => `${t.name} ${f(t.ms)}`)
      .join("; ")}.`,
  );
}

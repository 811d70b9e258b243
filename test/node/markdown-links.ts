/**
 * What a markdown page links to and which #fragments it answers, read as GitHub renders it: enough
 * markdown for the project's own pages (inline and reference links, ATX headings, fenced code).
 */

/** The page's lines outside fenced code blocks. */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** Every link target on the page: `[text](target)`, `![alt](target)` and `[label]: target`. */
export function markdownLinks(text: string): string[] {
  // Inline code spans blanked first: a `](x)` in code is no link.
  return proseLines(text)
    .map((line) => line.replace(/(`+)[^`]*?\1/g, "``"))
    .flatMap((line) => [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!),
      ...[...line.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)/g)].map((m) => m[1]!),
    ]);
}

/** GitHub's anchor for a heading's text (github-slugger): lowercased, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  const visible = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1") // a link shows its text
    .replace(/[`*]/g, ""); // code and emphasis markers are not text
  return visible
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The fragments the page answers: its headings' anchors (a repeated one gets -1, -2, ...) and explicit `id`/`name` anchors. */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

/**
 * The Prefer request header (RFC 7240): comma-separated preferences, each `token [= value]` with
 * `;`-separated parameters, a value a token or a quoted string. Preference names are
 * case-insensitive; only the first instance of a preference counts (RFC 7240 section 2); a
 * preference the relay does not know, or cannot parse, is ignored, as the RFC asks.
 */

/** The header that says which preferences the response honoured. */
export const PREFERENCE_APPLIED_HEADER = "Preference-Applied";

/** Whether the request asks for `return=minimal` (its first `return` preference says so). */
export function prefersMinimal(headers: Headers): boolean {
  return preference(headers.get("prefer") ?? "", "return")?.toLowerCase() === "minimal";
}

/** The value of the first preference named `name` (matched case-insensitively): "" without one, undefined when absent. */
function preference(header: string, name: string): string | undefined {
  for (const item of splitOutsideQuotes(header, ",")) {
    const [head = ""] = splitOutsideQuotes(item, ";");
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:=\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\]|\\.)*")\s*)?$/.exec(head);
    if (!match || match[1]!.toLowerCase() !== name) continue;
    const value = match[2] ?? "";
    return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, "$1") : value;
  }
  return undefined;
}

/** `text` split at each `separator` that is not inside a quoted string. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === "\\") i++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

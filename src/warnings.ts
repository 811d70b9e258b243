import { Listing } from "./errors";

/** Something the caller should know about a turn that the relay still answered (documented in docs/transcript-integrity.md, "Closure and warnings"). */
export interface TurnWarning {
  /** A stable machine-readable code. */
  code: string;
  /** A JSON pointer into the request body (history/input) or, for a reply, into the response's `history`. */
  path: string;
  message: string;
}

/** How many warnings each "and N more" item stands for, so lists capped apart can be capped together. */
const standsFor = new WeakMap<TurnWarning, number>();

/** The warning that ends a capped list (errors.ts' Listing): how many more, located at the first of them. */
export function moreWarnings(count: number, first: TurnWarning): TurnWarning {
  const more = {
    code: "more_warnings",
    path: first.path,
    message: `and ${count} more warning${count > 1 ? "s" : ""} like those above, the first of them here`,
  };
  standsFor.set(more, count);
  return more;
}

/** Several capped lists as one: at most MAX_LISTED warnings and one that counts the rest, as each list alone. */
export function capWarnings(...lists: (readonly TurnWarning[])[]): TurnWarning[] {
  const all = new Listing<TurnWarning>(moreWarnings);
  for (const list of lists) for (const warning of list) all.add(() => warning, standsFor.get(warning) ?? 1);
  return all.items();
}

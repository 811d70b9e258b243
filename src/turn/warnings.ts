/** Something the caller should know about a turn that the relay still answered (documented in the README). */
export interface TurnWarning {
  /** A stable machine-readable code. */
  code: string;
  /** A JSON pointer into the request body (history/input) or, for a reply, into the response's `history`. */
  path: string;
  message: string;
}

/** The warning that ends a capped list (errors.ts' Listing): how many more, located at the first of them. */
export function moreWarnings(count: number, first: TurnWarning): TurnWarning {
  return {
    code: "more_warnings",
    path: first.path,
    message: `and ${count} more warning${count > 1 ? "s" : ""} like those above, the first of them here`,
  };
}

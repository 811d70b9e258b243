/** Something the caller should know about a turn that the relay still answered (documented in the README). */
export interface TurnWarning {
  /** A stable machine-readable code. */
  code: string;
  /** A JSON pointer into the request body (history/input) or, for a reply, into the response's `history`. */
  path: string;
  message: string;
}

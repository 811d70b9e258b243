/**
 * The retention guard: refuses, with a reason, anything that would make Google keep data despite
 * store=false. The relay forces store=false itself; a caller asking otherwise is told why not.
 */
import { RelayError, jsonPointer, type ProblemItem } from "./errors";
import type { JsonObject } from "./schemas";

const RULES: ReadonlyArray<{ field: string; refuses: (value: unknown) => boolean; message: string }> = [
  {
    field: "store",
    refuses: (value) => value !== false,
    message:
      "store must be false or absent: this relay never lets Google store an interaction (store=true keeps it 55 days on paid tiers, 1 day on free).",
  },
  {
    field: "background",
    refuses: (value) => value !== false,
    message: "background runs need a stored interaction at Google, which this relay never creates.",
  },
  {
    field: "previous_interaction_id",
    refuses: () => true,
    message:
      "previous_interaction_id points at server-side history, which this relay never keeps; send the whole transcript in `history` instead.",
  },
];

/** Throws a 400 naming every field of the body that would bring retention back. */
export function guardRetention(body: JsonObject): void {
  const errors: ProblemItem[] = [];
  for (const rule of RULES) {
    if (Object.hasOwn(body, rule.field) && rule.refuses(body[rule.field])) {
      errors.push({ path: jsonPointer([rule.field]), message: rule.message });
    }
  }
  if (errors.length > 0) {
    throw new RelayError(400, "retention_refused", {
      detail: `Refused: ${errors.map((e) => e.path.slice(1)).join(", ")} would make Google retain data. This relay always calls Gemini with store=false.`,
      errors,
    });
  }
}

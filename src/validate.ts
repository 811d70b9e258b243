/**
 * Request validation for POST /v1/turns: JSON body → a checked turn, or a RelayError that says what
 * is wrong and where (JSON pointers into the body). Checks with zod; keeps the caller's values.
 */
import type * as z from "zod";
import { RelayError, jsonPointer, type ProblemItem } from "./errors";
import { isAnswerable, textInputStep, userInputStep } from "./history";
import type { Locate } from "./integrity";
import { guardRetention, type RetentionPolicy, type RetentionReport } from "./retention";
import {
  CONTENT_TYPES,
  ContentList,
  PASSTHROUGH_FIELDS,
  StepList,
  TurnRequest,
  type JsonObject,
  type StepValue,
} from "./schemas";

/** A validated turn: the caller's history, the new steps, and what goes to the upstream as given. */
export interface Turn {
  model: string;
  stream: boolean;
  history: StepValue[];
  newSteps: StepValue[];
  /** system_instruction, tools, ... exactly as the caller sent them (only those present). */
  passthrough: JsonObject;
  /** Where step i of history ++ newSteps sits in the request body (a JSON pointer). */
  locate: Locate;
  /** What this turn leaves behind upstream (grounding, stored resources), for Relay-Retention. */
  retention: RetentionReport;
}

export interface TurnLimits extends RetentionPolicy {
  maxSteps: number;
}

export function parseTurn(body: unknown, limits: TurnLimits): Turn {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RelayError(400, "invalid_request", {
      detail: "The request body must be a JSON object with at least `model` and `input`.",
      errors: [{ path: "", message: "must be a JSON object" }],
    });
  }
  const raw = body as JsonObject;
  const retention = guardRetention(raw, limits);
  checkStepCount(raw, limits.maxSteps);
  const checked = TurnRequest.safeParse(raw);
  if (!checked.success) throw invalid(checked.error.issues, []);

  const history = (raw.history ?? []) as StepValue[];
  const { steps: newSteps, asGiven } = inputSteps(raw.input);
  const passthrough: JsonObject = {};
  for (const field of PASSTHROUGH_FIELDS) {
    if (raw[field] !== undefined) passthrough[field] = raw[field];
  }
  const locate: Locate = (i) => (i < history.length ? `/history/${i}` : asGiven ? `/input/${i - history.length}` : "/input");
  const turn = { model: checked.data.model, stream: checked.data.stream === true, history, newSteps, passthrough, locate, retention };
  if (!isAnswerable(newSteps.length > 0 ? newSteps : history)) {
    throw new RelayError(400, "nothing_to_answer", {
      detail:
        "The turn must end with a user_input or function_result step: send `input` (text, content blocks or steps), or a history whose last step is one of those.",
      errors: [{ path: newSteps.length > 0 ? "/input" : "/history", message: "does not end with user_input or function_result" }],
    });
  }
  return turn;
}

/**
 * `input` is text, content blocks (one user_input step) or steps; each reading is checked separately.
 * `asGiven` says whether the steps are the caller's own list (so findings can point into it).
 */
function inputSteps(input: unknown): { steps: StepValue[]; asGiven: boolean } {
  if (input === undefined) return { steps: [], asGiven: false };
  if (typeof input === "string") return { steps: [textInputStep(input)], asGiven: false };
  const list = input as unknown[];
  const isContent = list.length > 0 && list.every((item) => (CONTENT_TYPES as readonly unknown[]).includes((item as { type?: unknown })?.type));
  const checked = (isContent ? ContentList : StepList).safeParse(list);
  if (!checked.success) throw invalid(checked.error.issues, ["input"]);
  return isContent ? { steps: [userInputStep(list)], asGiven: false } : { steps: list as StepValue[], asGiven: true };
}

function invalid(issues: z.core.$ZodIssue[], prefix: PropertyKey[]): RelayError {
  const errors = issues.flatMap((issue) => describe(issue, prefix));
  const onlyUnknown = issues.every((issue) => issue.code === "unrecognized_keys");
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.path || "body"} ${e.message}`)
    .join("; ");
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : "";
  return new RelayError(400, onlyUnknown ? "unknown_field" : "invalid_request", {
    detail: `${summary}${more}.`,
    errors,
  });
}

function describe(issue: z.core.$ZodIssue, prefix: PropertyKey[]): ProblemItem[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: jsonPointer([...path, key]),
        message: `is not a field of this API (allowed: model, history, input, stream, ${PASSTHROUGH_FIELDS.join(", ")})`,
      }));
    case "invalid_union":
      if ("discriminator" in issue && issue.discriminator) {
        const known = "options" in issue && issue.options ? ` (one of: ${issue.options.join(", ")})` : "";
        return [{ path: jsonPointer(path), message: `is missing or not a known type${known}` }];
      }
      return [{ path: jsonPointer(path), message: issue.message }];
    default:
      return [{ path: jsonPointer(path), message: issue.message }];
  }
}

/** Bounded before validation, so a hostile body cannot make the relay walk millions of steps. */
function checkStepCount(raw: JsonObject, maxSteps: number): void {
  const count = (Array.isArray(raw.history) ? raw.history.length : 0) + (Array.isArray(raw.input) ? raw.input.length : 0);
  if (count > maxSteps) {
    throw new RelayError(413, "payload_too_large", {
      detail: `The turn carries ${count} steps; at most ${maxSteps} are accepted (MAX_STEPS). Summarise or drop old turns.`,
      errors: [{ path: "/history", message: `has more than ${maxSteps} steps with the input` }],
    });
  }
}

/** The operator's model allowlist (ALLOWED_MODELS), if any. */
export function checkModel(model: string, allowed: readonly string[] | undefined): void {
  if (allowed && !allowed.includes(model)) {
    throw new RelayError(403, "model_not_allowed", {
      detail: `Model "${model}" is not allowed on this relay; use one of: ${allowed.join(", ")}.`,
      errors: [{ path: "/model", message: "is not in ALLOWED_MODELS" }],
    });
  }
}

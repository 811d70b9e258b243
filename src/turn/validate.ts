/**
 * Reading a POST /v1/turns body: bytes → a checked turn, or a RelayError that says what is wrong
 * and where (JSON pointers into the body).
 *
 * What the caller writes this turn (`input` and the other fields) is checked strictly with zod.
 * The history is the transcript the relay returned earlier: each step must be an object with a
 * string `type`; the relay reads only the fields integrity needs and the resource references the
 * retention guard must see, and forwards every step's bytes as they came.
 */
import type * as z from "zod";
import { Listing, MAX_QUOTED, RelayError, boundedPointer, clip, jsonPointer, moreProblems, type ProblemItem } from "../errors";
import { isAnswerable, isModelAuthored, readStep, readView, STEP_DEPTH, type StepPath, type StepRef } from "../steps";
import type { Locate } from "./integrity";
import { JsonScanner, type Elements, type Member, type ReadElement, type Span } from "../json/scan";
import { joinPieces, slice } from "../json/bytes";
import { repeatedKeyCounted } from "../json/repeats";
import { bodyMembers, parseJson, parseValue, repeatedKey, scanning } from "../request-json";
import { findStoredReferences, guardRetention, REFUSED_FIELD_NAMES, type RetentionPolicy, type RetentionReport } from "./retention";
import { CALLER_OWNED_FIELDS, PASSTHROUGH_FIELDS, SET_BY_RELAY } from "../fields";
import { ContentList, StepList, TurnFields } from "../request-schema";
import { CONTENT_TYPES, type JsonObject, type StepValue } from "../schemas";

const named = (rows: readonly { name: string }[]) => rows.map(({ name }) => name);

/** A checked turn: the caller's history and new steps as bytes, and what goes upstream as sent. */
export interface Turn {
  model: string;
  stream: boolean;
  history: StepRef[];
  /** The caller's history array between its brackets, exactly as sent (undefined without one). */
  historyInner?: Uint8Array;
  newSteps: StepRef[];
  /** `"field": value` exactly as sent, for the model and each field forwarded to Gemini. */
  forwarded: Uint8Array[];
  /** The declared tools, for the integrity checks. */
  tools?: unknown[];
  /** Where step i of history ++ newSteps sits in the request body (a JSON pointer). */
  locate: Locate;
  /** What this turn leaves behind upstream (grounding, stored resources), for Relay-Retention. */
  retention: RetentionReport;
  /** The attestation the caller sent back with its history (see attestation.ts). */
  attestation?: string;
}

export interface TurnLimits extends RetentionPolicy {
  maxSteps: number;
  maxJsonDepth: number;
  /** Fields the relay does not know that the operator lets through (PASSTHROUGH_FIELDS). */
  extraPassthroughFields: readonly string[];
}

export function parseTurn(bytes: Uint8Array, limits: TurnLimits): Turn {
  const scanner = new JsonScanner(bytes, limits.maxJsonDepth);
  // History steps are read as the body is scanned, in its one pass: where a key they are read by repeats.
  const repeats: (StepPath | undefined)[] = [];
  const memberCounts: number[] = [];
  const readHistoryStep: ReadElement = (start, depth, i) => {
    const before = scanner.members;
    const step = readStep(scanner, start, depth + 1);
    repeats[i] = step.repeat;
    memberCounts[i] = scanner.members - before;
    return step.end;
  };
  const members = bodyMembers(scanner, (key) => key === "input" || (key === "history" && readHistoryStep));
  checkKnown(members, limits.extraPassthroughFields);

  const fields: JsonObject = {};
  for (const [key, member] of members) if (key !== "history") fields[key] = parseValue(bytes, member.value, [key]);
  const historyList = elementsOf(members.get("history"));
  checkStepCount((historyList?.items.length ?? 0) + (Array.isArray(fields.input) ? fields.input.length : 0), limits.maxSteps);

  const references: string[] = [];
  // The model's steps of the history are the relay's own replies: their references are reported, not refused (closure).
  const modelReferences: string[] = [];
  const history = (historyList?.items ?? []).map((span, i) =>
    historyStep(bytes, span, i, repeats[i], memberCounts[i]!, references, modelReferences),
  );
  if (fields.input !== undefined) findStoredReferences(fields.input, ["input"], references);
  const retention = guardRetention(fields, limits, references, modelReferences);

  const checked = TurnFields.safeParse(withoutExtras(fields, limits.extraPassthroughFields));
  if (!checked.success) throw invalid(checked.error.issues, []);
  const input = members.get("input");
  const { steps: newSteps, asGiven } = input ? inputSteps(scanner, input, fields.input) : { steps: [], asGiven: false };

  const forwarded = [...members]
    .filter(([key]) => key === "model" || PASSTHROUGH_FIELDS.includes(key) || limits.extraPassthroughFields.includes(key))
    .map(([, member]) => slice(bytes, member.whole));
  const locate: Locate = (i) => (i < history.length ? `/history/${i}` : asGiven ? `/input/${i - history.length}` : "/input");
  const tools = Array.isArray(fields.tools) ? fields.tools : undefined;
  const turn: Turn = {
    model: checked.data.model,
    stream: checked.data.stream === true,
    history,
    newSteps,
    forwarded,
    tools,
    locate,
    retention,
  };
  if (historyList) turn.historyInner = slice(bytes, historyList.inner);
  if (checked.data.attestation !== undefined) turn.attestation = checked.data.attestation;

  const last = newSteps.length > 0 ? newSteps : history;
  if (!isAnswerable(last.map((step) => step.view))) {
    throw new RelayError(400, "nothing_to_answer", {
      detail:
        "The turn must end with a user_input or function_result step: send `input` (text, content blocks or steps), or a history whose last step is one of those.",
      errors: [{ path: newSteps.length > 0 ? "/input" : "/history", message: "does not end with user_input or function_result" }],
    });
  }
  return turn;
}

function elementsOf(history: Member | undefined): Elements | undefined {
  if (history && !history.elements) {
    throw new RelayError(400, "invalid_request", {
      detail: "`history` must be an array of steps: the `history` of the previous response.",
      errors: [{ path: "/history", message: "must be an array" }],
    });
  }
  return history?.elements;
}

/**
 * One history step: parsed to check and read, then only its bytes and the read fields are kept.
 * A model-authored step needs one reading only of the keys it is read by (`repeat`, see readStep):
 * the rest is the model's bytes, carried as they came. A caller-authored step (user_input,
 * function_result) is read strictly, as new input is: a key repeated anywhere in it is refused.
 */
function historyStep(
  bytes: Uint8Array,
  span: Span,
  i: number,
  repeat: StepPath | undefined,
  /** The step's members as the body's scan counted them (JsonScanner.members). */
  members: number,
  references: string[],
  modelReferences: string[],
): StepRef {
  const { value: step } = parseJson(bytes, span, ["history", i]);
  if (typeof step !== "object" || step === null || Array.isArray(step) || typeof (step as JsonObject).type !== "string") {
    throw new RelayError(400, "invalid_request", {
      detail: `/history/${i} must be a step: an object with a string \`type\`.`,
      errors: [{ path: `/history/${i}`, message: "must be an object with a string `type`" }],
    });
  }
  // Its type decides whose step it is, so it is read once (repeat) before anything is classified.
  if (repeat) throw repeatedKey(["history", i, ...repeat]);
  const type = (step as JsonObject).type as string;
  const modelAuthored = isModelAuthored(type);
  if (!modelAuthored) {
    // The caller's own step was new input on the turn that first carried it, refused then for any
    // repeated key: held to the same rule here, the retention guard (which reads the parsed step at
    // any depth, the last of a repeated key) and Gemini (which may read the first) read one step.
    const anywhere = repeatedKeyCounted(slice(bytes, span), step, members);
    if (anywhere) throw repeatedKey(["history", i, ...anywhere]);
  }
  findStoredReferences(step, ["history", i], modelAuthored ? modelReferences : references);
  return { bytes: slice(bytes, span), view: readView(step as StepValue) };
}

/**
 * `input` is text, content blocks (one user_input step) or steps; each reading is checked strictly.
 * The step the relay builds wraps the caller's own bytes (the text or the blocks) unchanged.
 * `asGiven` says whether the steps are the caller's own list (so findings can point into it).
 */
function inputSteps(scanner: JsonScanner, member: Member, input: unknown): { steps: StepRef[]; asGiven: boolean } {
  const { bytes } = scanner;
  const raw = slice(bytes, member.value);
  if (typeof input === "string") {
    const view = { type: "user_input", content: [{ type: "text", text: input }] };
    return { steps: [{ bytes: joinPieces(['{"type":"user_input","content":[{"type":"text","text":', raw, "}]}"]), view }], asGiven: false };
  }
  const list = input as unknown[];
  const isContent =
    list.length > 0 && list.every((item) => (CONTENT_TYPES as readonly unknown[]).includes((item as { type?: unknown })?.type));
  const checked = (isContent ? ContentList : StepList).safeParse(list);
  if (!checked.success) throw invalid(checked.error.issues, ["input"]);
  if (isContent) {
    // The blocks go into a step, one level deeper than sent: read them at the depth next turn's history will.
    scanning(() => scanner.array(member.value.start, STEP_DEPTH + 1));
    const view = { type: "user_input", content: list };
    return { steps: [{ bytes: joinPieces(['{"type":"user_input","content":', raw, "}"]), view }], asGiven: false };
  }
  const items = member.elements?.items ?? [];
  return { steps: items.map((item, i) => ({ bytes: slice(bytes, item), view: list[i] as StepValue })), asGiven: true };
}

/** Unknown fields are refused (fail-closed), naming the operator setting that would let one through. */
function checkKnown(members: Map<string, Member>, extras: readonly string[]): void {
  refuseUnknown(members.keys(), [...CALLER_OWNED_FIELDS, ...PASSTHROUGH_FIELDS, ...extras], named(SET_BY_RELAY));
  for (const { name, why } of SET_BY_RELAY) {
    if (members.has(name)) {
      throw new RelayError(400, "invalid_request", {
        detail: `${why} Do not send \`${name}\`.`,
        errors: [{ path: jsonPointer([name]), message: "is set by the relay, not the caller" }],
      });
    }
  }
}

/**
 * Refuses every key that is neither `allowed` (listed in the error) nor known to be refused with its
 * own reason: the retention guard's fields, and `alsoKnown`. `__proto__` is never known.
 */
export function refuseUnknown(keys: Iterable<string>, allowed: readonly string[], alsoKnown: readonly string[] = []): void {
  const known = new Set([...allowed, ...REFUSED_FIELD_NAMES, ...alsoKnown]);
  const unknown = [...keys].filter((key) => !known.has(key));
  if (unknown.length === 0) return;
  const errors = new Listing<ProblemItem>(moreProblems("unknown field"));
  for (const key of unknown) {
    errors.add(() => ({
      path: boundedPointer([key]),
      message: `is not a field of this API; the relay's operator can allow it with PASSTHROUGH_FIELDS=${clip(key, MAX_QUOTED)}`,
    }));
  }
  const named = unknown
    .slice(0, 3)
    .map((key) => `\`${clip(key, MAX_QUOTED)}\``)
    .join(", ");
  throw new RelayError(400, "unknown_field", {
    detail: `Unknown field${unknown.length > 1 ? "s" : ""} ${named}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ""}: the relay forwards only fields it knows (allowed: ${allowed.join(", ")}). An operator can let a newer Gemini field through with PASSTHROUGH_FIELDS.`,
    errors: errors.items(),
  });
}

/** The fields zod checks: the operator's extra passthrough fields travel unchecked. */
function withoutExtras(fields: JsonObject, extras: readonly string[]): JsonObject {
  if (extras.length === 0) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !extras.includes(key)));
}

/** zod's issues as a 400: at most MAX_LISTED items (errors.ts' Listing), each of bounded length. */
function invalid(issues: z.core.$ZodIssue[], prefix: PropertyKey[]): RelayError {
  const errors = new Listing<ProblemItem>(moreProblems("problem"));
  // A long list's own count (schemas.ts' bounded) stands for the elements it did not describe.
  for (const issue of issues) errors.add(() => describe(issue, prefix), unlisted(issue) ?? 1);
  const summary = errors.listed
    .slice(0, 3)
    .map((e) => `${e.path || "body"} ${e.message}`)
    .join("; ");
  const more = errors.count > 3 ? ` (and ${errors.count - 3} more)` : "";
  return new RelayError(400, "invalid_request", { detail: `${clip(summary, MAX_MESSAGE)}${more}.`, errors: errors.items() });
}

function unlisted(issue: z.core.$ZodIssue): number | undefined {
  return issue.code === "custom" && typeof issue.params?.unlisted === "number" ? issue.params.unlisted : undefined;
}

function describe(issue: z.core.$ZodIssue, prefix: PropertyKey[]): ProblemItem {
  const path = boundedPointer([...prefix, ...issue.path]);
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator) {
    const known = "options" in issue && issue.options ? ` (one of: ${issue.options.join(", ")})` : "";
    return { path, message: `is missing or not a known type${known}` };
  }
  return { path, message: clip(issue.message, MAX_MESSAGE) };
}

/** Characters of a message built from a zod issue (a key in it can be megabytes long). */
const MAX_MESSAGE = 512;

/** Bounded before any step is parsed, so a hostile body cannot make the relay walk millions of steps. */
function checkStepCount(count: number, maxSteps: number): void {
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

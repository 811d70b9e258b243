/**
 * What a request passes before anything goes upstream, in the order it runs, for both routes. The
 * first check that fails decides the answer, so the order is part of the contract; it reads here,
 * once. A route skips a check that does not apply to it, and says why where the check would run.
 *
 *   check            POST /v1/turns (checkTurn)          the drop-in route (checkInteraction)
 *   1. route         runs always                         TRANSCRIPT_MODE=require refuses it (no attestation field)
 *   2. body          http/body: content type, size, gzip, deadline → bytes
 *   3. reading       one JSON object, each key once, known fields only, at most MAX_STEPS steps, each value parsed
 *   4. retention     nothing kept at Google (fail closed); the report becomes Relay-Retention, even on a refusal
 *   5. shape         zod on the new input, then a turn must end answerable    `model` is a model name
 *   6. model         ALLOWED_MODELS                      ALLOWED_MODELS (and then `model` is required)
 *   7. transcript    the model's steps are this relay's  skipped (see 1)
 *   8. integrity     what Gemini would fail on quietly   skipped (the body is Google's own, forwarded as sent)
 *
 * On /v1/turns, parseTurn (turn/validate.ts) runs 3 to 5 in one pass over the body: the retention
 * guard runs between the reading and the shapes there, as in this list.
 */
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { RelayError } from "../errors";
import { readBody } from "../http/body";
import { JsonScanner, type Member } from "../json/scan";
import { bodyMembers, parseValue } from "../request-json";
import { DROP_IN_FIELDS, PASSTHROUGH_FIELDS } from "../fields";
import { modelId, type JsonObject } from "../schemas";
import type { StepRef } from "../steps";
import { checkDropIn, checkTranscript, type TranscriptCheck } from "../turn/attestation";
import { checkIntegrity } from "../turn/integrity";
import { findStoredReferences, guardRetention } from "../turn/retention";
import { checkModel, parseTurn, refuseUnknown, type Turn } from "../turn/validate";
import type { TurnWarning } from "../warnings";

/** A /v1/turns request that passed every check: what the route sends upstream and builds its answer from. */
export interface CheckedTurn {
  turn: Turn;
  /** history ++ new steps. */
  steps: StepRef[];
  transcript: TranscriptCheck;
  /** What the checks found that does not stop the turn (the reply's own come once its steps are known). */
  warnings: TurnWarning[];
}

export async function checkTurn(c: Context<AppEnv>): Promise<CheckedTurn> {
  const config = c.get("config")();
  const metrics = c.get("metrics");
  // 1. route: /v1/turns carries its attestation in the body, so every transcript mode runs it.
  // 2. body
  const bytes = await readBody(c.req.raw, config, metrics);
  // 3. reading, 4. retention, 5. shape
  const turn = parseTurn(bytes, config);
  metrics.model = turn.model;
  metrics.historySteps = turn.history.length;
  c.set("retention", turn.retention);
  // 6. model
  checkModel(turn.model, config.allowedModels);
  const steps = [...turn.history, ...turn.newSteps];
  // 7. transcript: the model's steps are checked to be the relay's own first: the integrity findings assume them.
  const transcript = await checkTranscript(steps, turn.attestation, config.transcript, turn.locate, c.get("caller").id);
  c.set("attestationWarning", transcript.warning);
  // 8. integrity refuses the caller's own mistakes (422) and only warns of the model-authored steps'.
  const warnings = checkIntegrity(
    steps.map((step) => step.view),
    turn.tools,
    turn.locate,
  );
  return { turn, steps, transcript, warnings };
}

/** A drop-in create request that passed every check: its bytes as sent, and its fields as read. */
export interface CheckedInteraction {
  bytes: Uint8Array;
  scanner: JsonScanner;
  members: Map<string, Member>;
  fields: JsonObject;
}

export async function checkInteraction(c: Context<AppEnv>): Promise<CheckedInteraction> {
  const config = c.get("config")();
  // 1. route
  checkDropIn(config.transcript);
  // 2. body
  const bytes = await readBody(c.req.raw, config, c.get("metrics"));
  // 3. reading
  const scanner = new JsonScanner(bytes, config.maxJsonDepth);
  const members = bodyMembers(scanner, (key) => key === "input");
  // Fail closed as /v1/turns does: a field the relay does not know is not forwarded (nor is `__proto__`).
  refuseUnknown(members.keys(), [...DROP_IN_FIELDS, ...PASSTHROUGH_FIELDS, ...config.extraPassthroughFields]);
  checkInputSteps(members.get("input")?.elements?.items.length ?? 0, config.maxSteps);
  // No prototype: a member's key is only ever a field of this body, never a getter or setter of Object's.
  const fields = Object.create(null) as JsonObject;
  for (const [key, member] of members) fields[key] = parseValue(bytes, member.value, [key]);
  // 4. retention
  c.set("retention", guardRetention(fields, config, findStoredReferences(fields.input, ["input"])));
  if (fields.model !== undefined) {
    // 5. shape
    if (!modelId().safeParse(fields.model).success) {
      throw new RelayError(400, "invalid_request", {
        detail: "`model` must be a model name such as gemini-3.5-flash (letters, digits, '.', '_', '-'; at most 100 characters).",
        errors: [{ path: "/model", message: "is not a model name" }],
      });
    }
    c.get("metrics").model = fields.model as string;
    // 6. model
    checkModel(fields.model as string, config.allowedModels);
  } else if (config.allowedModels) {
    // 6. model: without one, Gemini would pick one (or an agent would run): the allowlist could not hold.
    throw new RelayError(400, "invalid_request", {
      detail: "`model` is required: this relay restricts the models callers may use (ALLOWED_MODELS).",
      errors: [{ path: "/model", message: "is required when ALLOWED_MODELS is set" }],
    });
  }
  // 7. transcript: skipped, the body has no field for an attestation (1 refused the route where one is required).
  // 8. integrity: skipped, the body is Google's own create request, forwarded as the caller wrote it.
  return { bytes, scanner, members, fields };
}

/** MAX_STEPS holds here as on /v1/turns (the input is the whole conversation), counted before any step is parsed. */
function checkInputSteps(count: number, maxSteps: number): void {
  if (count > maxSteps) {
    throw new RelayError(413, "payload_too_large", {
      detail: `The input carries ${count} steps; at most ${maxSteps} are accepted (MAX_STEPS). Summarise or drop old turns.`,
      errors: [{ path: "/input", message: `has more than ${maxSteps} steps` }],
    });
  }
}

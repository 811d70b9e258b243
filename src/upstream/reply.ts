/**
 * Reading the upstream's interaction out of its bytes: each step kept byte for byte beside its
 * parsed value, and the status, usage, continuation token and errors the relay reads. Pure.
 */
import { RelayError, jsonPointer } from "../errors";
import { readStep, STEP_DEPTH, type StepPath, type StepRef } from "../steps";
import { slice } from "../json/bytes";
import { JsonDepthError, JsonScanner, decodeUtf8, type Member } from "../json/scan";
import type { JsonObject, StepValue } from "../schemas";
import type { InteractionResult } from "./upstream";

/**
 * Around its steps, a reply is read to any nesting JSON allows. Each step is held to the depth a
 * history step may have (MAX_JSON_DEPTH, measured from the same origin: see STEP_DEPTH), so the
 * history the relay returns is accepted next turn.
 */
const UPSTREAM_MAX_DEPTH = 10_000;

/** The interaction whose JSON makes up `bytes` (a unary reply); `maxJsonDepth` is the relay's MAX_JSON_DEPTH. */
export function readInteraction(bytes: Uint8Array, maxJsonDepth: number): InteractionResult {
  return fromMembers(
    bytes,
    upstreamJson(() => new JsonScanner(bytes, UPSTREAM_MAX_DEPTH).rootObject(isSteps)),
    maxJsonDepth,
  );
}

/** The `interaction` of a streamed event's data (interaction.completed), read the same way. */
export function readEventInteraction(data: string, maxJsonDepth: number): InteractionResult | undefined {
  const bytes = new TextEncoder().encode(data);
  const scanner = new JsonScanner(bytes, UPSTREAM_MAX_DEPTH);
  const interaction = upstreamJson(() => scanner.rootObject()).find((member) => member.key === "interaction");
  if (!interaction || bytes[interaction.value.start] !== 0x7b) return undefined;
  return fromMembers(
    bytes,
    upstreamJson(() => scanner.object(interaction.value.start, 2, isSteps).members),
    maxJsonDepth,
  );
}

/** The members of a JSON object as raw bytes by key (for a step.start's `step` or a delta). */
export function rawMembers(bytes: Uint8Array): Map<string, Uint8Array> {
  const scanner = new JsonScanner(bytes, UPSTREAM_MAX_DEPTH);
  return new Map(upstreamJson(() => scanner.rootObject()).map((member) => [member.key, slice(bytes, member.value)]));
}

/**
 * A step received from the upstream: its bytes, parsed once for the relay to read. A step the relay
 * could not read back next turn (keys it reads that appear twice, or nesting deeper than a history
 * step may have) fails the turn now: the same reading as history's (readStep), so what the relay
 * returns is accepted when sent back.
 */
export function stepRef(bytes: Uint8Array, maxJsonDepth: number): StepRef {
  const scanner = new JsonScanner(bytes, maxJsonDepth);
  let repeat: StepPath | undefined;
  try {
    repeat = readStep(scanner, scanner.skipSpace(0), STEP_DEPTH).repeat;
  } catch (err) {
    if (err instanceof JsonDepthError) {
      throw malformedReply(
        `a step nested deeper than a history step may be (MAX_JSON_DEPTH ${maxJsonDepth}, counting the request around it); the relay could not accept it back next turn`,
      );
    }
    throw malformedReply("a step that is not valid JSON");
  }
  if (repeat) {
    throw malformedReply(
      `a step in which the key \`${String(repeat.at(-1))}\` appears twice (at ${jsonPointer(repeat)} in the step), so it has no one reading`,
    );
  }
  const view = upstreamJson(() => JSON.parse(decodeUtf8(bytes)) as unknown);
  if (typeof view !== "object" || view === null || typeof (view as JsonObject).type !== "string") {
    throw malformedReply("a step without a string type");
  }
  return { bytes, view: view as StepValue };
}

const isSteps = (key: string) => key === "steps";

function fromMembers(bytes: Uint8Array, members: Member[], maxJsonDepth: number): InteractionResult {
  const result: InteractionResult = { status: "completed", steps: [] };
  for (const member of members) {
    const raw = slice(bytes, member.value);
    switch (member.key) {
      case "steps":
        result.steps = (member.elements?.items ?? []).map((span) => stepRef(slice(bytes, span), maxJsonDepth));
        break;
      case "status":
        result.status = String(parse(raw));
        break;
      case "usage":
        result.usage = { bytes: raw, value: parse(raw) };
        break;
      case "continuation_token": {
        const token = parse(raw);
        if (typeof token === "string" && token !== "") result.continuationToken = token;
        break;
      }
      case "errors": {
        const errors = parse(raw);
        if (Array.isArray(errors) && errors.length > 0) result.errors = errors;
        break;
      }
    }
  }
  return result;
}

function parse(bytes: Uint8Array): unknown {
  return upstreamJson(() => JSON.parse(decodeUtf8(bytes)) as unknown);
}

function upstreamJson<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RelayError) throw err;
    throw malformedReply("a reply that is not valid JSON");
  }
}

export function malformedReply(what: string): RelayError {
  return new RelayError(502, "upstream_unavailable", { detail: `The Gemini API sent ${what}.` });
}

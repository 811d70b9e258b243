/**
 * Reading the upstream's interaction out of its bytes: each step kept byte for byte beside its
 * parsed value, and the status, usage, continuation token and errors the relay reads. Pure.
 */
import { RelayError } from "../errors";
import type { StepRef } from "../turn/history";
import { slice } from "../json/bytes";
import { JsonScanner, decodeUtf8, type Member } from "../json/scan";
import type { JsonObject, StepValue } from "../schemas";
import type { InteractionResult } from "./upstream";

/** Replies are Gemini's: any nesting JSON allows is read (the depth limit guards the caller's side). */
const UPSTREAM_MAX_DEPTH = 10_000;

/** The interaction whose JSON makes up `bytes` (a unary reply). */
export function readInteraction(bytes: Uint8Array): InteractionResult {
  return fromMembers(
    bytes,
    upstreamJson(() => new JsonScanner(bytes, UPSTREAM_MAX_DEPTH).rootObject(isSteps)),
  );
}

/** The `interaction` of a streamed event's data (interaction.completed), read the same way. */
export function readEventInteraction(data: string): InteractionResult | undefined {
  const bytes = new TextEncoder().encode(data);
  const scanner = new JsonScanner(bytes, UPSTREAM_MAX_DEPTH);
  const interaction = upstreamJson(() => scanner.rootObject()).find((member) => member.key === "interaction");
  if (!interaction || bytes[interaction.value.start] !== 0x7b) return undefined;
  return fromMembers(
    bytes,
    upstreamJson(() => scanner.object(interaction.value.start, 2, isSteps).members),
  );
}

/** The members of a JSON object as raw bytes by key (for a step.start's `step` or a delta). */
export function rawMembers(bytes: Uint8Array): Map<string, Uint8Array> {
  const scanner = new JsonScanner(bytes, UPSTREAM_MAX_DEPTH);
  return new Map(upstreamJson(() => scanner.rootObject()).map((member) => [member.key, slice(bytes, member.value)]));
}

/** A step received from the upstream: its bytes, parsed once for the relay to read. */
export function stepRef(bytes: Uint8Array): StepRef {
  const view = upstreamJson(() => JSON.parse(decodeUtf8(bytes)) as unknown);
  if (typeof view !== "object" || view === null || typeof (view as JsonObject).type !== "string") {
    throw malformedReply("a step without a string type");
  }
  return { bytes, view: view as StepValue };
}

const isSteps = (key: string) => key === "steps";

function fromMembers(bytes: Uint8Array, members: Member[]): InteractionResult {
  const result: InteractionResult = { status: "completed", steps: [] };
  for (const member of members) {
    const raw = slice(bytes, member.value);
    switch (member.key) {
      case "steps":
        result.steps = (member.elements?.items ?? []).map((span) => stepRef(slice(bytes, span)));
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

/**
 * A JSON request body read as the relay reads it: its top-level members located in the caller's
 * bytes, each value parsed once and held to one reading (a repeated key is refused, never resolved
 * by whichever parser runs), and every failure a 400 that says what and where. Both routes read
 * their bodies through here.
 */
import { MAX_QUOTED, RelayError, boundedPointer, clip, jsonPointer } from "./errors";
import { slice } from "./json/bytes";
import { repeatedKeyPath } from "./json/repeats";
import { JsonDepthError, JsonScanner, JsonSyntaxError, decodeUtf8, type Member, type ReadElement, type Span } from "./json/scan";

/** The body's top-level members by key; malformed JSON, a non-object or a repeated key is a 400. */
export function bodyMembers(scanner: JsonScanner, split?: (key: string) => boolean | ReadElement): Map<string, Member> {
  const list = scanning(() => scanner.rootObject(split));
  const members = new Map<string, Member>();
  for (const member of list) {
    if (members.has(member.key)) {
      // JSON leaves a repeated key's meaning to the reader; the relay will not guess (e.g. two `store`s).
      throw new RelayError(400, "invalid_request", {
        detail: `The field \`${clip(member.key, MAX_QUOTED)}\` appears more than once; send it once.`,
        errors: [{ path: boundedPointer([member.key]), message: "appears more than once" }],
      });
    }
    members.set(member.key, member);
  }
  return members;
}

/** Runs a scan, turning malformed or too-deep JSON into the relay's 400s. */
export function scanning<T>(scan: () => T): T {
  try {
    return scan();
  } catch (err) {
    if (err instanceof JsonDepthError) {
      throw new RelayError(400, "too_deep", {
        detail: `The JSON nests deeper than allowed (MAX_JSON_DEPTH), at byte ${err.offset}; flatten it.`,
      });
    }
    if (err instanceof JsonSyntaxError) {
      throw new RelayError(400, "invalid_json", {
        detail: `The request body must be a JSON object: ${err.message} at byte ${err.offset}.`,
        errors: [{ path: "", message: "is not valid JSON" }],
      });
    }
    throw err;
  }
}

/**
 * Parses one value of the body the caller writes this turn (a member or an element), locating a
 * failure by its pointer. Checked strictly: a key repeated anywhere in it is a 400 (one reading).
 */
export function parseValue(bytes: Uint8Array, span: Span, at: PropertyKey[]): unknown {
  const { value, text } = parseJson(bytes, span, at);
  const repeat = repeatedKeyPath(slice(bytes, span), value, text);
  if (repeat) throw repeatedKey([...at, ...repeat]);
  return value;
}

/** A key that appears twice in one object, where the relay or Gemini would read it: a 400 naming it. */
export function repeatedKey(path: PropertyKey[]): RelayError {
  const key = clip(String(path.at(-1)), MAX_QUOTED);
  return new RelayError(400, "invalid_request", {
    detail: `The key \`${key}\` appears more than once in the object at ${boundedPointer(path.slice(0, -1)) || "the top level"}: JSON leaves its meaning to the reader, so the relay refuses it. Send it once.`,
    errors: [{ path: boundedPointer(path), message: "appears more than once in its object" }],
  });
}

/** The JSON at `span`, parsed, and its text (decoded once, for the repeated-key count). */
export function parseJson(bytes: Uint8Array, span: Span, at: PropertyKey[]): { value: unknown; text: string } {
  try {
    const text = decodeUtf8(slice(bytes, span));
    return { value: JSON.parse(text) as unknown, text };
  } catch (err) {
    const why = err instanceof JsonSyntaxError ? err.message : "is not valid JSON";
    throw new RelayError(400, "invalid_json", {
      detail: `${jsonPointer(at)} is not valid JSON (${why}).`,
      errors: [{ path: jsonPointer(at), message: `is not valid JSON (${why})` }],
    });
  }
}

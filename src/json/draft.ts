/**
 * JSON text being rebuilt out of received bytes: objects whose members can be replaced or added,
 * arrays that can grow, strings that can be extended. Everything received stays the bytes it
 * arrived as (spacing, escapes, number spellings, repeated keys); the relay writes only the commas,
 * brackets and keys it adds. The streamed step rebuild splices deltas into step.start's text with
 * these, so a streamed step is never a re-serialized copy.
 *
 * A value is parsed into a draft only when something must be changed inside it; the rest stays a
 * view of the buffer it came in (no copy until the finished step is joined, once).
 */
import type { Piece } from "./bytes";
import { JsonScanner, decodeUtf8, type Member, type Span } from "./scan";

/** A value inside a draft: bytes as received, or a draft of one. */
export type DraftValue = Uint8Array | ObjectDraft | ArrayDraft | StringDraft;

/** One member: `head` is the key as written up to the value (`"key" : `), `value` the value. */
export interface DraftMember {
  key: string;
  head: Piece;
  value: DraftValue;
}

/** A key the relay must read or change appears more than once in an object: which one counts is ambiguous. */
export class RepeatedKeyError extends Error {
  constructor(readonly key: string) {
    super(`a repeated "${key}"`);
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const QUOTE = 0x22;

/** Drafts are made of bytes the upstream sent and the adapter already parsed: depth is Gemini's business. */
const scannerOf = (bytes: Uint8Array) => new JsonScanner(bytes, Number.POSITIVE_INFINITY);

/**
 * Entries between brackets, with the bytes around and between them as received: what objects and
 * arrays share. Entries the relay adds are separated by a bare ",".
 */
abstract class Delimited<T> {
  /** separators[i] goes before entries[i] (separators[0] is never written). */
  protected readonly separators: Piece[];
  private readonly open: Piece;
  private readonly close: Piece;

  /**
   * `bytes` is the received text and `spans` its entries' places (an object's members from key to
   * value, an array's items), or `bytes` is the two brackets the relay writes for a new one.
   */
  protected constructor(
    bytes: Uint8Array | string,
    spans: readonly Span[],
    protected readonly entries: T[],
  ) {
    if (typeof bytes === "string") {
      [this.open, this.close, this.separators] = [bytes.slice(0, 1), bytes.slice(1), []];
      return;
    }
    const first = spans[0]?.start ?? bytes.length - 1;
    this.open = bytes.subarray(0, first);
    this.separators = spans.map((span, i) => (i === 0 ? "" : bytes.subarray(spans[i - 1]!.end, span.start)));
    this.close = bytes.subarray(spans.at(-1)?.end ?? first);
  }

  /** Adds an entry after the last one. */
  add(entry: T): void {
    this.separators.push(this.entries.length === 0 ? "" : ",");
    this.entries.push(entry);
  }

  protected abstract entryPieces(entry: T, out: Piece[]): void;

  pieces(out: Piece[] = []): Piece[] {
    out.push(this.open);
    this.entries.forEach((entry, i) => {
      if (i > 0) out.push(this.separators[i]!);
      this.entryPieces(entry, out);
    });
    out.push(this.close);
    return out;
  }
}

export class ObjectDraft extends Delimited<DraftMember> {
  /** The object whose JSON text is `bytes` (no whitespace around it), its layout kept. */
  static of(bytes: Uint8Array): ObjectDraft {
    const { members } = scannerOf(bytes).object(0, 1);
    return new ObjectDraft(
      bytes,
      members.map((member) => member.whole),
      members.map((member) => draftMember(bytes, member)),
    );
  }

  /** The member named `key`, if there is one; throws RepeatedKeyError when there are several. */
  member(key: string): DraftMember | undefined {
    let found: DraftMember | undefined;
    for (const member of this.entries) {
      if (member.key !== key) continue;
      if (found) throw new RepeatedKeyError(key);
      found = member;
    }
    return found;
  }

  /** Every member, in order (repeated keys included). */
  all(): readonly DraftMember[] {
    return this.entries;
  }

  /** The parsed value of a member held as received bytes (undefined when absent or being rebuilt). */
  read(key: string): unknown {
    const value = this.member(key)?.value;
    return value instanceof Uint8Array ? (JSON.parse(decodeUtf8(value)) as unknown) : undefined;
  }

  /** Sets a member's value in place (its key as this object wrote it), or adds `member` after the last one. */
  set(member: DraftMember): void {
    const own = this.member(member.key);
    if (own) own.value = member.value;
    else this.add(member);
  }

  /** The member `key` moved to the front (where Gemini's replies put `type`), the others in their order. */
  moveToFront(key: string): void {
    const member = this.member(key);
    const at = member ? this.entries.indexOf(member) : -1;
    if (at <= 0) return;
    this.entries.splice(at, 1);
    this.separators.splice(at, 1);
    this.entries.unshift(member!);
    this.separators[0] = ",";
    this.separators.unshift("");
  }

  /** The array value of member `key`, as a draft (undefined when absent or not an array). */
  arrayAt(key: string): ArrayDraft | undefined {
    return this.draftAt(key, asArray);
  }

  /** The string value of member `key`, as a draft (undefined when absent or not a string). */
  stringAt(key: string): StringDraft | undefined {
    return this.draftAt(key, asString);
  }

  /** Member `key`'s value as a draft of the kind `as` makes, kept in place of its bytes for later edits. */
  private draftAt<T extends DraftValue>(key: string, as: (value: DraftValue) => T | undefined): T | undefined {
    const member = this.member(key);
    const draft = member && as(member.value);
    if (draft) member.value = draft;
    return draft;
  }

  protected entryPieces(member: DraftMember, out: Piece[]): void {
    out.push(member.head);
    valuePieces(member.value, out);
  }
}

export class ArrayDraft extends Delimited<DraftValue> {
  static of(bytes: Uint8Array): ArrayDraft {
    const { items } = scannerOf(bytes).array(0, 1);
    return new ArrayDraft(
      bytes,
      items,
      items.map((span) => bytes.subarray(span.start, span.end)),
    );
  }

  static empty(): ArrayDraft {
    return new ArrayDraft("[]", [], []);
  }

  /** The last item as an object draft (undefined when the array is empty or it is not an object). */
  lastObject(): ObjectDraft | undefined {
    const last = this.entries.length - 1;
    const draft = last < 0 ? undefined : asObject(this.entries[last]!);
    if (draft) this.entries[last] = draft;
    return draft;
  }

  protected entryPieces(item: DraftValue, out: Piece[]): void {
    valuePieces(item, out);
  }
}

/** A JSON string extended by the contents of others, escapes and all, as received. */
export class StringDraft {
  private readonly parts: Piece[];

  private constructor(bytes: Uint8Array) {
    this.parts = [bytes.subarray(0, bytes.length - 1)];
  }

  static of(bytes: Uint8Array): StringDraft {
    return new StringDraft(bytes);
  }

  /** Appends the contents (between the quotes) of the JSON string `bytes`. */
  append(bytes: Uint8Array): void {
    if (bytes.length > 2) this.parts.push(bytes.subarray(1, bytes.length - 1));
  }

  /** Appends contents given as the text between a JSON string's quotes, as received (encoded once, at the end). */
  appendText(contents: string): void {
    if (contents !== "") this.parts.push(contents);
  }

  pieces(out: Piece[] = []): Piece[] {
    // A long answer is many small parts: runs of text are joined into one piece (encoded once), never spread.
    let run: string[] = [];
    for (const part of this.parts) {
      if (typeof part === "string") {
        run.push(part);
        continue;
      }
      if (run.length > 0) out.push(run.join(""));
      run = [];
      out.push(part);
    }
    if (run.length > 0) out.push(run.join(""));
    out.push('"');
    return out;
  }
}

/** The text of a draft value, as pieces to join. */
export function valuePieces(value: DraftValue, out: Piece[] = []): Piece[] {
  if (value instanceof Uint8Array) out.push(value);
  else value.pieces(out);
  return out;
}

function draftMember(bytes: Uint8Array, member: Member): DraftMember {
  return {
    key: member.key,
    head: bytes.subarray(member.whole.start, member.value.start),
    value: bytes.subarray(member.value.start, member.value.end),
  };
}

function asObject(value: DraftValue): ObjectDraft | undefined {
  if (value instanceof ObjectDraft) return value;
  return value instanceof Uint8Array && value[0] === OPEN_BRACE ? ObjectDraft.of(value) : undefined;
}

function asArray(value: DraftValue): ArrayDraft | undefined {
  if (value instanceof ArrayDraft) return value;
  return value instanceof Uint8Array && value[0] === OPEN_BRACKET ? ArrayDraft.of(value) : undefined;
}

function asString(value: DraftValue): StringDraft | undefined {
  if (value instanceof StringDraft) return value;
  return value instanceof Uint8Array && value[0] === QUOTE ? StringDraft.of(value) : undefined;
}

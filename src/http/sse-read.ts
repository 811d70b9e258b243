/**
 * Server-sent events read straight off a response body's bytes: each event is given out as soon as
 * the blank line that ends it has arrived, with nothing in between (no decoding stream, no parsing
 * stream, no read of a stream per stage). Only the field values are decoded, from the bytes of
 * their line.
 *
 * It reads what eventsource-parser's EventSourceParserStream behind a fatal TextDecoderStream read,
 * the same way (the WHATWG event-stream format): lines end with CRLF, LF or CR; a leading BOM is
 * dropped; `data` lines are joined by "\n" and an event with none is not given out; `event` names
 * it (empty: unnamed); comments (`:`) and `id` are skipped; a bad `retry`, an unknown field or
 * invalid UTF-8 is an error. Where the stream ends, it differs from eventsource-parser and follows
 * the spec: a last lone CR ends its line (so a CR-only stream's last event is given out), and a
 * stream that ends inside a line or inside an event (data lines not ended by a blank line) is an
 * error, where eventsource-parser drops the event: a cut stream must not pass for a
 * complete shorter one. An event larger than `maxEventBytes` is an error too, before it is all held.
 */

export interface ServerSentEvent {
  /** The `event` field, when one named it. */
  event?: string;
  data: string;
}

/** A body that is not an event stream (a bad `retry`, an unknown field, cut inside an event) or not UTF-8. */
export class SseSyntaxError extends Error {}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = [0x64, 0x61, 0x74, 0x61, COLON]; // "data:"
const EVENT = [0x65, 0x76, 0x65, 0x6e, 0x74, COLON]; // "event:"
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new SseSyntaxError("The event stream is not valid UTF-8.");
  }
}

function startsWith(line: Uint8Array, prefix: readonly number[]): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix[i]) return false;
  return true;
}

/** A field's value: after the colon, one leading space dropped. */
function valueAfter(line: Uint8Array, colon: number): string {
  return decode(line.subarray(line[colon + 1] === SPACE ? colon + 2 : colon + 1));
}

function join(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}

export interface ServerSentEventsOptions {
  /**
   * The most bytes one event may hold (its lines so far and a line not yet ended): a larger one is
   * an error, never a buffer that grows with whatever the sender sends.
   */
  maxEventBytes?: number;
}

/** Reads the events of `body`; stopping early (return, throw) cancels the body. */
export async function* serverSentEvents(
  body: ReadableStream<Uint8Array>,
  { maxEventBytes = Infinity }: ServerSentEventsOptions = {},
): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  let done = false;
  /** Bytes of a line not yet ended, as they came. */
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let first = true;
  let data = "";
  let dataLines = 0;
  /** Bytes of the lines of the event being read, since the blank line that ended the last one. */
  let eventBytes = 0;
  let event: string | undefined;

  /** Keeps the bytes of a line not yet ended. */
  const hold = (bytes: Uint8Array) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
  };
  /** Checked once a chunk's lines are read: what the event holds (its lines, a line not yet ended). */
  const bounded = () => {
    if (eventBytes + pendingBytes > maxEventBytes) {
      throw new SseSyntaxError(`An event in the event stream is larger than ${maxEventBytes} bytes.`);
    }
  };

  /** One line (without its end); returns the event a blank line completes. */
  const line = (bytes: Uint8Array): ServerSentEvent | undefined => {
    if (bytes.length === 0) {
      const complete = dataLines > 0 ? { ...(event !== undefined ? { event } : {}), data } : undefined;
      data = "";
      dataLines = 0;
      eventBytes = 0;
      event = undefined;
      return complete;
    }
    eventBytes += bytes.length + 1;
    if (startsWith(bytes, DATA)) {
      const value = valueAfter(bytes, DATA.length - 1);
      data = dataLines === 0 ? value : `${data}\n${value}`;
      dataLines++;
      return undefined;
    }
    if (startsWith(bytes, EVENT)) {
      event = valueAfter(bytes, EVENT.length - 1) || undefined;
      return undefined;
    }
    const colon = bytes.indexOf(COLON);
    const field = decode(colon < 0 ? bytes : bytes.subarray(0, colon));
    const value = colon < 0 ? "" : valueAfter(bytes, colon);
    if (colon === 0 || field === "id") return undefined; // a comment; ids are not used
    if (field === "data") {
      data = dataLines === 0 ? value : `${data}\n${value}`;
      dataLines++;
    } else if (field === "event") event = value || undefined;
    else if (field === "retry") {
      if (!/^\d+$/.test(value)) throw new SseSyntaxError(`Invalid \`retry\` value in the event stream.`);
    } else throw new SseSyntaxError(`Unknown field "${field.slice(0, 20)}" in the event stream.`);
    return undefined;
  };

  try {
    for (;;) {
      const read = await reader.read();
      done = read.done;
      if (!read.done) {
        if (read.value.length === 0) continue;
        hold(read.value);
        // A line longer than a chunk (a large event) is joined once, when its end arrives.
        if (read.value.indexOf(LF) < 0 && read.value.indexOf(CR) < 0 && !(first && pending.length === 1)) {
          bounded();
          continue;
        }
      }
      let bytes = join(pending);
      pending = [];
      pendingBytes = 0;
      if (first) {
        // The BOM, if any, is the first three bytes: wait for them before deciding.
        if (!done && bytes.length < 3 && [0xef, 0xbb, 0xbf].slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
          hold(bytes);
          continue;
        }
        first = false;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      let start = 0;
      // Where the next CR and LF are, each searched for once per chunk rather than once per line.
      let cr = bytes.indexOf(CR);
      let lf = bytes.indexOf(LF);
      for (;;) {
        if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
        if (lf >= 0 && lf < start) lf = bytes.indexOf(LF, start);
        const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
        // A CR that ends the chunk may be the first half of a CRLF: wait for the next chunk (at the
        // stream's end it is a line end, as the WHATWG parser says).
        if (end < 0 || (end === cr && end === bytes.length - 1 && !done)) break;
        const complete = line(bytes.subarray(start, end));
        start = end + 1;
        if (end === cr && bytes[start] === LF) start++;
        if (complete) yield complete;
      }
      if (done) {
        // A stream cut inside an event is no shorter stream that looks complete: the caller is told. An
        // unfinished last line that carries no data (a comment, an id) cuts nothing.
        if (start < bytes.length) line(bytes.subarray(start));
        if (dataLines > 0) throw new SseSyntaxError("The event stream ended inside an event.");
        return;
      }
      if (start < bytes.length) hold(bytes.subarray(start));
      bounded();
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    else reader.releaseLock();
  }
}

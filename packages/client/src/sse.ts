/**
 * A small server-sent-events reader: bytes in, `{event, data}` messages out, per the HTML spec's
 * parsing rules (LF, CRLF or CR line ends; `data` lines joined with "\n"; comments skipped). Works
 * on any ReadableStream reader, so it runs in browsers, Workers and Node alike.
 */

/** @internal One SSE message: the `event` name ("message" when none was given) and its `data`. */
export interface SseMessage {
  event: string;
  data: string;
}

/** @internal Parses SSE text fed in arbitrary pieces; call `end()` once the stream is done. */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];

  /** Feeds a piece of text; returns the messages it completed. */
  push(text: string): SseMessage[] {
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (!match || (match[0] === "\r" && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  /** The stream ended: a last message without its closing blank line is dropped, as the spec says. */
  end(): void {
    this.buffer = "";
    this.event = "";
    this.data = [];
  }

  private line(line: string): SseMessage | undefined {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return undefined;
      }
      const message = { event: this.event || "message", data: this.data.join("\n") };
      this.event = "";
      this.data = [];
      return message;
    }
    if (line.startsWith(":")) return undefined; // a comment, e.g. ": keep-alive"
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    return undefined;
  }
}

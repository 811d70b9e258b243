/**
 * Reading a request body safely: JSON only, gzip/deflate accepted (mobile uplinks are the
 * bottleneck), size limited before and after decompression, nesting depth bounded before parsing,
 * so a hostile body can neither exhaust the isolate's memory nor the stack.
 */
import { RelayError } from "./errors";

export interface BodyLimits {
  maxBodyBytes: number;
  maxJsonDepth: number;
}

/** What was read, for the request log. */
export interface BodyInfo {
  /** Bytes on the wire (compressed, if it was). */
  bytesIn: number;
}

const DECODINGS: Record<string, "gzip" | "deflate"> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" };

export async function readJson(request: Request, limits: BodyLimits, info: BodyInfo): Promise<unknown> {
  const type = request.headers.get("content-type");
  if (type !== null && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new RelayError(415, "unsupported_media_type", { detail: `Send JSON with content-type: application/json (got ${type.slice(0, 100)}).` });
  }
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase();
  const format = encoding && encoding !== "identity" ? DECODINGS[encoding] : undefined;
  if (encoding && encoding !== "identity" && !format) {
    throw new RelayError(415, "unsupported_media_type", { detail: `Content-Encoding ${encoding.slice(0, 40)} is not supported; use gzip or deflate.` });
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits, declared);

  if (!format && Number.isFinite(declared) && request.headers.has("content-length")) {
    // A declared length within the limit: the runtime reads exactly that many bytes, natively.
    info.bytesIn = declared;
    return parse(await request.text(), limits);
  }
  let stream = request.body;
  if (!stream) return parse("", limits);
  if (format) stream = stream.pipeThrough(countBytes((n) => (info.bytesIn = n), limits)).pipeThrough(new DecompressionStream(format));
  const text = await readText(stream, limits, format === undefined ? info : undefined, format !== undefined);
  return parse(text, limits);
}

/** Counts wire bytes and refuses a body that outgrows the limit while it streams in. */
function countBytes(report: (bytes: number) => void, limits: BodyLimits): TransformStream<Uint8Array, Uint8Array> {
  let bytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      report(bytes);
      if (bytes > limits.maxBodyBytes) throw tooLarge(limits);
      controller.enqueue(chunk);
    },
  });
}

/** Reads the (decompressed) JSON bytes; `info` gets the count when they are also the wire bytes. */
async function readText(stream: ReadableStream<Uint8Array>, limits: BodyLimits, info: BodyInfo | undefined, compressed: boolean): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBodyBytes) throw tooLarge(limits, undefined, compressed);
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RelayError) throw err;
    throw new RelayError(400, "invalid_json", { detail: compressed ? "The compressed body could not be decompressed." : "The body could not be read." });
  } finally {
    reader.releaseLock();
  }
  if (info) info.bytesIn = size;
  const bytes = chunks.length === 1 ? chunks[0]! : concat(chunks, size);
  return new TextDecoder().decode(bytes);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function parse(text: string, limits: BodyLimits): unknown {
  const depth = jsonDepthOver(text, limits.maxJsonDepth);
  if (depth !== undefined) {
    throw new RelayError(400, "too_deep", {
      detail: `The JSON nests deeper than ${limits.maxJsonDepth} levels (at character ${depth}); flatten it (MAX_JSON_DEPTH).`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RelayError(400, "invalid_json", {
      detail: `The request body must be a JSON object: ${(err as Error).message}.`,
      errors: [{ path: "", message: "is not valid JSON" }],
    });
  }
}

/**
 * The offset where nesting first exceeds `max`, or undefined. Skips string contents with indexOf,
 * so the cost is in the structural characters, not in long texts or base64 blobs.
 */
export function jsonDepthOver(text: string, max: number): number | undefined {
  const structural = /["[\]{}]/g;
  let depth = 0;
  for (let match = structural.exec(text); match; match = structural.exec(text)) {
    const char = match[0];
    if (char === '"') {
      let end = match.index;
      do {
        end = text.indexOf('"', end + 1);
        if (end < 0) return undefined; // unterminated: JSON.parse will say so
      } while (escaped(text, end));
      structural.lastIndex = end + 1;
    } else if (char === "[" || char === "{") {
      if (++depth > max) return match.index;
    } else {
      depth--;
    }
  }
  return undefined;
}

/** Whether the quote at `at` is escaped (preceded by an odd number of backslashes). */
function escaped(text: string, at: number): boolean {
  let slashes = 0;
  while (text.charCodeAt(at - 1 - slashes) === 92) slashes++;
  return slashes % 2 === 1;
}

function tooLarge(limits: BodyLimits, declared?: number, decompressed = false): RelayError {
  const what = declared !== undefined ? `${declared} bytes (Content-Length)` : decompressed ? "more than that once decompressed" : "more than that";
  return new RelayError(413, "payload_too_large", {
    detail: `The body may be at most ${limits.maxBodyBytes} bytes (MAX_BODY_BYTES); this one is ${what}. Trim old turns or send images by reference.`,
  });
}

/**
 * Reading a request body safely: JSON only, gzip/deflate accepted (mobile uplinks are the
 * bottleneck), size limited before and after decompression, so a hostile body cannot exhaust the
 * isolate's memory. The body is returned as bytes: the relay forwards them, it does not rebuild
 * them (nesting depth is bounded by the scanner that reads them, json/scan.ts).
 */
import { RelayError } from "../errors";
import { joinPieces } from "../json/bytes";

export interface BodyLimits {
  maxBodyBytes: number;
  /** How long the whole body may take to arrive (a caller that stalls gets a 408, never a hang). */
  bodyTimeoutMs: number;
}

/** What was read, for the request log. */
export interface BodyInfo {
  /** Bytes on the wire (compressed, if it was). */
  bytesIn: number;
}

const DECODINGS: Record<string, "gzip" | "deflate"> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate" };

export function readBody(request: Request, limits: BodyLimits, info: BodyInfo): Promise<Uint8Array> {
  let timer: number | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      request.body?.cancel().catch(() => {});
      reject(
        new RelayError(408, "request_timeout", {
          detail: `The body did not arrive within ${limits.bodyTimeoutMs} ms (BODY_TIMEOUT_MS); send it again.`,
        }),
      );
    }, limits.bodyTimeoutMs) as unknown as number;
  });
  return Promise.race([readBodyBytes(request, limits, info), stalled]).finally(() => clearTimeout(timer));
}

async function readBodyBytes(request: Request, limits: BodyLimits, info: BodyInfo): Promise<Uint8Array> {
  const type = request.headers.get("content-type");
  if (type !== null && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new RelayError(415, "unsupported_media_type", {
      detail: `Send JSON with content-type: application/json (got ${type.slice(0, 100)}).`,
    });
  }
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase();
  const format = encoding && encoding !== "identity" ? DECODINGS[encoding] : undefined;
  if (encoding && encoding !== "identity" && !format) {
    throw new RelayError(415, "unsupported_media_type", {
      detail: `Content-Encoding ${encoding.slice(0, 40)} is not supported; use gzip or deflate.`,
    });
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limits.maxBodyBytes) throw tooLarge(limits, declared);

  if (!format && Number.isFinite(declared) && request.headers.has("content-length")) {
    // A declared length within the limit: the runtime reads exactly that many bytes, natively.
    info.bytesIn = declared;
    try {
      return new Uint8Array(await request.arrayBuffer());
    } catch {
      throw unreadable(false);
    }
  }
  const stream = request.body;
  if (!stream) return new Uint8Array(0);
  if (!format) return readBytes(stream, limits, info, false);
  const wire = countBytes((n) => (info.bytesIn = n), limits);
  const piped = stream.pipeTo(wire.writable, { preventCancel: true }).catch(() => {});
  const inflated = wire.readable.pipeThrough(boundedInflate(format, limits.maxBodyBytes, (n) => tooLarge(limits, undefined, n)));
  try {
    return await readBytes(inflated, limits, undefined, true);
  } catch (err) {
    // Inflating stops at once; the rest of the wire bytes (within the wire limit) are read and
    // dropped, so the caller, still sending, gets the answer: the Node entry otherwise closed the
    // connection under it (EPIPE instead of the 413, 2 bombs in 6).
    await piped;
    await discardRest(stream, limits.maxBodyBytes - info.bytesIn);
    throw err;
  }
}

/** Reads and drops up to `maxBytes` more of a body that has been refused (a body already broken off is left as it is). */
async function discardRest(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<void> {
  const reader = stream.getReader();
  try {
    for (let left = maxBytes; left > 0;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
  } catch {
    // The body broke off: there is nothing more to read.
  } finally {
    reader.releaseLock();
  }
}

/**
 * Compressed bytes inflated at a time. The runtime's DecompressionStream takes all its input without
 * backpressure on workerd and inflates it before anyone can count it (a 1 MB gzip bomb became 1 GiB,
 * 12-16 s before its 413); fflate inflates synchronously, so small slices let the count stop a bomb
 * within one slice of the limit. Deflate expands at most ~1032:1: a slice yields at most ~1 MB
 * (4 KiB slices measured no faster on a 19 MB body).
 */
export const INFLATE_SLICE_BYTES = 1024;

/**
 * A stream that inflates `format` (gzip, or deflate with its zlib wrapper, as HTTP means it) and
 * errors with `tooLarge(inflated bytes)` as soon as the output passes `maxBytes`, inflating nothing
 * more; input that cannot be inflated, or ends too soon, errors it with fflate's error.
 */
export function boundedInflate(
  format: "gzip" | "deflate",
  maxBytes: number,
  tooLarge: (inflatedBytes: number) => Error,
): TransformStream<Uint8Array, Uint8Array> {
  let produced = 0;
  let output: Uint8Array[] = [];
  let inflater: ReturnType<typeof import("./inflate").inflater>;
  const deliver = (controller: TransformStreamDefaultController<Uint8Array>) => {
    for (const chunk of output) controller.enqueue(chunk);
    output = [];
  };
  return new TransformStream({
    // Loaded by the first compressed body, not by every new isolate (see inflate.ts).
    async start() {
      inflater = (await import("./inflate")).inflater(format);
      inflater.ondata = (chunk) => {
        produced += chunk.byteLength;
        if (produced > maxBytes) throw tooLarge(produced);
        if (chunk.byteLength > 0) output.push(chunk);
      };
    },
    transform(chunk, controller) {
      for (let at = 0; at < chunk.byteLength; at += INFLATE_SLICE_BYTES) {
        inflater.push(chunk.subarray(at, at + INFLATE_SLICE_BYTES));
        deliver(controller);
      }
    },
    flush(controller) {
      inflater.push(new Uint8Array(0), true);
      deliver(controller);
    },
  });
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
async function readBytes(
  stream: ReadableStream<Uint8Array>,
  limits: BodyLimits,
  info: BodyInfo | undefined,
  compressed: boolean,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBodyBytes) throw tooLarge(limits);
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof RelayError) throw err;
    throw unreadable(compressed);
  } finally {
    reader.releaseLock();
  }
  if (info) info.bytesIn = size;
  return chunks.length === 1 ? chunks[0]! : joinPieces(chunks);
}

/** A body that broke off (shorter than its Content-Length, cut, or not decompressible) is the caller's problem: 400. */
function unreadable(compressed: boolean): RelayError {
  return new RelayError(400, "invalid_json", {
    detail: compressed
      ? "The compressed body could not be decompressed."
      : "The body could not be read to its end (shorter than its Content-Length, or cut off).",
  });
}

/** `inflated`: how far decompression got before it was stopped, for a body over the limit once decompressed. */
function tooLarge(limits: BodyLimits, declared?: number, inflated?: number): RelayError {
  const what =
    declared !== undefined
      ? `${declared} bytes (Content-Length)`
      : inflated !== undefined
        ? `more than that once decompressed (decompression stopped at ${inflated} bytes)`
        : "more than that";
  return new RelayError(413, "payload_too_large", {
    detail: `The body may be at most ${limits.maxBodyBytes} bytes (MAX_BODY_BYTES); this one is ${what}. Trim old turns or send images by reference.`,
  });
}

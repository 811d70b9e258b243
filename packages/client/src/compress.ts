/**
 * Gzip for request bodies: transcripts are text and compress several times over, and a phone's
 * uplink is the slow direction. CompressionStream where the runtime has it (browsers, Node, Workers,
 * Deno, Bun); React Native has none and passes its own compressor (RelayClientOptions.compress).
 */

/** Compresses a request body to gzip bytes. */
export type Compressor = (bytes: Uint8Array) => Promise<Uint8Array>;

/** Bodies from this size (bytes) up are gzipped by default: below it the header costs more than it saves. */
export const DEFAULT_COMPRESS_ABOVE = 8 * 1024;

/** gzip by CompressionStream, or undefined where the runtime has none. */
export function streamCompressor(): Compressor | undefined {
  if (typeof CompressionStream !== "function") return undefined;
  return async (bytes) => {
    const stream = new CompressionStream("gzip");
    const writer = stream.writable.getWriter();
    // Written and closed without waiting: the reader below drains it (waiting first could deadlock on backpressure).
    writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
    writer.close().catch(() => {});
    return new Uint8Array(await new Response(stream.readable).arrayBuffer());
  };
}

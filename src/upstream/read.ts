/** Bounded reads of an upstream answer's body: the relay never holds more of it than it will use. */
import { joinPieces } from "../json/bytes";

/** A body's first `max` bytes: `whole` is false when it has more (the rest is not read: the body is cancelled). */
export async function readAtMost(response: Response, max: number): Promise<{ bytes: Uint8Array; whole: boolean }> {
  if (!response.body) return { bytes: new Uint8Array(0), whole: true };
  // A body whose length is declared within the bound, as received (a decoded one may be any size):
  // read whole, natively. The check after guards a Response whose header says less than it holds.
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= max && !response.headers.has("content-encoding")) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length <= max ? { bytes, whole: true } : { bytes: bytes.subarray(0, max), whole: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const read = await reader.read();
    if (read.done) return { bytes: joinPieces(chunks), whole: true };
    const room = max - size;
    if (read.value.length > room) {
      chunks.push(read.value.subarray(0, room));
      await reader.cancel().catch(() => {});
      return { bytes: joinPieces(chunks), whole: false };
    }
    chunks.push(read.value);
    size += read.value.length;
  }
}

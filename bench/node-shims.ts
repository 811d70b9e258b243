/**
 * The one workerd API the relay uses that Node 20 lacks: crypto.subtle.timingSafeEqual (a
 * Cloudflare extension, used to compare caller tokens). Installed only in the bench's Node
 * processes that run the relay bundle in-process; workerd has its own.
 */
type Bytes = ArrayBuffer | ArrayBufferView;

function view(data: Bytes): Uint8Array {
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: Bytes, b: Bytes) => boolean };
if (typeof subtle.timingSafeEqual !== "function") {
  subtle.timingSafeEqual = (a: Bytes, b: Bytes): boolean => {
    const x = view(a);
    const y = view(b);
    if (x.byteLength !== y.byteLength) throw new TypeError("Input buffers must have the same byte length");
    let difference = 0;
    for (let i = 0; i < x.byteLength; i++) difference |= x[i]! ^ y[i]!;
    return difference === 0;
  };
}

export {};

/** JSON answers as bytes with their Content-Length, so the request log counts them without streaming them through JS. */
export function jsonResponse(value: unknown, init: JsonResponseInit = {}): Response {
  return bytesResponse(new TextEncoder().encode(JSON.stringify(value)), init);
}

interface JsonResponseInit {
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A JSON answer the relay already holds as bytes (spliced from what it received). */
export function bytesResponse(bytes: Uint8Array, init: JsonResponseInit = {}): Response {
  return new Response(bytes, {
    status: init.status ?? 200,
    headers: { "content-type": init.contentType ?? "application/json", "content-length": String(bytes.byteLength), ...init.headers },
  });
}

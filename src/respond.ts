import type { JsonBody } from "./json/bytes";
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
export function bytesResponse(body: JsonBody, init: JsonResponseInit = {}): Response {
  const size = body instanceof Blob ? body.size : body.byteLength;
  return new Response(body, {
    status: init.status ?? 200,
    headers: { "content-type": init.contentType ?? "application/json", "content-length": String(size), ...init.headers },
  });
}

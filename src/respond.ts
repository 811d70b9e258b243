/** JSON answers as bytes with their Content-Length, so the request log counts them without streaming them through JS. */
export function jsonResponse(value: unknown, init: { status?: number; contentType?: string; headers?: Record<string, string> } = {}): Response {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return new Response(bytes, {
    status: init.status ?? 200,
    headers: { "content-type": init.contentType ?? "application/json", "content-length": String(bytes.byteLength), ...init.headers },
  });
}

/**
 * The parse floor: the floor plus one JSON.parse and one JSON.stringify of the request body, the
 * least a relay that validates can do. The response bytes still stream back untouched.
 */
import type { FloorEnv } from "./floor-worker";

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    const body = JSON.stringify(JSON.parse(await request.text()));
    const headers = new Headers(request.headers);
    headers.delete("host");
    headers.delete("content-length");
    const upstream = await fetch(env.UPSTREAM_URL + url.pathname + url.search, { method: request.method, headers, body });
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  },
};

/**
 * The floor: the least any relay can do. Forwards the request bytes to the upstream and streams the
 * response bytes back, parsing nothing. UPSTREAM_URL is the emulator's origin.
 */
export interface FloorEnv {
  UPSTREAM_URL: string;
}

export default {
  async fetch(request: Request, env: FloorEnv): Promise<Response> {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    const upstream = await fetch(env.UPSTREAM_URL + url.pathname + url.search, {
      method: request.method,
      headers,
      body: request.body,
    });
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  },
};

/**
 * A stand-in for the network behind GEMINI_BASE_URL that turns hostile: the upstream answers every
 * call with a redirect to another origin, and the network follows redirects as fetch does (same
 * headers; a 307/308 keeps the method and body, a 301/302/303 turns a POST into a GET) unless the
 * request says `redirect: "manual"`. Whatever reaches the other origin is recorded.
 */
import type { Bindings } from "../../src/config";
import { relayOverFetch } from "../helpers";

export const UPSTREAM = "http://emulator.test";
const ELSEWHERE = "http://elsewhere.test";

export interface Received {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export function redirectingNetwork(status: number) {
  /** What reached the origin the redirect pointed at. */
  const elsewhere: Received[] = [];
  let upstreamCalls = 0;

  async function answer(request: Request): Promise<Response> {
    if (request.url.startsWith(UPSTREAM)) {
      upstreamCalls++;
      return new Response(null, { status, headers: { location: `${ELSEWHERE}/v1beta/interactions?from=${status}` } });
    }
    elsewhere.push({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
    // A reply, so a relay that followed would carry on as if nothing had happened.
    return Response.json({ status: "completed", steps: [] });
  }

  async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let request = new Request(input, init);
    const body = request.body ? await request.clone().arrayBuffer() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      const response = await answer(request.clone());
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location || request.redirect === "manual") return response;
      if (request.redirect === "error") throw new TypeError("redirect refused");
      const keep = response.status === 307 || response.status === 308;
      request = new Request(new URL(location, request.url), {
        method: keep ? request.method : "GET",
        headers: request.headers,
        body: keep ? body : undefined,
        redirect: request.redirect,
      });
    }
    throw new TypeError("too many redirects");
  }

  /** The relay app with its real upstream adapter on this network. */
  function relay(bindings: Partial<Bindings> = {}) {
    const { app, env } = relayOverFetch(fetch, { GEMINI_BASE_URL: UPSTREAM, ...bindings });
    const post = (path: string, body: unknown) =>
      Promise.resolve(
        app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, env),
      );
    return { app, env, post };
  }

  return { fetch, relay, elsewhere, upstreamCalls: () => upstreamCalls };
}

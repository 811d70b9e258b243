// The Node entry's server in this process (src/node/server.ts, no emulator: nothing here reaches the
// upstream): the socket's address keys the failed-auth throttle and, with AUTH_MODE=none, the rate
// limit; MAX_CONNECTIONS caps the connections open at once.
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeRelay, type NodeRelay } from "../../src/node/server";

const TOKEN = "node-server-token-0123456789abcdef";
let relay: NodeRelay | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.splice(0).forEach((socket) => socket.destroy());
  await relay?.close();
  relay = undefined;
});

async function start(env: Record<string, string>, maxConnections = 1024): Promise<string> {
  relay = await startNodeRelay({ GEMINI_API_KEY: "node-test-key", ...env }, { host: "127.0.0.1", port: 0, maxConnections });
  return relay.url;
}

/** GET `path` from the given local address (Linux routes all of 127.0.0.0/8 to loopback), on a connection of its own. */
function get(url: string, path: string, from: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { localAddress: from, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the client address on Node is the socket's", () => {
  it("throttles the address that failed authentication 10 times, and only that one", async () => {
    const url = await start({ AUTH_MODE: "tokens", RELAY_TOKENS: TOKEN });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    for (let i = 0; i < 10; i++) expect(await get(url, "/v1/turns", "127.0.0.2", bearer(`guess-${i}`))).toBe(401);
    expect(await get(url, "/v1/turns", "127.0.0.2", bearer(TOKEN))).toBe(429);
    // A forwarding header changes nothing: the socket says who is calling.
    expect(await get(url, "/v1/turns", "127.0.0.2", { ...bearer(TOKEN), "cf-connecting-ip": "203.0.113.9" })).toBe(429);
    expect(await get(url, "/v1/turns", "127.0.0.1", bearer(TOKEN))).toBe(405);
  });

  it("keys AUTH_MODE=none's rate limit by that address", async () => {
    const url = await start({ AUTH_MODE: "none", RATE_LIMIT_REQUESTS: "1" });
    expect(await get(url, "/v1/turns", "127.0.0.1")).toBe(405);
    expect(await get(url, "/v1/turns", "127.0.0.1")).toBe(429);
    expect(await get(url, "/v1/turns", "127.0.0.3")).toBe(405);
  });
});

describe("MAX_CONNECTIONS", () => {
  it("closes connections past the cap as they arrive, and serves again once one closes", async () => {
    const url = await start({ AUTH_MODE: "none" }, 1);
    const { port } = new URL(url);
    // One keep-alive connection, known to the server once it has answered on it.
    const held = connect(Number(port), "127.0.0.1");
    sockets.push(held);
    held.write("GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n");
    await new Promise((resolve) => held.once("data", resolve));

    await expect(get(url, "/healthz", "127.0.0.1")).rejects.toThrow(/socket hang up|ECONNRESET/);
    held.destroy();
    await expect.poll(() => get(url, "/healthz", "127.0.0.1").catch(() => 0)).toBe(200);
  });
});

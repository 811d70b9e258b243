/**
 * The relay on Node (@hono/node-server): the same app as the Worker, its vars and secrets read from
 * the environment under the same names, and the per-caller rate limit counted in this process.
 */
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../app";
import { readConfig, type Bindings } from "../config";
import { MemoryRateLimiter } from "./rate-limiter";

export interface NodeRelay {
  url: string;
  /** Stops accepting connections, lets the requests in flight (streams included) finish, then resolves. */
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 picks a free port). A malformed setting is refused here, before the
 * first request, with the same configuration error a Worker would answer with.
 */
export async function startNodeRelay(
  env: Record<string, string | undefined>,
  { host, port }: { host: string; port: number },
): Promise<NodeRelay> {
  const bindings: Bindings = { ...env, CALLER_RATE_LIMIT: new MemoryRateLimiter(readConfig(env).rateLimit) };
  const app = createApp();
  let closing = false;
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: (request) => app.fetch(request, bindings), hostname: host, port }, () => resolve(started as Server));
    started.once("error", reject);
  });
  // While closing, a keep-alive connection is ended as soon as its response is done.
  server.on("request", (_request, response) => response.once("close", () => closing && setImmediate(() => server.closeIdleConnections())));
  const { address, port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

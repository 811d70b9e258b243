/**
 * The relay on Node (@hono/node-server): the same app as the Worker, its vars and secrets read from
 * the environment under the same names, the per-caller rate limit counted in this process, the
 * socket's address as the client's, at most MAX_CONNECTIONS connections open at once, the static
 * assets (the document and the /docs page) read from public/, and the /docs page's Scalar bundle
 * served by the app (Node has no static assets).
 */
import { serve } from "@hono/node-server";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { createApp } from "../app";
import { readConfig, requireStartSettings, type Bindings, type ListenSettings } from "../config";
import type { AppEnv } from "../env";
import { MemoryRateLimiter } from "./rate-limiter";
import { staticFilesFromDisk } from "./static-files";

/** Scalar's browser bundle for GET /docs, from the installed runtime dependency (Workers serve it from [assets]). */
const readReferenceBundle = () => readFile(createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js"));

export interface NodeRelay {
  url: string;
  /** Stops accepting connections, lets the requests in flight (streams included) finish, then resolves. */
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 picks a free port). A malformed or missing setting (no GEMINI_API_KEY, tokens
 * mode without RELAY_TOKENS) is refused here, before the first request, with the configuration error a
 * Worker would answer with, worded for Node (environment variables, not wrangler secrets).
 */
export async function startNodeRelay(
  env: Record<string, string | undefined>,
  { host, port, maxConnections }: ListenSettings,
): Promise<NodeRelay> {
  const settings: Bindings = { ...env, RUNTIME: "node" };
  const config = readConfig(settings);
  requireStartSettings(config);
  const bindings: AppEnv["Bindings"] = {
    ...settings,
    CALLER_RATE_LIMIT: new MemoryRateLimiter(config.rateLimit),
    ASSETS: staticFilesFromDisk(),
  };
  // Each request's socket address, for the app to read back (the bindings are one object for all requests).
  const clientAddresses = new WeakMap<Request, string>();
  const app = createApp({ clientAddress: (request) => clientAddresses.get(request), readReferenceBundle });
  let closing = false;
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve(
      {
        fetch: (request, { incoming }) => {
          const address = incoming.socket.remoteAddress;
          if (address) clientAddresses.set(request, address);
          return app.fetch(request, bindings);
        },
        hostname: host,
        port,
      },
      () => resolve(started as Server),
    );
    // Past the cap, Node closes each new connection as it arrives; those already open are served.
    (started as Server).maxConnections = maxConnections;
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

// The Node entry with Node's own fetch (undici) against a real upstream on loopback that redirects to
// another origin: nothing reaches that origin, on either route, unary or streamed. (The workers tests
// drive the same adapter through a stand-in network; this one holds the runtime's fetch to it.)
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeRelay, type NodeRelay } from "../../src/node/server";

const KEY = "node-redirect-test-key-0123456789";
const received: { method: string; key: string | undefined }[] = [];
const servers: Server[] = [];
let relay: NodeRelay;
let upstreamUrl: string;

async function listen(handler: (req: IncomingMessage, res: import("node:http").ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const elsewhere = await listen((req, res) => {
    received.push({ method: req.method!, key: req.headers["x-goog-api-key"] as string | undefined });
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"completed","steps":[]}');
  });
  // The status to answer with rides in the model name, so one upstream serves every case.
  upstreamUrl = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const status = Number(/"model":"redirect-(\d{3})"/.exec(Buffer.concat(chunks).toString())?.[1] ?? 500);
      res.writeHead(status, { location: `${elsewhere}/v1beta/interactions` }).end();
    });
  });
  relay = await startNodeRelay(
    { GEMINI_API_KEY: KEY, GEMINI_BASE_URL: upstreamUrl, AUTH_MODE: "none", UPSTREAM_MAX_RETRIES: "0" },
    { host: "127.0.0.1", port: 0, maxConnections: 64 },
  );
});

afterAll(async () => {
  await relay?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe("an upstream redirect, through Node's fetch", () => {
  for (const path of ["/v1/turns", "/v1beta/interactions"]) {
    for (const stream of [false, true]) {
      it(`${path}${stream ? ", streamed" : ""}: 502 for a 302 and a 307, and the other origin never contacted`, async () => {
        for (const status of [302, 307]) {
          const res = await fetch(`${relay.url}${path}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ model: `redirect-${status}`, input: "hi", stream }),
          });
          const text = await res.text();
          expect(res.status, text).toBe(502);
          expect(text).toContain(`redirect (${status})`);
          expect(text).not.toContain(KEY);
        }
        expect(received).toEqual([]);
      });
    }
  }
});

/**
 * Streaming lag: a relay whose upstream is the emulator served by this Node process, so the
 * upstream's first SSE write and the caller's first event are read on one clock.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { benchEmulator } from "./emulator-worker";
import type { Payload } from "./payloads";
import { progress, summarize, type Summary } from "./stats";
import { describe, relayStreamTurn, sdkFor, sdkStreamTurn } from "./callers";
import { quick, type Served } from "./workerd";

export interface NodeEmulator {
  server: Server;
  url: string;
  /** performance.now() of the first body write of the latest SSE response. */
  lastFirstWrite: () => number;
}

export async function nodeEmulator(): Promise<NodeEmulator> {
  const handler = benchEmulator();
  let firstWrite = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length", "transfer-encoding", "keep-alive"].includes(name)) {
        headers.set(name, value);
      }
    }
    const body = Buffer.concat(chunks);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    const sse = response.headers.get("content-type")?.startsWith("text/event-stream");
    if (response.body) {
      const reader = response.body.getReader();
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (first && sse) firstWrite = performance.now();
        first = false;
        res.write(value);
      }
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, lastFirstWrite: () => firstWrite };
}

export interface LagResult {
  /** Caller's first event − upstream's first write (ms). */
  relayLag: Summary;
  directLag: Summary;
  /** Rounds in which a turn failed (neither path's lag of that round is kept). */
  errors: number;
}

export async function streamLag(emu: NodeEmulator, relay: Served, p: Payload): Promise<LagResult> {
  const ai = sdkFor(emu.url);
  const runs = quick ? 2 : p.spec.id === "8k" ? 30 : p.spec.id === "1m" ? 10 : 5;
  const relayLag: number[] = [];
  const directLag: number[] = [];
  let errors = 0;
  for (let i = 0; i < runs + 2; i++) {
    try {
      const r = await relayStreamTurn(relay.url, p);
      const rUp = emu.lastFirstWrite();
      const d = await sdkStreamTurn(ai, p);
      const dUp = emu.lastFirstWrite();
      if (i < 2) continue;
      relayLag.push(r.firstEventAt! - rUp);
      directLag.push(d.firstEventAt! - dUp);
    } catch (err) {
      // Counted and reported, never timed or retried (as in the latency rows).
      errors += 1;
      progress(`streaming lag ${p.spec.id}/${p.reply}: a turn failed: ${describe(err)}`);
    }
  }
  return { relayLag: summarize(relayLag), directLag: summarize(directLag), errors };
}

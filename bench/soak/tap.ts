/**
 * The upstream tap: a pass-through HTTP proxy on loopback between the relay and the emulator, so
 * every upstream call the relay makes is seen from the outside: when it started, which soak turn
 * it belongs to (a `[soak:<id>]` tag in the prompt), and how it ended: answered to the last byte,
 * or closed by the relay before that. When the relay closes a call, the tap cancels its own call
 * to the emulator.
 *
 * Why a tap and not the emulator's request log: behind `wrangler dev` the emulator does not see a
 * disconnect (its README says so), so its log cannot tell an upstream call the relay cancelled from
 * one it let run.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HOST } from "./processes";

export interface UpstreamCall {
  tag: string;
  startedAt: number;
  /** performance.now() when the call ended; undefined while it runs. */
  endedAt?: number;
  /** completed: the whole answer reached the relay; relay-closed: the relay left first; failed: the emulator failed. */
  end?: "completed" | "relay-closed" | "failed";
  status?: number;
}

export interface Tap {
  url: string;
  /** Calls of tagged turns, by tag. */
  callsFor(tag: string): UpstreamCall[];
  /** All calls currently running, tagged or not. */
  open(): number;
  /** Upstream calls seen in total. */
  total(): number;
  /** The tap's own failures to reach the emulator, by error code (answered 502 to the relay). */
  failures(): Record<string, number>;
  /** Forget the tagged calls (between phases). */
  clear(): void;
  close(): Promise<void>;
}

/** Only the start of a body is searched for the tag (the prompt of a tagged turn is small and early). */
const TAG_SCAN_BYTES = 64 * 1024;
const TAG = /\[soak:([\w-]+)\]/;

export async function startTap(upstream: string): Promise<Tap> {
  const target = new URL(upstream);
  // A connection per call: a kept-alive socket that the emulator's side closes meanwhile would fail
  // the next call (ECONNRESET) and be counted against the relay.
  const agent = new Agent({ keepAlive: false, maxSockets: 256 });
  const failures: Record<string, number> = {};
  const tagged = new Map<string, UpstreamCall[]>();
  let open = 0;
  let total = 0;

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    open++;
    total++;
    const call: UpstreamCall = { tag: "", startedAt: performance.now() };
    let scanned = "";
    const forward = httpRequest({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    });
    const finish = (end: UpstreamCall["end"]) => {
      if (call.end) return;
      call.end = end;
      call.endedAt = performance.now();
      open--;
    };
    req.on("data", (chunk: Buffer) => {
      if (scanned.length < TAG_SCAN_BYTES && !call.tag) {
        scanned += chunk.toString("latin1", 0, Math.min(chunk.length, TAG_SCAN_BYTES));
        const tag = TAG.exec(scanned)?.[1];
        if (tag) {
          call.tag = tag;
          tagged.set(tag, [...(tagged.get(tag) ?? []), call]);
        }
      }
    });
    req.pipe(forward);
    forward.on("response", (answer) => {
      call.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    forward.on("error", (err: NodeJS.ErrnoException) => {
      if (!call.end) failures[err.code ?? err.message] = (failures[err.code ?? err.message] ?? 0) + 1;
      finish("failed");
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    res.on("close", () => {
      if (res.writableFinished) finish("completed");
      else {
        finish("relay-closed");
        forward.destroy();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${HOST}:${port}`,
    callsFor: (tag) => tagged.get(tag) ?? [],
    open: () => open,
    total: () => total,
    failures: () => failures,
    clear: () => tagged.clear(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

/**
 * One relay turn in a Node worker thread whose V8 heap is capped (resourceLimits), to find the
 * smallest heap the turn fits in. Run by loopback.ts; the relay is the wrangler bundle, its
 * upstream the emulator in workerd (another process, so only the relay's memory is in this heap).
 * The request body arrives as transferred bytes (outside the V8 heap, as a body stream is in workerd).
 */
import { parentPort, workerData } from "node:worker_threads";
import "./node-shims";

interface HeapCapData {
  relayBundle: string;
  upstream: string;
  bindings: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
}

const { relayBundle, upstream, bindings, headers, body } = workerData as HeapCapData;
type Handler = { fetch(request: Request, env: Record<string, string>, ctx?: unknown): Response | Promise<Response> };
const relay = ((await import(relayBundle)) as { default: Handler }).default;
const response = await relay.fetch(
  new Request("http://relay.local/v1/turns", { method: "POST", headers, body }),
  { ...bindings, GEMINI_BASE_URL: upstream },
  {},
);
const bytes = (await response.arrayBuffer()).byteLength;
parentPort!.postMessage({ status: response.status, bytes });

/**
 * Relay turns (one, or several at once) in a Node worker thread whose V8 heap is capped (resourceLimits), to find the
 * smallest heap the turn fits in. Run by loopback.ts; the relay is the wrangler bundle, its
 * upstream the emulator in workerd (another process, so only the relay's memory is in this heap).
 * The request body arrives as transferred bytes (outside the V8 heap, as a body stream is in workerd).
 * With `turns` > 1 that many turns run concurrently, each on its own Request over the same bytes.
 */
import { parentPort, workerData } from "node:worker_threads";

interface HeapCapData {
  relayBundle: string;
  upstream: string;
  bindings: Record<string, string>;
  headers: Record<string, string>;
  body: Uint8Array;
  turns: number;
}

const { relayBundle, upstream, bindings, headers, body, turns } = workerData as HeapCapData;
type Handler = { fetch(request: Request, env: Record<string, string>, ctx?: unknown): Response | Promise<Response> };
const relay = ((await import(relayBundle)) as { default: Handler }).default;
const env = { ...bindings, GEMINI_BASE_URL: upstream };
const statuses = await Promise.all(
  Array.from({ length: turns }, async () => {
    const response = await relay.fetch(new Request("http://relay.local/v1/turns", { method: "POST", headers, body }), env, {});
    await response.arrayBuffer();
    return response.status;
  }),
);
// 200 only when every turn answered 200.
parentPort!.postMessage({ status: statuses.every((status) => status === 200) ? 200 : statuses.find((status) => status !== 200) });

/**
 * The bench's upstream: the project's Interactions API emulator (packages/emulator), unchanged, with one
 * difference from its worker entry: its request log is emptied after every request. The log
 * keeps each parsed body for tests; over a benchmark of 10 MB histories it would grow by GBs and the
 * emulator, not the relay, would become what is measured.
 *
 * Used as a Worker (Miniflare, workerd) and in-process on Node (`benchEmulator()`).
 */
import { createEmulator } from "../packages/emulator/src/emulator.js";

export type FetchHandler = (request: Request) => Promise<Response>;

/** A fresh emulator (zero latency, default signing secret) whose log never grows. */
export function benchEmulator(): FetchHandler {
  const emulator = createEmulator();
  return async (request) => {
    try {
      return await emulator.fetch(request);
    } finally {
      emulator.requests.length = 0;
    }
  };
}

let handler: FetchHandler | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    // Built lazily: workerd forbids crypto work at module scope.
    handler ??= benchEmulator();
    try {
      return await handler(request);
    } catch {
      // The caller went away; nobody reads this answer.
      return new Response(null, { status: 499 });
    }
  },
};

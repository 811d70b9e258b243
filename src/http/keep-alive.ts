/** SSE keep-alive: a comment after `intervalMs` of silence, so proxies and mobile networks keep a thinking stream open. */

/** Sends `: keep-alive` whenever nothing was written for `intervalMs`; returns `wrote` (call on each write) and `stop`. */
export function keepAlive(sse: { write(text: string): unknown }, intervalMs: number): { wrote(): void; stop(): void } {
  let lastWrite = Date.now();
  const timer = setInterval(
    () => {
      if (Date.now() - lastWrite >= intervalMs) {
        lastWrite = Date.now();
        void sse.write(": keep-alive\n\n");
      }
    },
    Math.max(10, Math.floor(intervalMs / 2)),
  );
  return { wrote: () => void (lastWrite = Date.now()), stop: () => clearInterval(timer) };
}

/**
 * A value built on first use and kept: for what a module would otherwise build at its top level, on
 * every cold start, whether or not the requests that follow need it (zod schemas cost milliseconds
 * to build; startup CPU is what every new isolate pays before its first answer).
 */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * `npm run serve`: the relay self-hosted on Node, listening on HOST:PORT (default 127.0.0.1:8787).
 * SIGTERM or SIGINT: stop accepting connections, finish the requests in flight (streams included),
 * then exit 0; a second signal exits at once.
 */
import { readListenSettings } from "../config";
import { RelayError } from "../errors";
import { startNodeRelay, type NodeRelay } from "./server";

let relay: NodeRelay;
try {
  relay = await startNodeRelay(process.env, readListenSettings(process.env));
} catch (err) {
  console.error(`gemini-relay could not start: ${whyNotStarted(err)}`);
  process.exit(1);
}
console.log(`gemini-relay listening on ${relay.url}`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    console.log(`gemini-relay: ${signal}, finishing the requests in flight (send it again to stop at once)`);
    process.once(signal, () => process.exit(1));
    relay.close().then(
      () => {
        console.log("gemini-relay stopped");
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`gemini-relay: ${String(err)}`);
        process.exit(1);
      },
    );
  });
}

function whyNotStarted(err: unknown): string {
  if (err instanceof RelayError) return err.detail;
  // Node's listen errors name the address they tried.
  const { code, address, port } = err as { code?: string; address?: string; port?: number };
  if (code === "EADDRINUSE") return `${address}:${port} is already in use; set PORT (or HOST) to a free address.`;
  if (code === "EADDRNOTAVAIL") return `${address} is not an address of this machine; set HOST to one that is.`;
  return String(err);
}

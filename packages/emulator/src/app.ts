/** The emulator as a Hono app: the one request handler the Worker entry, the Node CLI and embedding apps share. */
import { Hono } from "hono";
import { createEmulator } from "./emulator.js";
import type { Emulator } from "./types.js";

/**
 * A Hono app serving `emulator` on every path (the Interactions routes match under any prefix, so it can be
 * mounted with `parent.route("/gemini", app)`).
 *
 * @example
 * import { serve } from "@hono/node-server";
 * const emulator = createEmulator({ apiKey: "dev-key" });
 * serve({ fetch: createEmulatorApp(emulator).fetch, port: 9000 });
 * // later: emulator.script("gemini-3.5-flash", { error: { status: 429, retryAfterSeconds: 1 } });
 */
export function createEmulatorApp(emulator: Emulator = createEmulator()): Hono {
  const app = new Hono();
  app.all("*", async (c) => {
    try {
      return await emulator.fetch(c.req.raw);
    } catch {
      // emulator.fetch only throws when the caller went away during a delay; nobody reads this answer.
      return new Response(null, { status: 499 });
    }
  });
  return app;
}

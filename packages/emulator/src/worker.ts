/**
 * Workers entry of the emulator (`wrangler dev -c wrangler.toml`, or `main` in your own wrangler config):
 * one emulator per isolate, options from the Worker's vars.
 */
import type { Hono } from "hono";
import { createEmulatorApp } from "./app.js";
import { createEmulator } from "./emulator.js";
import { optionsFromEnv, type EmulatorEnv } from "./options.js";

// Kept for the isolate's lifetime: the script queue and request log must outlive a single request.
// Built on the first request: workerd forbids crypto work at module scope.
let app: Hono | undefined;

export default {
  fetch(request: Request, env: EmulatorEnv): Response | Promise<Response> {
    app ??= createEmulatorApp(createEmulator(optionsFromEnv(env)));
    return app.fetch(request);
  },
};

#!/usr/bin/env node
/**
 * `gemini-relay-emulator`: the emulator on plain Node (@hono/node-server), for tests and offline development.
 *
 *   npx gemini-relay-emulator --port 9000 [--host 127.0.0.1]
 *
 * Options come from EMULATOR_API_KEY, EMULATOR_LATENCY_MS and EMULATOR_SIGNING_SECRET (the Worker's vars),
 * or the flags of the same names. Prints one line with its URL once it listens (`--port 0` picks a free port).
 */
import { serve } from "@hono/node-server";
import { parseArgs } from "node:util";
import { createEmulatorApp } from "./app.js";
import { createEmulator } from "./emulator.js";
import { optionsFromEnv } from "./options.js";

const USAGE = `Usage: gemini-relay-emulator [--port 9000] [--host 127.0.0.1] [--api-key KEY] [--latency-ms MS] [--signing-secret SECRET]

A local stand-in for Google's Gemini Interactions API (POST /v1beta/interactions), offline.
The test-control routes (/__emulator/*) are unauthenticated: keep it on loopback.`;

function fail(message: string, code: number): never {
  console.error(`gemini-relay-emulator: ${message}`);
  process.exit(code);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: "string", default: "9000" },
      host: { type: "string", default: "127.0.0.1" },
      "api-key": { type: "string" },
      "latency-ms": { type: "string" },
      "signing-secret": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (err) {
  fail(`${(err as Error).message}\n\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`--port must be an integer from 0 to 65535, not ${JSON.stringify(args.port)}.`, 2);
const host = args.host;

const emulator = createEmulator(
  optionsFromEnv({
    EMULATOR_API_KEY: args["api-key"] ?? process.env.EMULATOR_API_KEY,
    EMULATOR_LATENCY_MS: args["latency-ms"] ?? process.env.EMULATOR_LATENCY_MS,
    EMULATOR_SIGNING_SECRET: args["signing-secret"] ?? process.env.EMULATOR_SIGNING_SECRET,
  }),
);

const server = serve({ fetch: createEmulatorApp(emulator).fetch, hostname: host, port }, (info) => {
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${info.port}`;
  console.log(`gemini-relay-emulator listening on ${origin} (POST ${origin}/v1beta/interactions); Ctrl+C to stop`);
});
server.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EADDRINUSE") fail(`port ${port} on ${host} is already in use; pick another with --port.`, 1);
  fail(`could not listen on ${host}:${port}: ${err.message}`, 1);
});

// Graceful stop: no new connections, answers in flight finish; a second signal exits at once.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close(() => process.exit(0));
  });
}

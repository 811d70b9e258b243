#!/usr/bin/env node
// `npm run demo`: runs demo/support-agent.ts on plain Node 20, which cannot run TypeScript itself.
// esbuild (already installed: wrangler, vite and the Workers test pool depend on it) bundles the demo
// and the client into one ES module, demo/.support-agent.mjs (about 20 ms; beside the source, so its
// import.meta.url finds demo/.sessions), then this process imports it, so arguments, stdin and the
// exit code are the demo's own. No TypeScript runner, no new dependency.
import { randomUUID } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const entry = fileURLToPath(new URL("./support-agent.ts", import.meta.url));
const outfile = fileURLToPath(new URL("./.support-agent.mjs", import.meta.url));

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("support-agent: esbuild is missing; run `npm install` (it comes with wrangler and vitest).");
  process.exit(1);
}

const { outputFiles } = await esbuild.build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
  write: false,
  logLevel: "warning",
});
// Written aside and renamed, so two demos starting at once never import half a file.
const temp = `${outfile}.${randomUUID()}.tmp`;
await writeFile(temp, outputFiles[0].contents);
await rename(temp, outfile);

process.setSourceMapsEnabled(true);
await import(pathToFileURL(outfile).href);

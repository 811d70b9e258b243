// `npm run contract`: writes the generated files the relay and the emulator read (src/openapi/build.ts).
// Run by `npm run build`; test/openapi/generated.test.ts fails when a committed one is stale.
import { writeFileSync } from "node:fs";
import { format } from "prettier";
import { createApp } from "../src/app";
import { GEMINI_FIELDS } from "../src/fields";
import { buildContract, contractModule, emulatorFieldsModule } from "../src/openapi/build";
import { geminiUpstream } from "../src/upstream/gemini";

const root = new URL("../", import.meta.url);

async function write(path: string, source: string): Promise<void> {
  writeFileSync(new URL(path, root), await format(source, { parser: "typescript", printWidth: 140 }));
  console.error(`wrote ${path}`);
}

// The relay logs a line per request, and the build sends it one per error example.
const log = console.log;
console.log = () => {};
// The real upstream adapter (it reads the key), over a network no error example may reach.
const app = createApp({
  makeUpstream: (config) => geminiUpstream(config, { fetch: () => Promise.reject(new Error("an error example reached the upstream")) }),
});
const contract = await buildContract(app);
console.log = log;
await write("src/openapi/generated.ts", contractModule(contract));
await write("packages/emulator/src/fields.ts", emulatorFieldsModule(GEMINI_FIELDS));

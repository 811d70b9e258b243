// `npm run contract`: writes the generated files the relay and the emulator read (src/openapi/build.ts).
// Run by `npm run build`; test/openapi/generated.test.ts fails when a committed one is stale.
import { writeFileSync } from "node:fs";
import { format } from "prettier";
import { GEMINI_FIELDS } from "../src/fields";
import { buildContract, contractModule, emulatorFieldsModule } from "../src/openapi/build";

const root = new URL("../", import.meta.url);

async function write(path: string, source: string): Promise<void> {
  writeFileSync(new URL(path, root), await format(source, { parser: "typescript", printWidth: 140 }));
  console.error(`wrote ${path}`);
}

// The relay logs a line per request, and the build sends it one per error example.
const log = console.log;
console.log = () => {};
const contract = await buildContract();
console.log = log;
await write("src/openapi/generated.ts", contractModule(contract));
await write("packages/emulator/src/fields.ts", emulatorFieldsModule(GEMINI_FIELDS));

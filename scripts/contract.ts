// `npm run contract`: writes the generated files the relay and the emulator read (src/openapi/build.ts):
// the document and the /docs page as static assets (public/, served as is), the emulator's field list.
// Run by `npm run build`; test/openapi/generated.test.ts fails when a committed one is stale.
import { writeFileSync } from "node:fs";
import { format } from "prettier";
import { createApp } from "../src/app";
import { GEMINI_FIELDS } from "../src/fields";
import { buildContract, emulatorFieldsModule } from "../src/openapi/build";
import { STATIC_FILES } from "../src/routes/service";
import { geminiUpstream } from "../src/upstream/gemini";

const root = new URL("../", import.meta.url);

function write(path: string, text: string): void {
  writeFileSync(new URL(path, root), text);
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
// The bytes the relay answers: not formatted, not re-encoded.
write(`public${STATIC_FILES.openApiJson}`, contract.openApiJson);
write(`public${STATIC_FILES.docsHtml}`, contract.docsHtml);
write("packages/emulator/src/fields.ts", await format(emulatorFieldsModule(GEMINI_FIELDS), { parser: "typescript", printWidth: 140 }));

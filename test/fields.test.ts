// A new request field is one row in src/fields.ts: this test adds one (through a mock of that module,
// so every reader sees the longer table) and watches validation, the request schema, the OpenAPI
// document, the operator's PASSTHROUGH_FIELDS check and the emulator's list follow it.
import { describe, expect, it, vi } from "vitest";
import type { RequestField } from "../src/fields";

const NEW_FIELD = "thinking_summary";
const NEW_REFUSED = "stored_prompt";

vi.mock("../src/fields", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/fields")>();
  const table: readonly RequestField[] = [
    ...original.REQUEST_FIELDS,
    { name: NEW_FIELD, role: "passthrough", why: "A newer Gemini knob." },
    { name: NEW_REFUSED, role: "refused", why: "stored prompts live at Google" },
  ];
  return { ...original, REQUEST_FIELDS: table, ...original.fieldLists(table) };
});

// The setup files loaded the relay's modules already: load them again, over the longer table.
vi.resetModules();
const { readConfig } = await import("../src/config");
const { GEMINI_FIELDS } = await import("../src/fields");
const { buildOpenApiDocument } = await import("../src/openapi/document");
const { emulatorFieldsModule } = await import("../src/openapi/build");
const { parseTurn } = await import("../src/turn/validate");
const { RelayError } = await import("../src/errors");
const { relayWithEmulator } = await import("./helpers");

const limits = readConfig({ AUTH_MODE: "none", GEMINI_API_KEY: "k" });
const encode = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
function refusal(body: unknown): InstanceType<typeof RelayError> {
  try {
    parseTurn(encode(body), limits);
  } catch (err) {
    if (err instanceof RelayError) return err;
    throw err;
  }
  throw new Error("accepted");
}

describe("a row added to the table of request fields", () => {
  it("validation forwards a new passthrough field byte for byte, and refuses a new refused one with its reason", () => {
    const turn = parseTurn(encode({ model: "m", input: "hi", [NEW_FIELD]: { level: "brief" } }), limits);
    expect(turn.forwarded.map(text)).toEqual(['"model":"m"', `"${NEW_FIELD}":{"level":"brief"}`]);
    const refused = refusal({ model: "m", input: "hi", [NEW_REFUSED]: "p1" });
    expect(refused.code).toBe("retention_refused");
    expect(refused.errors).toEqual([{ path: `/${NEW_REFUSED}`, message: "would make Google retain data: stored prompts live at Google" }]);
    // Its lowerCamelCase spelling too, as for every refused field.
    expect(refusal({ model: "m", input: "hi", storedPrompt: "p1" }).code).toBe("retention_refused");
    // The field is named among those the relay knows.
    expect(refusal({ model: "m", input: "hi", zzz: 1 }).detail).toContain(`labels, ${NEW_FIELD})`);
  });

  it("the OpenAPI document describes the new field with its row's reason", async () => {
    const doc = await buildOpenApiDocument(relayWithEmulator().app);
    const turnRequest = doc.components.schemas.TurnRequest as { properties: Record<string, { description?: string }> };
    expect(turnRequest.properties[NEW_FIELD]?.description).toMatch(/^Forwarded to Gemini as given\..* A newer Gemini knob\.$/);
    expect(turnRequest.properties).not.toHaveProperty(NEW_REFUSED);
  });

  it("an operator cannot pass the refused one through", () => {
    expect(() => readConfig({ GEMINI_API_KEY: "k", PASSTHROUGH_FIELDS: NEW_REFUSED })).toThrow(/PASSTHROUGH_FIELDS/);
  });

  it("the emulator's list of Gemini's fields holds both", () => {
    expect(GEMINI_FIELDS).toEqual(expect.arrayContaining([NEW_FIELD, NEW_REFUSED]));
    expect(emulatorFieldsModule(GEMINI_FIELDS)).toContain(`"${NEW_FIELD}"`);
  });
});

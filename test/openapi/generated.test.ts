// The generated files are what `npm run contract` makes now: a schema, a route's contract, an error
// message or a row of the request-field table changed without it fails here. The contract
// (src/openapi/generated.ts) is also all the Worker serves: GET /openapi.json and GET /docs answer
// its text as is.
import { describe, expect, it } from "vitest";
import { GEMINI_REQUEST_FIELDS } from "../../packages/emulator/src/fields";
import { GEMINI_FIELDS } from "../../src/fields";
import { buildContract } from "../../src/openapi/build";
import { DOCS_HTML, OPENAPI_JSON } from "../../src/openapi/generated";
import { service } from "../../src/routes/service";
import { relayWithEmulator } from "../helpers";

describe("src/openapi/generated.ts", () => {
  it("is what `npm run contract` builds now (run it after changing a schema, a route's contract or an error)", async () => {
    const built = await buildContract(relayWithEmulator().app);
    expect(JSON.parse(OPENAPI_JSON), "the OpenAPI document is stale: run `npm run contract`").toEqual(JSON.parse(built.openApiJson));
    expect(OPENAPI_JSON).toBe(built.openApiJson);
    expect(DOCS_HTML, "the /docs page is stale: run `npm run contract`").toBe(built.docsHtml);
  });

  it("is served byte for byte: GET /openapi.json and GET /docs answer its text", async () => {
    const json = await service.request("/openapi.json");
    expect(json.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await json.text()).toBe(OPENAPI_JSON);
    expect(await (await service.request("/docs")).text()).toBe(DOCS_HTML);
  });
});

describe("packages/emulator/src/fields.ts", () => {
  it("lists the Gemini fields of the relay's table (run `npm run contract` after editing src/fields.ts)", () => {
    expect(GEMINI_REQUEST_FIELDS).toEqual(GEMINI_FIELDS);
  });
});

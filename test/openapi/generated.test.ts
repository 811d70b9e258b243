// The generated contract (src/openapi/generated.ts) is what the build makes now: a schema, a route's
// contract or an error message changed without `npm run contract` fails here. It is also all the
// Worker serves: GET /openapi.json and GET /docs answer its text as is.
import { describe, expect, it } from "vitest";
import { buildContract } from "../../src/openapi/build";
import { DOCS_HTML, OPENAPI_JSON } from "../../src/openapi/generated";
import { service } from "../../src/routes/service";

describe("src/openapi/generated.ts", () => {
  it("is what `npm run contract` builds now (run it after changing a schema, a route's contract or an error)", async () => {
    const built = await buildContract();
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

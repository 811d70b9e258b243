// Startup (issue 22): evaluating the Worker's modules builds no zod schema, so a cold start pays for
// none of them; each is built once, by the first request that checks with it.
import { describe, expect, it, vi } from "vitest";

/** zod/mini's schema constructors the relay calls, each counting its calls. */
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock("zod/mini", async (importOriginal) => {
  const zod = await importOriginal<Record<string, unknown>>();
  const counted = Object.fromEntries(
    [
      "object",
      "looseObject",
      "strictObject",
      "string",
      "array",
      "union",
      "discriminatedUnion",
      "pipe",
      "optional",
      "record",
      "literal",
    ].map((name) => {
      const make = zod[name] as (...args: unknown[]) => unknown;
      return [name, (...args: unknown[]) => (built.count++, make(...args))];
    }),
  );
  return { ...zod, ...counted };
});

// The setup files may have loaded the relay's modules already: load them again, under the mock.
vi.resetModules();
const worker = (await import("../src/index")).default;
const afterImport = built.count;

const env = { AUTH_MODE: "none", GEMINI_API_KEY: "k", GEMINI_BASE_URL: "http://127.0.0.1:9" };
const call = (path: string, body?: unknown) =>
  worker.request(
    path,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } },
    env,
  );

describe("startup", () => {
  it("evaluating the Worker's modules builds no schema; the first requests build theirs, once", async () => {
    expect(afterImport).toBe(0);
    // Every request reads the settings: the first builds their schema.
    expect((await call("/healthz")).status).toBe(200);
    const afterConfig = built.count;
    expect(afterConfig).toBeGreaterThan(0);
    // A turn's checks build the request and step schemas (a bad block: answered 400 before any upstream call).
    const bad = { model: "gemini-3.5-flash", input: [{ type: "text", text: 1 }] };
    expect((await call("/v1/turns", bad)).status).toBe(400);
    const afterTurn = built.count;
    expect(afterTurn).toBeGreaterThan(afterConfig);
    // And never again.
    expect((await call("/healthz")).status).toBe(200);
    expect((await call("/v1/turns", bad)).status).toBe(400);
    expect(built.count).toBe(afterTurn);
  });
});

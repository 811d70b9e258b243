// The OpenAPI 3.2 contract: valid against the official schema, its examples real (the relay accepts the
// requests and answers what the responses show), and served as JSON and as an HTML page.
import { registerSchema, validate, type Validator } from "@hyperjump/json-schema/openapi-3-2";
import { createWorkspaceStore } from "@scalar/workspace-store/client";
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../src/config";
import { EXAMPLES } from "../../src/openapi/examples";
import { REFERENCE_BUNDLE, renderDocs } from "../../src/openapi/page";
import { METHODS, type Example, type JsonSchema, type OpenApiDocument, type Operation } from "../../src/openapi/types";
import { service } from "../../src/routes/service";
import { turnSchemas } from "../../src/request-schema";
import { parseTurn } from "../../src/turn/validate";
import { parseSse, relayWithEmulator, type SseEvent } from "../helpers";

type Json = Parameters<Validator>[0];

/** The official OpenAPI 3.2 schema, with every Schema Object checked against the OAS 3.2 dialect. */
const OAS_32 = "https://spec.openapis.org/oas/3.2/schema-base";
/** Where the document's components are registered, so examples can be checked against its own schemas. */
const DOC_URI = "https://gemini-relay.test/openapi.json";

/** The document the relay serves: public/openapi.json, a static asset (generated.test.ts checks it is the build's output). */
const doc = (await (await env.ASSETS.fetch(new Request(DOC_URI))).json()) as OpenApiDocument;

beforeAll(() => {
  registerSchema({ $schema: "https://spec.openapis.org/oas/3.2/dialect", components: doc.components } as never, DOC_URI);
});

/** Checks a value against a schema of the document (a $ref into its components). */
async function matches(schema: JsonSchema, value: unknown): Promise<{ valid: boolean; errors?: unknown }> {
  if (typeof schema.$ref !== "string") throw new Error(`not a $ref: ${JSON.stringify(schema)}`);
  return validate(DOC_URI + schema.$ref, value as Json, "BASIC");
}

const component = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function operations(document: OpenApiDocument = doc): { path: string; method: string; op: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])),
  );
}

const turns = doc.paths["/v1/turns"]!.post!;
const dropIn = doc.paths["/{version}/interactions"]!.post!;
const turnExamples = turns.requestBody!.content["application/json"]!.examples!;
const dropInExamples = dropIn.requestBody!.content["application/json"]!.examples!;
const responseExamples = (op: Operation, status: string, type: string) => op.responses[status]!.content![type]!.examples!;
/** The schema of each event of an operation's event stream. */
const itemSchema = (op: Operation): JsonSchema => op.responses["200"]!.content!["text/event-stream"]!.itemSchema!;
/** An event as the itemSchema models it: its name and its decoded data. */
const asItem = ({ event, data }: SseEvent) => ({ event, data: data.startsWith("{") ? JSON.parse(data) : data });
const streamsOf = (document: OpenApiDocument) =>
  operations(document).filter(({ op }) => op.responses["200"]?.content?.["text/event-stream"]);

/** Replaces what the emulator makes anew on every call (ids, signatures, timestamps), to compare the rest. */
function normalized(value: unknown): unknown {
  const placeholders: Record<string, string> = {
    signature: "<signature>",
    id: "<id>",
    call_id: "<id>",
    interaction_id: "<id>",
    created: "<time>",
    updated: "<time>",
  };
  return JSON.parse(JSON.stringify(value), (key, v) => (typeof v === "string" && key in placeholders ? placeholders[key] : v));
}

const normalizedEvents = (events: SseEvent[]) =>
  events.map((e) => ({ event: e.event, data: e.data.startsWith("{") ? normalized(JSON.parse(e.data)) : e.data }));

describe("the OpenAPI document", () => {
  it("is valid against the official OpenAPI 3.2 schema, its Schema Objects against the OAS 3.2 dialect", async () => {
    const output = await validate(OAS_32, doc as unknown as Json, "BASIC");
    expect(output.valid, JSON.stringify(output, null, 1)).toBe(true);
    expect(doc.openapi).toMatch(/^3\.2\.\d+$/);
  });

  it("would be refused by that check if it broke the specification", async () => {
    const broken = [
      (d: OpenApiDocument) => delete (d.info as { title?: string }).title,
      // OpenAPI 3.2: an example is either a value or its serialized form, not both.
      (d: OpenApiDocument) =>
        Object.assign(d.paths["/v1/turns"]!.post!.responses["200"]!.content!["text/event-stream"]!.examples!.turn1!, { value: "x" }),
      (d: OpenApiDocument) => ((d.components.schemas.Health as { type: string }).type = "objekt"),
      // What z.toJSONSchema puts on each component, and openapi.ts strips: an $id that is only a fragment.
      (d: OpenApiDocument) => ((d.components.schemas.Health as { $id: string }).$id = "#/components/schemas/Health"),
      (d: OpenApiDocument) => ((d.paths["/v1/turns"]!.post! as { parameters: unknown[] }).parameters = [{ name: "x", in: "body" }]),
    ];
    for (const breakIt of broken) {
      const copy = structuredClone(doc);
      breakIt(copy);
      expect((await validate(OAS_32, copy as unknown as Json)).valid, breakIt.toString()).toBe(false);
    }
  });

  it("resolves every $ref it holds", () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === "object" && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === "$ref" && typeof value === "string") refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it("states the same request rule as the zod schemas and parseTurn", async () => {
    const limits = readConfig({ AUTH_MODE: "none" });
    const bodies: unknown[] = [
      { model: "m", input: "hi" },
      {
        model: "m",
        input: [
          { type: "text", text: "look" },
          { type: "image", data: "AAAA", mime_type: "image/png" },
        ],
      },
      { model: "m", history: [{ type: "user_input", content: [{ type: "text", text: "hi" }] }], input: [], stream: false, store: false },
      { model: "m", input: "hi", temperature: 1 },
      { model: "", input: "hi" },
      { input: "hi" },
      { model: "m", input: "hi", store: true },
      { model: "m", input: [{ type: "text" }] },
      { model: "m", input: [{ type: "function_result", name: "f", result: "ok" }] },
      // History is opaque but for a string `type` (closure: step types newer than the relay come back).
      { model: "m", history: [{ type: "telepathy" }], input: "hi" },
      { model: "m", history: [{ kind: "telepathy" }], input: "hi" },
      { model: "m", input: "hi", service_tier: "flex", labels: { team: "a" } },
      { model: "m", input: 42 },
    ];
    const verdicts: boolean[] = [];
    for (const body of bodies) {
      let accepted = turnSchemas().TurnRequest.safeParse(body).success;
      if (accepted) {
        try {
          parseTurn(new TextEncoder().encode(JSON.stringify(body)), limits);
        } catch (err) {
          // Refusals the schema does not describe (retention, nothing to answer) are not schema findings.
          accepted = !["invalid_request", "unknown_field"].includes((err as { code?: string }).code ?? "");
        }
      }
      expect((await matches(component("TurnRequest"), body)).valid, JSON.stringify(body)).toBe(accepted);
      verdicts.push(accepted);
    }
    expect(verdicts.filter(Boolean)).toHaveLength(5);
  });
});

describe("the named steps", () => {
  const schemas = doc.components.schemas;
  const anyType = { type: "telepathy", thought: "hi" };
  const userInput = { type: "user_input", content: [{ type: "text", text: "hi" }] };

  it("HistoryStep is the loose step (a `type`, anything else) every history and reply is typed with; InputStep the strict union", async () => {
    expect(schemas.HistoryStep).toMatchObject({ type: "object", required: ["type"], properties: { type: { type: "string" } } });
    expect(schemas.HistoryStep!.additionalProperties).not.toBe(false);
    const turnRequest = schemas.TurnRequest as { properties: Record<string, { items?: JsonSchema }> };
    const turnResponse = schemas.TurnResponse as { properties: Record<string, { items?: JsonSchema }> };
    for (const where of [turnRequest.properties.history, turnResponse.properties.history, turnResponse.properties.steps]) {
      expect(where?.items).toEqual(component("HistoryStep"));
    }
    expect((schemas.TurnStepEvent as { properties: { step: JsonSchema } }).properties.step).toEqual(component("HistoryStep"));
    expect((schemas.Interaction as { properties: { steps: { items: JsonSchema } } }).properties.steps.items).toEqual(
      component("HistoryStep"),
    );
    expect((schemas.StepList as { items: JsonSchema }).items).toEqual(component("InputStep"));
    // The old name, which read as "a step" but refused step types it does not list, is gone.
    expect(schemas).not.toHaveProperty("Step");
    // A step type newer than the relay fits a history, not an input.
    expect((await matches(component("HistoryStep"), anyType)).valid).toBe(true);
    expect((await matches(component("InputStep"), anyType)).valid).toBe(false);
    expect((await matches(component("HistoryStep"), userInput)).valid).toBe(true);
    expect((await matches(component("InputStep"), userInput)).valid).toBe(true);
    expect((await matches(component("HistoryStep"), { kind: "user_input" })).valid).toBe(false);
  });
});

/** What Scalar's reference page logs when it loads a document: its document store, run as /docs runs it. */
async function scalarWarnings(document: unknown): Promise<unknown[]> {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  // The store times its steps on console.log.
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await createWorkspaceStore().addDocument({ name: "relay", document: structuredClone(document) as Record<string, unknown> });
    return warn.mock.calls.flat();
  } finally {
    warn.mockRestore();
    log.mockRestore();
  }
}

describe("Scalar's reference page (@scalar/workspace-store, the store GET /docs runs)", () => {
  it("loads the document without a validation warning", async () => {
    expect(await scalarWarnings(doc)).toEqual([]);
  });

  it("would log 'Expected union value' for a schema without `type` in a component another refers to", async () => {
    const broken = [
      // What z.toJSONSchema writes for a union, and for z.unknown().
      (d: OpenApiDocument) => delete (d.components.schemas.Content as { type?: unknown }).type,
      (d: OpenApiDocument) => ((d.components.schemas.TextContent as { additionalProperties: unknown }).additionalProperties = {}),
    ];
    for (const breakIt of broken) {
      const copy = structuredClone(doc);
      breakIt(copy);
      expect(JSON.stringify(await scalarWarnings(copy)), breakIt.toString()).toContain("Expected union value");
    }
  });

  it("names no server: try-it and generated clients use the relay's own origin (a `/` server made `//v1/turns`)", () => {
    expect(doc).not.toHaveProperty("servers");
  });
});

describe("request examples", () => {
  it("are the seed scenario, and pass the validation real requests get", async () => {
    expect(Object.keys(turnExamples)).toEqual(["turn1", "turn2", "turn1Streamed"]);
    expect(turnExamples.turn1!.value).toMatchObject({ tools: [{ name: "get_order_status" }], input: "Where is my order A-4417?" });
    expect(turnExamples.turn2!.value).toMatchObject({ input: [{ type: "function_result", name: "get_order_status" }] });
    const limits = readConfig({ AUTH_MODE: "none" });
    for (const [name, example] of Object.entries(turnExamples)) {
      expect(() => parseTurn(new TextEncoder().encode(JSON.stringify(example.value)), limits), name).not.toThrow();
      expect((await matches(component("TurnRequest"), example.value)).valid, name).toBe(true);
    }
    for (const [name, example] of Object.entries(dropInExamples)) {
      expect((await matches(component("InteractionRequest"), example.value)).valid, name).toBe(true);
    }
  });

  it("POST /v1/turns: answered 200, with what the response examples show", async () => {
    const relay = relayWithEmulator();
    const shown = responseExamples(turns, "200", "application/json");
    for (const [request, response] of [
      ["turn1", "turn1"],
      ["turn2", "turn2"],
    ] as const) {
      const res = await relay.turn(turnExamples[request]!.value);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect((await matches(component("TurnResponse"), body)).valid).toBe(true);
      expect(normalized(body)).toEqual(normalized(shown[response]!.value));
    }
    // Turn 2 carries the thought signature the emulator issued in turn 1: it verified it, as Gemini would.
    expect(relay.emulator.requests).toHaveLength(2);
  });

  it("POST /v1/turns with stream: answered with the events the event-stream example shows", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn(turnExamples.turn1Streamed!.value);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const real = parseSse(await res.text()).events;
    const shown = parseSse(responseExamples(turns, "200", "text/event-stream").turn1!.serializedValue!).events;
    expect(normalizedEvents(real)).toEqual(normalizedEvents(shown));
    for (const event of real) expect((await matches(itemSchema(turns), asItem(event))).valid, event.event).toBe(true);
  });

  it("POST /{version}/interactions: answered 200, with what the response examples show, streamed too", async () => {
    const relay = relayWithEmulator();
    const post = (body: unknown) =>
      relay.app.request(
        "/v1beta/interactions",
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
        relay.env,
      );
    const shown = responseExamples(dropIn, "200", "application/json");
    for (const name of ["turn1", "turn2"]) {
      const res = await post(dropInExamples[name]!.value);
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect((await matches(component("Interaction"), body)).valid).toBe(true);
      expect(normalized(body)).toEqual(normalized(shown[name]!.value));
    }
    const streamed = await post({ ...(dropInExamples.turn1!.value as object), stream: true });
    expect(streamed.status).toBe(200);
    const shownStream = responseExamples(dropIn, "200", "text/event-stream").turn1!.serializedValue!;
    const realStream = parseSse(await streamed.text()).events;
    expect(normalizedEvents(realStream)).toEqual(normalizedEvents(parseSse(shownStream).events));
    for (const event of realStream) expect((await matches(itemSchema(dropIn), asItem(event))).valid, event.event).toBe(true);
  });
});

describe("response examples", () => {
  const all = operations().flatMap(({ path, method, op }) =>
    Object.entries(op.responses).flatMap(([status, response]) =>
      Object.entries(response.content ?? {}).flatMap(([type, media]) =>
        Object.entries(media.examples ?? {}).map(([name, example]) => ({
          where: `${method} ${path} ${status} ${type} ${name}`,
          path,
          op,
          status,
          type,
          schema: media.schema,
          example,
        })),
      ),
    ),
  );

  it("every JSON example matches its schema", async () => {
    const json = all.filter((e) => e.type.endsWith("json"));
    expect(json.length).toBeGreaterThan(40);
    for (const { where, schema, example } of json) {
      const output = await matches(schema, example.value);
      expect(output.valid, `${where}: ${JSON.stringify(output)}`).toBe(true);
    }
  });

  it("every problem example carries its response's status; Google-shaped ones only on the drop-in routes", () => {
    for (const { where, path, status, type, example } of all.filter((e) => e.status !== "200")) {
      const value = example.value as { status?: number };
      if (!path.startsWith("/{version}/")) {
        expect(type, where).toBe("application/problem+json");
        if (status.endsWith("XX")) expect(String(value.status)[0], where).toBe(status[0]);
        else expect(value.status, where).toBe(Number(status));
      } else {
        expect(type, where).toBe("application/json");
        expect(value, where).toHaveProperty("error.code");
      }
    }
  });

  it("every event-stream example is a transcript a client can read, each event matching the itemSchema", async () => {
    const streams = all.filter((e) => e.type === "text/event-stream");
    expect(streams.map((e) => e.where)).toHaveLength(3);
    for (const { where, path, op, example } of streams) {
      const { events } = parseSse(example.serializedValue!);
      expect(events.length, where).toBeGreaterThan(5);
      for (const event of events) {
        const output = await matches(itemSchema(op), asItem(event));
        expect(output.valid, `${where} ${event.event}: ${JSON.stringify(output)}`).toBe(true);
        if (!event.event.startsWith("turn.") && event.event !== "done")
          expect(JSON.parse(event.data).event_type, `${where}: a forwarded event keeps its own event_type`).toBe(event.event);
      }
      expect(events.at(-1)!.event, where).toEqual(path === "/v1/turns" ? expect.stringMatching(/^turn\.(completed|error)$/) : "done");
    }
  });

  it("the itemSchema tells the relay's events apart: a wrong data for the event's name is refused", async () => {
    const turnEvent = itemSchema(turns);
    const step = { index: 0, step: { type: "thought", signature: "c2ln" } };
    expect((await matches(turnEvent, { event: "turn.step", data: step })).valid).toBe(true);
    expect((await matches(turnEvent, { event: "turn.step", data: { step: step.step } })).valid).toBe(false);
    expect((await matches(turnEvent, { event: "turn.completed", data: step })).valid).toBe(false);
    expect((await matches(turnEvent, { event: "step.stop", data: { index: 0 } })).valid, "a forwarded event names its event_type").toBe(
      false,
    );
    expect((await matches(itemSchema(dropIn), { event: "done", data: "[DONE]" })).valid).toBe(true);
  });

  it("as a whole, an event stream is no JSON value: a JSON reading of it is typed never, not a union with the JSON body", () => {
    expect(streamsOf(doc).map(({ path }) => path)).toEqual(["/v1/turns", "/{version}/interactions"]);
    for (const { op } of streamsOf(doc)) expect(op.responses["200"]!.content!["text/event-stream"]!.schema).toMatchObject({ enum: [] });
  });

  it("the errors shown are the relay's real answers", async () => {
    const relay = relayWithEmulator();
    const M = "gemini-3.5-flash";
    const { turn1, turn2 } = EXAMPLES;
    const json = (body: unknown): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const refuseAll = { limit: async () => ({ success: false }) };
    const tooManySteps = Array.from({ length: 10_001 }, () => ({ type: "user_input", content: [{ type: "text", text: "." }] }));
    const cases: {
      status: string;
      example: string;
      op?: Operation;
      path?: string;
      init: RequestInit;
      bindings?: Record<string, unknown>;
    }[] = [
      {
        status: "400",
        example: "invalid_request",
        init: json({ model: M, input: [{ type: "function_result", name: "get_order_status", result: "shipped" }] }),
      },
      { status: "400", example: "unknown_field", init: json({ ...turn1, temperature: 0.2 }) },
      { status: "400", example: "retention_refused", init: json({ ...turn1, previous_interaction_id: "v1_abc" }) },
      {
        status: "400",
        example: "nothing_to_answer",
        init: json({ model: M, history: turn2.history.slice(0, 1).concat([{ type: "model_output", content: [] }]) }),
      },
      {
        status: "400",
        example: "invalid_json",
        init: { method: "POST", headers: { "content-type": "application/json" }, body: '{"model":' },
      },
      {
        status: "401",
        example: "unauthorized",
        init: json(turn1),
        bindings: { AUTH_MODE: "tokens", RELAY_TOKENS: "a-relay-token-0123456789abcdef0123" },
      },
      { status: "403", example: "model_not_allowed", init: json({ ...turn1, model: "gemini-3.5-pro" }), bindings: { ALLOWED_MODELS: M } },
      { status: "405", example: "method_not_allowed", init: { method: "GET" } },
      {
        status: "413",
        example: "payload_too_large",
        init: { method: "POST", headers: { "content-type": "application/json", "content-length": "30000000" }, body: "{}" },
      },
      { status: "413", example: "payload_too_large_2", init: json({ model: M, history: tooManySteps }) },
      { status: "429", example: "rate_limited", init: json(turn1), bindings: { CALLER_RATE_LIMIT: refuseAll } },
      {
        status: "415",
        example: "unsupported_media_type",
        init: { method: "POST", headers: { "content-type": "text/plain" }, body: "model=x" },
      },
      {
        status: "422",
        example: "attestation_failed",
        init: json(turn2),
        bindings: { TRANSCRIPT_KEYS: `k1:${"1".repeat(32)}`, TRANSCRIPT_MODE: "require" },
      },
      { status: "422", example: "integrity_failed", init: json({ model: M, input: turn2.input }) },
      { status: "422", example: "integrity_failed_2", init: json({ ...turn2, input: "Any news?" }) },
      { status: "500", example: "configuration_error", init: json(turn1), bindings: { GEMINI_API_KEY: "" } },
      { op: dropIn, path: "/v1beta/interactions", status: "400", example: "invalid_request", init: json({ ...turn1, store: true }) },
      {
        op: dropIn,
        path: "/v1beta/interactions",
        status: "401",
        example: "authentication",
        init: json(turn1),
        bindings: { AUTH_MODE: "tokens", RELAY_TOKENS: "a-relay-token-0123456789abcdef0123" },
      },
      { op: dropIn, path: "/v1beta/interactions", status: "405", example: "invalid_request", init: { method: "GET" } },
      {
        op: dropIn,
        path: "/v1beta/interactions",
        status: "403",
        example: "permission_denied_2",
        init: json(turn1),
        bindings: { TRANSCRIPT_KEYS: `k1:${"1".repeat(32)}`, TRANSCRIPT_MODE: "require" },
      },
      {
        op: doc.paths["/{version}/interactions/{id}"]!.get!,
        path: "/v1beta/interactions/v1_abc",
        status: "404",
        example: "not_found",
        init: { method: "GET" },
      },
      {
        op: doc.paths["/{version}/interactions/{id}"]!.delete!,
        path: "/v1/interactions/v1_abc",
        status: "404",
        example: "not_found",
        init: { method: "DELETE" },
      },
      {
        op: doc.paths["/{version}/interactions/{id}/cancel"]!.post!,
        path: "/v1alpha/interactions/v1_abc/cancel",
        status: "404",
        example: "not_found",
        init: { method: "POST" },
      },
    ];
    for (const { op = turns, path = "/v1/turns", status, example, init, bindings } of cases) {
      const res = await relay.app.request(path, init, { ...relay.env, ...bindings });
      const [type, shown] = Object.entries(op.responses[status]!.content!)[0]!;
      expect(res.status, `${path} ${example}`).toBe(Number(status));
      expect(res.headers.get("content-type"), example).toMatch(new RegExp(`^${type.replace("+", "\\+")}`));
      expect(await res.json(), `${path} ${status} ${example}`).toEqual((shown.examples![example] as Example).value);
    }
  });
});

describe("responses", () => {
  it("POST /v1/turns lists every status it answers, each with Request-Id, Server-Timing and Relay-Retention", () => {
    expect(Object.keys(turns.responses).sort()).toEqual([
      "200",
      "400",
      "401",
      "403",
      "405",
      "413",
      "415",
      "422",
      "429",
      "4XX",
      "500",
      "502",
      "504",
    ]);
    for (const op of operations().map((o) => o.op)) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(Object.keys(response.headers ?? {}), `${op.operationId} ${status}`).toEqual(
          expect.arrayContaining(["Request-Id", "Server-Timing", "Relay-Retention"]),
        );
      }
    }
    expect(turns.responses["429"]!.headers!["Retry-After"]).toMatchObject({ required: true });
    expect(turns.responses["401"]!.headers).toHaveProperty("WWW-Authenticate");
    expect(turns.responses["405"]!.headers).toHaveProperty("Allow");
  });

  it("the public routes need no credentials; the others take a bearer token, a JWT or x-goog-api-key", () => {
    const publicOps = operations()
      .filter(({ op }) => op.security?.length === 0)
      .map(({ method, path }) => `${method} ${path}`);
    expect(publicOps).toEqual(["get /healthz", "get /openapi.json", "get /docs"]);
    expect(doc.security.flatMap(Object.keys)).toEqual(["relayToken", "relayJwt", "googApiKey"]);
    expect(doc.components.securitySchemes.googApiKey).toMatchObject({ type: "apiKey", in: "header", name: "x-goog-api-key" });
    expect(doc.components.securitySchemes.relayJwt).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });
});

describe("GET /openapi.json and GET /docs", () => {
  it("GET /openapi.json answers the document", async () => {
    const res = await service.request("/openapi.json", {}, env);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("GET /docs is the reference page: Scalar's bundle and the document, both from this origin, under a CSP that allows no other", async () => {
    const res = await service.request("/docs", {}, env);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = Object.fromEntries(
      res.headers
        .get("content-security-policy")!
        .split(";")
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...sources]) => [name, sources]),
    );
    expect(csp["default-src"]).toEqual(["'none'"]);
    expect(csp["script-src"]).toEqual(["'self'"]);
    expect(csp["connect-src"]).toEqual(["'self'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    // No other origin anywhere: only 'self', 'none', inline styles and data: URLs (Scalar's icons).
    expect(
      Object.values(csp)
        .flat()
        .every((source) => ["'self'", "'none'", "'unsafe-inline'", "data:"].includes(source as string)),
    ).toBe(true);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes, body]) => [attributes?.trim(), body])).toEqual([[`src="${REFERENCE_BUNDLE.slice(1)}"`, ""]]);
    expect(html).toContain('data-url="openapi.json"');
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
    // Scalar's options that would reach other origins are off.
    const configuration = JSON.parse(
      html.match(/data-configuration="([^"]*)"/)![1]!.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code))),
    );
    expect(configuration).toMatchObject({ withDefaultFonts: false, telemetry: false, agent: { disabled: true } });
    expect(configuration).not.toHaveProperty("proxyUrl");
  });

  it("escapes the texts it renders", () => {
    const hostile = structuredClone(doc);
    hostile.info.title = `</title><script>alert(1)</script>`;
    const html = renderDocs(hostile);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;");
  });
});

describe("mounted in createApp (needs the two lines in src/app.ts)", () => {
  it("serves /openapi.json and /docs without credentials, while /v1/turns still asks for them", async () => {
    const relay = relayWithEmulator({ AUTH_MODE: "tokens", RELAY_TOKENS: "a-relay-token-0123456789abcdef0123" });
    const json = await relay.app.request("/openapi.json", {}, { ...relay.env, ASSETS: env.ASSETS });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(JSON.parse(JSON.stringify(doc)));
    const page = await relay.app.request("/docs", {}, { ...relay.env, ASSETS: env.ASSETS });
    expect(page.status).toBe(200);
    expect(page.headers.get("request-id")).toBeTruthy();
    expect((await relay.turn(EXAMPLES.turn1)).status).toBe(401);
  });
});

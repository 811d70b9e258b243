/**
 * The relay's upstream request, held to the one @google/genai builds for the same call: both SDK
 * lines (2.x, the relay's own dependency, and 3.x), unary and streamed, each API version the relay
 * can be pinned to, on Google's host and behind a base URL with a path and a query. The SDK's request
 * is captured through its `httpOptions.fetch` hook, the relay's through the fetch it is given; neither
 * reaches a network.
 *
 * What may differ, and why: `user-agent` and `x-goog-api-client` name the client that sent the
 * request (the SDK writes `google-genai-sdk/<version> gl-node/<runtime>`, the relay names itself);
 * Google reads them for usage statistics, not to serve the call. The SDK also sends an empty `cookie`
 * header (an artifact of its generated client: a cookie jar with nothing in it), which the relay
 * leaves out. Everything else is equal: URL (base URL, version segment, path, query), method, every
 * other header (the key in `x-goog-api-key`, content-type, accept), and the body. The relay's
 * `redirect: "manual"` is not a header and not here: test/upstream/gemini.test.ts holds it.
 */
import { GoogleGenAI as GoogleGenAI2 } from "@google/genai";
import { GoogleGenAI as GoogleGenAI3 } from "@google/genai-3";
import { describe, expect, it } from "vitest";
import { readConfig, type Bindings } from "../../src/config";
import { geminiUpstream } from "../../src/upstream/gemini";
import type { Upstream, UpstreamEvent } from "../../src/upstream/upstream";

const KEY = "conformance-key-0123456789";
/** Headers that name the sending client, and the SDK's empty cookie: see the file's comment. */
const CLIENT_IDENTITY = new Set(["user-agent", "x-goog-api-client", "cookie"]);

interface Captured {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** A fetch that records the one request it is given and answers it as Gemini would (200, the asked-for type). */
function capturing(): { fetch: typeof fetch; requests: Captured[] } {
  const requests: Captured[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push({ url: request.url, method: request.method, headers: Object.fromEntries(request.headers), body: await request.text() });
    return request.headers.get("accept") === "text/event-stream"
      ? new Response("event: done\ndata: [DONE]\n\n", { headers: { "content-type": "text/event-stream" } })
      : Response.json({ id: "v1_x", status: "completed", steps: [] });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const SDKS = { "@google/genai 2.x": GoogleGenAI2, "@google/genai 3.x": GoogleGenAI3 };
type Sdk = keyof typeof SDKS;

/** The request the SDK sends for a create with these params (the relay's body, parsed) under these settings. */
async function sdkRequest(sdk: Sdk, settings: Settings, params: Record<string, unknown>): Promise<Captured> {
  const network = capturing();
  const GoogleGenAI = SDKS[sdk];
  const client = new GoogleGenAI({
    apiKey: KEY,
    httpOptions: {
      ...(settings.GEMINI_BASE_URL ? { baseUrl: settings.GEMINI_BASE_URL } : {}),
      ...(settings.GEMINI_API_VERSION ? { apiVersion: settings.GEMINI_API_VERSION } : {}),
      fetch: network.fetch,
    },
  });
  // The two lines' overloads differ; both take these params (the create call every drop-in test makes).
  const create = client.interactions.create.bind(client.interactions) as (params: object, options: object) => Promise<unknown>;
  const reply = await create({ ...params, automatic_continuation: false }, { maxRetries: 0 });
  if (params.stream) for await (const _ of reply as AsyncIterable<unknown>) void _;
  expect(network.requests, "the SDK makes one request").toHaveLength(1);
  return network.requests[0]!;
}

/** The request the relay's upstream sends for `call`. */
async function relayRequest(settings: Settings, call: (upstream: Upstream) => Promise<unknown>): Promise<Captured> {
  const network = capturing();
  const config = readConfig({ GEMINI_API_KEY: KEY, AUTH_MODE: "none", ...settings });
  await call(geminiUpstream(config, { fetch: network.fetch }));
  expect(network.requests, "the relay makes one request").toHaveLength(1);
  return network.requests[0]!;
}

const withoutClientIdentity = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !CLIENT_IDENTITY.has(name)));

function expectSameRequest(relay: Captured, sdk: Captured): void {
  expect(relay.url).toBe(sdk.url);
  expect(relay.method).toBe(sdk.method);
  expect(withoutClientIdentity(relay.headers)).toEqual(withoutClientIdentity(sdk.headers));
  expect(relay.headers["x-goog-api-key"]).toBe(KEY);
  expect(relay.headers.cookie, "no cookie").toBeUndefined();
  // The relay names itself; it does not pass for the SDK it no longer runs.
  expect([relay.headers["user-agent"], relay.headers["x-goog-api-client"]]).toEqual(["gemini-relay", "gemini-relay"]);
}

async function drain(events: AsyncIterable<UpstreamEvent>): Promise<void> {
  for await (const _ of events) void _;
}

type Settings = Pick<Partial<Bindings>, "GEMINI_BASE_URL" | "GEMINI_API_VERSION">;

const BASES = {
  "Google's host (no GEMINI_BASE_URL)": undefined,
  "a base URL with a path prefix": "http://proxy.test/gemini/",
  "a base URL with a query": "https://proxy.test:8443/a/b?tenant=7",
};
/** undefined: the relay's default version, v1beta, the default of the SDK line it depends on (2.x); 3.x defaults to v1. */
const VERSIONS = [undefined, "v1", "v1beta", "v1alpha"];

/** A turn's members as the route writes them: the caller's fields as received, joined by commas. */
const members = ['"model":"gemini-3.5-flash"', ",", '"input":[{"type":"user_input","content":[{"type":"text","text":"hi"}]}]'];

describe("the relay's upstream request equals the SDK's for the same call", () => {
  for (const [baseName, GEMINI_BASE_URL] of Object.entries(BASES)) {
    for (const GEMINI_API_VERSION of VERSIONS) {
      const settings: Settings = { ...(GEMINI_BASE_URL ? { GEMINI_BASE_URL } : {}), ...(GEMINI_API_VERSION ? { GEMINI_API_VERSION } : {}) };
      // With no version pinned, the relay sends what the SDK line it ships with sends.
      const sdks = (GEMINI_API_VERSION ? Object.keys(SDKS) : ["@google/genai 2.x"]) as Sdk[];
      for (const sdk of sdks) {
        describe(`${sdk}, ${baseName}, GEMINI_API_VERSION ${GEMINI_API_VERSION ?? "unset"}`, () => {
          for (const stream of [false, true]) {
            it(`a turn's ${stream ? "streamed" : "unary"} create (body byte for byte)`, async () => {
              const relay = await relayRequest(settings, async (upstream) =>
                stream
                  ? drain(await upstream.streamInteraction({ members }, new AbortController().signal))
                  : upstream.createInteraction({ members }, new AbortController().signal),
              );
              const sdkSent = await sdkRequest(sdk, settings, JSON.parse(relay.body) as Record<string, unknown>);
              expectSameRequest(relay, sdkSent);
              // The same bytes: the SDK writes JSON.stringify of these params, whose keys the relay wrote in this order.
              expect(relay.body).toBe(sdkSent.body);
              expect(JSON.parse(relay.body)).toMatchObject({ store: false, ...(stream ? { stream: true } : {}) });
            });
          }

          it("a continuation hop (continuation_token after the caller's members)", async () => {
            const relay = await relayRequest(settings, (upstream) =>
              upstream.createInteraction({ members, continuationToken: "tok-1" }, new AbortController().signal),
            );
            const sdkSent = await sdkRequest(sdk, settings, JSON.parse(relay.body) as Record<string, unknown>);
            expectSameRequest(relay, sdkSent);
            expect(relay.body).toBe(sdkSent.body);
          });

          for (const stream of [false, true]) {
            it(`a drop-in ${stream ? "streamed" : "unary"} create (the caller's bytes, untouched)`, async () => {
              // Odd spacing and an escape the SDK would write differently: the relay sends them as received.
              const callerBytes = `{ "model" : "gemini-3.5-flash", "input":"caf\\u00e9", "store":false${stream ? ', "stream": true' : ""} }`;
              const apiVersion = GEMINI_API_VERSION ?? "v1beta";
              const request = { body: new Blob([callerBytes]), apiVersion };
              const relay = await relayRequest(settings, async (upstream) =>
                stream
                  ? drain(await upstream.forwardInteractionStream(request, new AbortController().signal))
                  : upstream.forwardInteraction(request, new AbortController().signal),
              );
              const sdkSent = await sdkRequest(sdk, settings, JSON.parse(callerBytes) as Record<string, unknown>);
              expectSameRequest(relay, sdkSent);
              expect(relay.body).toBe(callerBytes);
              expect(JSON.parse(relay.body)).toEqual(JSON.parse(sdkSent.body));
            });
          }
        });
      }
    }
  }
});

describe("the drop-in route's version segment", () => {
  it("is the one the call names (the caller's, when GEMINI_API_VERSION is unset), as the SDK's per-call api_version", async () => {
    for (const apiVersion of ["v1", "v1beta", "v1alpha"]) {
      const relay = await relayRequest({}, (upstream) =>
        upstream.forwardInteraction(
          { body: new Blob(['{"model":"m","input":"x","store":false}']), apiVersion },
          new AbortController().signal,
        ),
      );
      for (const sdk of Object.keys(SDKS) as Sdk[]) {
        const sdkSent = await sdkRequest(sdk, {}, { model: "m", input: "x", store: false, api_version: apiVersion });
        expect(relay.url, `${sdk} ${apiVersion}`).toBe(sdkSent.url);
        expect(relay.url).toBe(`https://generativelanguage.googleapis.com/${apiVersion}/interactions`);
      }
    }
  });
});

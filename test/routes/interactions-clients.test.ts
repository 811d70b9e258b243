// The drop-in route (POST /{version}/interactions) driven by clients nobody here wrote, exactly as
// docs/use-it-from.md shows them (docs/snippets/, run as written): Google's JS SDK in its pinned 2.x
// and in 3.x, and the Vercel AI SDK's google.interactions(). Unary, streamed, and a tool round trip
// with the history held by the caller, against the emulator; the page is held to the snippet files.
import { describe, expect, it, vi } from "vitest";
import * as genai2 from "../../docs/snippets/genai-js";
import * as aiSdk from "../../docs/snippets/ai-sdk";
import page from "../../docs/use-it-from.md?raw";
import genaiSource from "../../docs/snippets/genai-js.ts?raw";
import aiSdkSource from "../../docs/snippets/ai-sdk.ts?raw";
import generatedClient from "../node/fixtures/generated-client/turns.mts?raw";
import { relayWithEmulator, TEST_KEY } from "../helpers";

const RELAY_URL = "http://relay.test";
const CALLER_TOKEN = "caller-credential-xyz";

/** A relay app in front of a fresh emulator, and a fetch that reaches the app in process. */
function relay() {
  const r = relayWithEmulator();
  const fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    Promise.resolve(r.app.request(new Request(input, init), undefined, r.env));
  /** What reached the upstream: every create went with store=false and the relay's key. */
  const upstream = () => {
    for (const request of r.emulator.requests) {
      expect((request.body as { store: unknown }).store).toBe(false);
      expect(request.headers["x-goog-api-key"]).toBe(TEST_KEY);
    }
    return r.emulator.requests.map((request) => ({ path: request.path, body: request.body as Record<string, unknown> }));
  };
  return { fetch, upstream };
}

/** The snippet for @google/genai, its import resolved to 3.x (the file itself names "@google/genai"). */
async function genai3(): Promise<typeof genai2> {
  vi.resetModules();
  vi.doMock("@google/genai", () => import("@google/genai-3"));
  try {
    return await import("../../docs/snippets/genai-js");
  } finally {
    vi.doUnmock("@google/genai");
  }
}

const orders = (orderId: unknown) => Promise.resolve({ order_id: orderId, status: "shipped" });

describe("@google/genai through the drop-in route, as docs/snippets/genai-js.ts uses it", () => {
  // Each posts to its own default version: 2.x to v1beta, 3.x to v1 (the relay forwards either).
  for (const [label, load, version] of [
    ["2.32 (the pinned dependency)", () => Promise.resolve(genai2), "v1beta"],
    ["3.6.1 (devDependency @google/genai-3)", genai3, "v1"],
  ] as const) {
    it(`${label}: unary`, async () => {
      const snippet = await load();
      const { fetch, upstream } = relay();
      const answer = await snippet.ask(snippet.relayClient(RELAY_URL, CALLER_TOKEN, fetch), "Hello");
      expect(answer.length).toBeGreaterThan(0);
      expect(upstream().map((r) => r.path)).toEqual([`/${version}/interactions`]);
    });

    it(`${label}: streamed`, async () => {
      const snippet = await load();
      const { fetch, upstream } = relay();
      const deltas: string[] = [];
      await snippet.askStreamed(snippet.relayClient(RELAY_URL, CALLER_TOKEN, fetch), "Hello", (t) => deltas.push(t));
      expect(deltas.length).toBeGreaterThan(0);
      expect(upstream()[0]!.body).toMatchObject({ stream: true, store: false });
    });

    it(`${label}: a tool round trip with the caller's history`, async () => {
      const snippet = await load();
      const { fetch, upstream } = relay();
      const asked: unknown[] = [];
      const { text, history } = await snippet.askWithTools(
        snippet.relayClient(RELAY_URL, CALLER_TOKEN, fetch),
        "Where is my order A-4417?",
        (args) => (asked.push(args), orders((args as { order_id: string }).order_id)),
      );
      expect(asked).toHaveLength(1);
      expect(text).toMatch(/shipped/);
      const creates = upstream();
      expect(creates).toHaveLength(2);
      // The second call carried the whole conversation: question, model steps as received, the result
      // (the emulator answers 400 to a function call after a thought whose signature was altered or lost).
      expect(creates[1]!.body.input).toEqual(history.slice(0, (creates[1]!.body.input as unknown[]).length));
      expect(history.map((s) => s.type)).toContain("function_result");
    });
  }
});

describe("the Vercel AI SDK's google.interactions() through the drop-in route, as docs/snippets/ai-sdk.ts uses it", () => {
  it("unary", async () => {
    const { fetch, upstream } = relay();
    const answer = await aiSdk.ask(aiSdk.relayModel(RELAY_URL, CALLER_TOKEN, fetch), "Hello");
    expect(answer.length).toBeGreaterThan(0);
    expect(upstream().map((r) => r.path)).toEqual(["/v1beta/interactions"]);
  });

  it("streamed", async () => {
    const { fetch, upstream } = relay();
    const deltas: string[] = [];
    const text = await aiSdk.askStreamed(aiSdk.relayModel(RELAY_URL, CALLER_TOKEN, fetch), "Hello", (t) => deltas.push(t));
    expect(deltas.join("")).toBe(text);
    expect(text.length).toBeGreaterThan(0);
    expect(upstream()[0]!.body).toMatchObject({ stream: true, store: false });
  });

  it("a tool round trip: the SDK runs the tool and sends the history back", async () => {
    const { fetch, upstream } = relay();
    const asked: string[] = [];
    const { text, steps } = await aiSdk.askWithTools(
      aiSdk.relayModel(RELAY_URL, CALLER_TOKEN, fetch),
      "Where is my order A-4417?",
      (id) => (asked.push(id), orders(id)),
    );
    expect(asked).toEqual(["A-4417"]);
    expect(steps).toBe(2);
    expect(text).toMatch(/shipped/);
    const creates = upstream();
    expect(creates).toHaveLength(2);
    // The AI SDK's own history went back: the thought (its signature checked by the emulator), the call, the result.
    expect((creates[1]!.body.input as { type: string }[]).map((s) => s.type)).toEqual([
      "user_input",
      "thought",
      "function_call",
      "function_result",
    ]);
  });
});

describe("docs/use-it-from.md", () => {
  it("shows each snippet file as the tests run it", () => {
    for (const source of [genaiSource, aiSdkSource]) expect(page).toContain("```ts\n" + source + "```\n");
  });

  it("quotes the openapi-fetch program test/node/contract.test.ts runs, line for line", () => {
    const section = page.slice(page.indexOf("## openapi-fetch"));
    const excerpt = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const programLines = new Set(generatedClient.split("\n"));
    const lines = excerpt.split("\n").filter((line) => line.trim() !== "");
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.filter((line) => !programLines.has(line))).toEqual([]);
  });
});

// The store=false audit (test/setup/store-audit.ts) sees every upstream call a test relay makes,
// however the relay was built, and refuses one without store: false as it is made.
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app";
import { geminiUpstream } from "../src/upstream/gemini";
import { relayWithEmulator, TEST_KEY } from "./helpers";
import { auditedFetch, takeUpstreamCalls } from "./setup/upstream-calls";

const TURN = { model: "gemini-3.5-flash", input: "hi" };

describe("the store=false audit", () => {
  it("checks the calls of a relay that runs with a key other than the tests' usual one", async () => {
    takeUpstreamCalls();
    const relay = relayWithEmulator({ GEMINI_API_KEY: "another-key-0123456789" });
    await relay.ok(TURN);
    expect(relay.creates()).toHaveLength(1);
    expect(takeUpstreamCalls()).toEqual({ checked: 1, unstored: [] });
  });

  it("checks the calls of a relay built from helpers reloaded by vi.resetModules()", async () => {
    takeUpstreamCalls();
    vi.resetModules();
    const reloaded = await import("./helpers");
    const relay = reloaded.relayWithEmulator();
    await relay.ok(TURN);
    expect(takeUpstreamCalls()).toEqual({ checked: 1, unstored: [] });
  });

  it("checks the calls of an app a test builds with createApp and its own fetch", async () => {
    takeUpstreamCalls();
    const sent: string[] = [];
    const app = createApp({
      makeUpstream: (config) =>
        geminiUpstream(config, {
          fetch: async (input, init) => {
            sent.push(await new Request(input, init).text());
            return Response.json({ id: "i", status: "completed", outputs: [{ type: "text", text: "ok" }] });
          },
        }),
    });
    const env = { GEMINI_API_KEY: TEST_KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none", UPSTREAM_MAX_RETRIES: "0" };
    await app.request("/v1/turns", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(TURN) }, env);
    expect(sent).toHaveLength(1);
    expect(takeUpstreamCalls()).toEqual({ checked: 1, unstored: [] });
  });

  it("refuses a call without store: false as it is made, and records it for the test's audit", async () => {
    takeUpstreamCalls();
    const network = vi.fn(() => Promise.resolve(new Response("{}")));
    const fetch = auditedFetch(network);
    const post = (body: BodyInit) => fetch("http://gemini.test/v1beta/interactions", { method: "POST", body });
    await expect(post(new Blob(['{"model":"m","input":"x","store":true}']))).rejects.toThrow(/store=false audit/);
    await expect(post('{"model":"m","input":"x"}')).rejects.toThrow(/store: undefined/);
    await post(new Blob(['{"model":"m","input":"x","store":false}']));
    expect(network).toHaveBeenCalledTimes(1);
    const { checked, unstored } = takeUpstreamCalls(); // taken here, or this test's audit would fail it
    expect({ checked, unstored: unstored.length }).toEqual({ checked: 3, unstored: 2 });
  });
});

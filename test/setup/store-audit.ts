// The store=false audit (rule 1: every upstream call carries store: false, and the suite proves it).
//
// Every relay a test builds reaches upstream through geminiUpstream (src/upstream/gemini.ts), whatever
// fetch it hands in: test/helpers.ts's emulator wiring, relayOverFetch, hostile networks, a test's own
// createApp or adapter. So the adapter is replaced here, for every file of the workers project, by one
// that wraps the fetch it is given (or the global one it defaults to) in the audit (upstream-calls.ts),
// which checks each call's body as it is sent. Mocks registered in a setup file reach every importer,
// vi.resetModules() copies included; test/store-audit.test.ts fails if this ever stops applying
// (a rename of the module, say).
import { afterAll, afterEach, expect, vi } from "vitest";
import type * as Gemini from "../../src/upstream/gemini";
import { auditedFetch, takeUpstreamCalls } from "./upstream-calls";

vi.mock("../../src/upstream/gemini", async (importOriginal) => {
  const original = await importOriginal<typeof Gemini>();
  const geminiUpstream: typeof original.geminiUpstream = (config, options = {}) =>
    original.geminiUpstream(config, { ...options, fetch: auditedFetch(options.fetch ?? ((input, init) => fetch(input, init))) });
  return { ...original, geminiUpstream };
});

// After each test, and once more after the file's own afterAll hooks (a call made there, or one left
// running by a test, is still checked; one that outlives the file fails the next file's first test).
function audit() {
  const { checked, unstored } = takeUpstreamCalls();
  expect(unstored, `${unstored.length} of ${checked} upstream calls lacked store: false`).toEqual([]);
}
afterEach(audit);
afterAll(audit);

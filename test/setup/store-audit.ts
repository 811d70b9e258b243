// Runs after every test file in workerd: every interaction the relay sent upstream carried store: false.
// A file whose relay sent anything else fails, and with it the suite. Files share one module graph
// (vitest.config.ts: isolate: false), so each audit takes the creates made since the previous one.
import { afterAll, expect } from "vitest";
import { relayCreates } from "../helpers";

afterAll(() => {
  const creates = relayCreates();
  const stored = creates.filter((body) => body.store !== false);
  expect(stored.length, `${stored.length} of ${creates.length} upstream creates lacked store: false`).toBe(0);
});

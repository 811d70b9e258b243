// The emulator under load keeps bounded memory: its request log does not hold every body (issue #11, item 7).
// In-process on Node, through the same Hono app the CLI serves.
import { describe, expect, it } from "vitest";
import { createEmulator, createEmulatorApp, DEFAULT_REQUEST_LOG_LIMITS, type Emulator } from "../../src/index.js";

const MODEL = "gemini-3.5-flash";
const TEN_MB = 10 * 1024 * 1024;

async function turn(app: ReturnType<typeof createEmulatorApp>, text: string): Promise<Response> {
  return app.request("http://emulator.test/v1beta/interactions", {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": "k" },
    body: JSON.stringify({ model: MODEL, input: text, store: false }),
  });
}

/** Bytes of request bodies the log still holds. */
const retainedBodyBytes = (emulator: Emulator) => emulator.requests.reduce((sum, r) => sum + (r.body === undefined ? 0 : r.bodyBytes), 0);

describe("request log bounds", () => {
  // No wall-clock assertion: the timeout only guards against a hang (10 MB bodies are slow on a busy machine).
  it(
    "answers 16 concurrent ~10 MB turns, holding at most maxBodyBytes of their bodies, then still answers",
    { timeout: 240_000 },
    async () => {
      const emulator = createEmulator();
      const app = createEmulatorApp(emulator);
      const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => turn(app, `${i} `.padEnd(TEN_MB, "x"))));
      expect(responses.map((res) => res.status)).toEqual(Array(16).fill(200));
      await Promise.all(responses.map((res) => res.arrayBuffer()));

      // ~160 MB were sent; every record stays, with its size, but only the newest bodies that fit the budget.
      expect(emulator.requests).toHaveLength(16);
      expect(emulator.requests.every((r) => r.status === 200 && r.bodyBytes > TEN_MB)).toBe(true);
      expect(retainedBodyBytes(emulator)).toBeLessThanOrEqual(DEFAULT_REQUEST_LOG_LIMITS.maxBodyBytes);
      const kept = emulator.requests.filter((r) => r.body !== undefined);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((r) => (r.body as { model: string }).model === MODEL)).toBe(true);

      const after = await turn(app, "still there?");
      expect(after.status).toBe(200);
      expect(((await after.json()) as { status: string }).status).toBe("completed");
    },
  );

  it("keeps at most maxEntries records, dropping the oldest", async () => {
    const emulator = createEmulator({ requestLog: { maxEntries: 5 } });
    const app = createEmulatorApp(emulator);
    for (let i = 0; i < 12; i++) await turn(app, `turn ${i}`);
    expect(emulator.requests.map((r) => (r.body as { input: string }).input)).toEqual(["turn 7", "turn 8", "turn 9", "turn 10", "turn 11"]);
  });

  it("keeps everything when asked (Infinity), as the relay's store=false audit needs", async () => {
    const emulator = createEmulator({ requestLog: { maxEntries: Infinity, maxBodyBytes: Infinity } });
    const app = createEmulatorApp(emulator);
    for (let i = 0; i < 3; i++) await turn(app, "y".repeat(1024 * 1024));
    const small = createEmulator({ requestLog: { maxBodyBytes: 1024 * 1024 } });
    for (let i = 0; i < 3; i++) await turn(createEmulatorApp(small), "y".repeat(1024 * 1024));
    expect(emulator.requests.filter((r) => r.body !== undefined)).toHaveLength(3);
    expect(small.requests.filter((r) => r.body !== undefined)).toHaveLength(0);
  });
});

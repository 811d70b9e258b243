/**
 * Reliability (issue #11): a caller who leaves stops the work, waits are bounded, retries stay in
 * one budget, completed continuation hops are never thrown away, every request leaves one log
 * line, and every short, broken or stalled body is a 4xx.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { problemOf, readSse, relayWithEmulator } from "../helpers";

const text = (t: string) => ({ type: "model_output", content: [{ type: "text", text: t }] });
const json = (body: object) => JSON.stringify(body);

afterEach(() => void vi.restoreAllMocks());

describe("a caller who leaves", () => {
  it("cancels a unary turn's upstream call before its first byte, and is not retried for", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    relay.emulator.script("slow", { steps: [text("late")], delayMs: 60_000 }, { steps: [text("again")] });
    const caller = new AbortController();
    const answer = relay.turn({ model: "slow", input: "x" }, { signal: caller.signal }).catch((err: unknown) => err);
    await expect.poll(() => relay.emulator.requests.length).toBe(1);
    caller.abort();
    await answer;
    await expect.poll(() => relay.emulator.requests[0]?.aborted).toBe(true);
    expect(relay.emulator.requests).toHaveLength(1);
  });

  it("cancels the pending retry: no further upstream call after a disconnect during the Retry-After wait", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2", RETRY_AFTER_MAX_MS: "10000" });
    relay.emulator.script("busy", { error: { status: 429, retryAfterMs: 5_000 } }, { steps: [text("ok")] });
    const caller = new AbortController();
    const answer = relay.turn({ model: "busy", input: "x" }, { signal: caller.signal }).catch((err: unknown) => err);
    await expect.poll(() => relay.emulator.requests.length).toBe(1);
    caller.abort();
    await answer;
    expect(relay.emulator.requests).toHaveLength(1);
  });

  it("leaves one log line, aborted with 499, for a caller who leaves before there is a response", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    relay.emulator.script("slow", { steps: [text("late")], delayMs: 60_000 });
    const caller = new AbortController();
    const answer = relay.turn({ model: "slow", input: "x" }, { signal: caller.signal }).catch((err: unknown) => err);
    await expect.poll(() => relay.emulator.requests.length).toBe(1);
    caller.abort();
    await answer;
    await expect.poll(() => lines.filter((line) => line.includes('"request_id"')).length).toBe(1);
    expect(JSON.parse(lines.find((line) => line.includes('"request_id"'))!)).toMatchObject({
      outcome: "aborted",
      status: 499,
      bytes_out: 0,
    });
  });

  it("leaves one log line for an aborted stream, saying so", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    relay.emulator.script("long", { steps: [text("x".repeat(200))], stream: { pauseMs: 30 } });
    const events = readSse(await relay.turn({ model: "long", input: "x", stream: true }));
    expect((await events.next()).value?.event).toBe("interaction.created");
    await events.return(undefined);
    await expect.poll(() => lines.filter((line) => line.includes('"outcome":"aborted"')).length).toBe(1);
    expect(lines.filter((line) => line.includes('"request_id"'))).toHaveLength(1);
  });
});

describe("bounded waiting", () => {
  it("hands a Retry-After beyond its cap to the caller: 429 with the upstream's Retry-After, one upstream call", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2", RETRY_AFTER_MAX_MS: "5000" });
    relay.emulator.script("throttled", { error: { status: 429, retryAfterSeconds: 120 } });
    const res = await relay.turn({ model: "throttled", input: "x" });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("120");
    expect(relay.emulator.requests).toHaveLength(1);
  });

  it("starts a streamed answer when the upstream is slow to open, and reports a later refusal as turn.error with its status", async () => {
    const relay = relayWithEmulator({ STREAM_OPEN_WAIT_MS: "20" });
    relay.emulator.script("slow", { error: { status: 429, retryAfterSeconds: 7 }, delayMs: 300 });
    const res = await relay.turn({ model: "slow", input: "x", stream: true });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith(": waiting for the Gemini API\n\n")).toBe(true);
    const last = body.trim().split("\n\n").at(-1)!;
    expect(last).toMatch(/^event: turn\.error\n/);
    expect(JSON.parse(last.split("\ndata: ")[1]!)).toMatchObject({ status: 429, code: "upstream_rate_limited" });
  });

  it("keeps the HTTP status of a refusal that comes within the wait", async () => {
    const relay = relayWithEmulator({ STREAM_OPEN_WAIT_MS: "10000" });
    relay.emulator.script("no", { error: { status: 429, retryAfterSeconds: 7 } });
    const res = await relay.turn({ model: "no", input: "x", stream: true });
    expect(res.status).toBe(429);
  });
});

describe("one retry budget across client and relay", () => {
  const failing = (relay: ReturnType<typeof relayWithEmulator>) =>
    relay.emulator.script("down", ...Array.from({ length: 3 }, () => ({ error: { status: 503, retryAfterMs: 1 } })));

  it("says how many upstream attempts a request used", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    failing(relay);
    const res = await relay.turn({ model: "down", input: "x" });
    expect(res.status).toBe(502);
    expect(res.headers.get("relay-upstream-attempts")).toBe("3");
    expect(relay.emulator.requests).toHaveLength(3);
  });

  it("spends no more than the caller's remaining budget", async () => {
    const relay = relayWithEmulator({ UPSTREAM_MAX_RETRIES: "2" });
    failing(relay);
    const res = await relay.turn(
      { model: "down", input: "x" },
      { headers: { "content-type": "application/json", "relay-retry-budget": "1" } },
    );
    expect(res.headers.get("relay-upstream-attempts")).toBe("1");
    expect(relay.emulator.requests).toHaveLength(1);
  });
});

describe("completed continuation hops are never thrown away", () => {
  const a = text("first half ");
  const script = (relay: ReturnType<typeof relayWithEmulator>) =>
    relay.emulator.script("cont", { steps: [a], status: "requires_continuation" }, { error: { status: 503, message: "overloaded" } });

  it("unary: status incomplete, the steps generated so far, and the error", async () => {
    const relay = relayWithEmulator();
    script(relay);
    const body = await relay.ok({ model: "cont", input: "x" });
    expect(body.status).toBe("incomplete");
    expect(body.steps).toEqual([a]);
    expect(body.history.at(-1)).toEqual(a);
    expect((body as unknown as { error: { status: number; code: string } }).error).toMatchObject({
      status: 502,
      code: "upstream_unavailable",
    });
  });

  it("streamed: turn.completed says the same", async () => {
    const relay = relayWithEmulator();
    script(relay);
    const res = await relay.turn({ model: "cont", input: "x", stream: true });
    const events = (await res.text()).trim().split("\n\n");
    const last = events.at(-1)!;
    expect(last).toMatch(/^event: turn\.completed\n/);
    const body = JSON.parse(last.split("\ndata: ")[1]!);
    expect(body).toMatchObject({ status: "incomplete", steps: [a], error: { status: 502 } });
  });
});

describe("what reaches the logs, and what a body must be", () => {
  it("refuses a model that is not an identifier, and keeps it out of the log", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const relay = relayWithEmulator();
    for (const model of ["tell me a secret", "x".repeat(101), "gemini\n3"]) {
      const problem = await problemOf(await relay.turn({ model, input: "x" }));
      expect(problem.status).toBe(400);
      expect(problem.errors?.[0]?.path).toBe("/model");
    }
    expect(lines.join("\n")).not.toMatch(/tell me a secret|xxxxxxxxxx/);
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("answers a body that breaks off with 400, and one that stalls with 408 at BODY_TIMEOUT_MS", async () => {
    const relay = relayWithEmulator({ BODY_TIMEOUT_MS: "100" });
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"model":"m","input":"'));
        controller.error(new Error("connection reset"));
      },
    });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"model":"m",'));
      },
    });
    const send = (body: ReadableStream<Uint8Array>) =>
      relay.app.request(
        "/v1/turns",
        { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" } as RequestInit,
        relay.env,
      );
    expect((await problemOf(await send(broken))).status).toBe(400);
    const timedOut = await problemOf(await send(stalled));
    expect(timedOut).toMatchObject({ status: 408, code: "request_timeout" });
  });

  it("refuses a malformed model on the drop-in route too", async () => {
    const relay = relayWithEmulator();
    const res = await relay.app.request(
      "/v1beta/interactions",
      { method: "POST", headers: { "content-type": "application/json" }, body: json({ model: "a b", input: "x" }) },
      relay.env,
    );
    expect(res.status).toBe(400);
    expect(relay.emulator.requests).toHaveLength(0);
  });
});

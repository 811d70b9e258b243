// The client's pure parts: the SSE reader, the retry policy, and how handler values become results.
import { describe, expect, it } from "vitest";
import { functionResult, pendingCalls, unansweredCalls, type FunctionCallStep, type Step } from "../src/index.js";
import { RelayApiError } from "../src/errors.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDelay } from "../src/retry.js";
import { SseParser } from "../src/sse.js";

describe("SseParser", () => {
  it("reads events split anywhere, with LF, CRLF or CR line ends, skipping comments", () => {
    const wire =
      'event: step.delta\r\ndata: {"a":1}\r\n\r\n: keep-alive\n\nevent: turn.step\rdata: line one\rdata: line two\r\rdata:no space\n\n';
    for (let size = 1; size <= wire.length; size++) {
      const parser = new SseParser();
      const messages = [];
      for (let i = 0; i < wire.length; i += size) messages.push(...parser.push(wire.slice(i, i + size)));
      expect(messages).toEqual([
        { event: "step.delta", data: '{"a":1}' },
        { event: "turn.step", data: "line one\nline two" },
        { event: "message", data: "no space" },
      ]);
    }
  });

  it("drops a last message that never got its blank line", () => {
    const parser = new SseParser();
    expect(parser.push("event: turn.completed\ndata: {}\n")).toEqual([]);
    parser.end();
    expect(parser.push("data: next\n\n")).toEqual([{ event: "message", data: "next" }]);
  });
});

describe("retry policy", () => {
  const problem = (status: number, extra: Partial<ConstructorParameters<typeof RelayApiError>[0]> = {}) =>
    new RelayApiError({ status, code: "x", title: "x", detail: "x", ...extra });

  it("retries 429 and 503 only, within maxRetries, never a streamed error", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetries: 2 };
    for (const status of [400, 401, 404, 409, 422, 500, 502, 504]) expect(retryDelay(problem(status), 0, policy)).toBeUndefined();
    expect(retryDelay(problem(429), 0, policy)).toBeGreaterThan(0);
    expect(retryDelay(problem(503), 1, policy)).toBeGreaterThan(0);
    expect(retryDelay(problem(503), 2, policy)).toBeUndefined();
    expect(retryDelay(problem(429, { streamed: true }), 0, policy)).toBeUndefined();
  });

  it("waits exactly the Retry-After, unless it is longer than maxRetryAfterMs", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 5_000 };
    expect(retryDelay(problem(429, { retryAfterMs: 0 }), 0, policy)).toBe(0);
    expect(retryDelay(problem(429, { retryAfterMs: 5_000 }), 0, policy)).toBe(5_000);
    expect(retryDelay(problem(429, { retryAfterMs: 5_001 }), 0, policy)).toBeUndefined();
  });

  it("backs off exponentially up to the cap, with at most 25% jitter taken off", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([75, 150, 300, 600, 750]);
  });
});

describe("function results and pending calls", () => {
  const call: FunctionCallStep = { type: "function_call", id: "c1", name: "f", arguments: {} };

  it("keeps strings, objects and content blocks, and writes anything else as JSON text", () => {
    expect(functionResult(call, "ok").result).toBe("ok");
    expect(functionResult(call, { a: [1] }).result).toEqual({ a: [1] });
    expect(functionResult(call, [{ type: "text", text: "t" }]).result).toEqual([{ type: "text", text: "t" }]);
    expect(functionResult(call, [1, 2]).result).toBe("[1,2]");
    expect(functionResult(call, 42).result).toBe("42");
    expect(functionResult(call, null).result).toBe("null");
    expect(functionResult(call, undefined).result).toEqual({});
    expect(functionResult(call, "boom", { isError: true })).toEqual({
      type: "function_result",
      call_id: "c1",
      name: "f",
      result: "boom",
      is_error: true,
    });
  });

  it("finds the calls that nothing answers, and those a transcript still owes", () => {
    const c2: FunctionCallStep = { ...call, id: "c2" };
    const steps: Step[] = [call, c2, functionResult(call, "done")];
    expect(pendingCalls(steps)).toEqual([c2]);
    const user: Step = { type: "user_input", content: [] };
    expect(unansweredCalls([user, ...steps])).toEqual([c2]);
    expect(unansweredCalls([...steps, user])).toEqual([]);
  });
});

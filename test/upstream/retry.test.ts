import { afterEach, describe, expect, it, vi } from "vitest";
import { RelayError } from "../../src/errors";
import { withRetries } from "../../src/upstream/retry";

const failure = (status: number, retryAfterMs?: number) =>
  new RelayError(502, "upstream_unavailable", { detail: "x", upstream: { status, body: "{}", retryAfterMs } });

function attempts(errors: RelayError[]) {
  let calls = 0;
  const run = async () => {
    const err = errors[calls++];
    if (err) throw err;
    return "ok";
  };
  return { run, calls: () => calls };
}

const policy = (overrides: Partial<Parameters<typeof withRetries>[1]> = {}) => {
  let retries = 0;
  return {
    p: {
      maxRetries: 2,
      maxWaitMs: 10_000,
      deadlineAt: Date.now() + 5_000,
      signal: new AbortController().signal,
      onRetry: () => void retries++,
      ...overrides,
    },
    retries: () => retries,
  };
};

describe("withRetries", () => {
  afterEach(() => void vi.useRealTimers());

  it("retries 429, 500 and 503 up to maxRetries, counting each retry", async () => {
    const a = attempts([failure(503, 1), failure(429, 1)]);
    const { p, retries } = policy();
    expect(await withRetries(a.run, p)).toBe("ok");
    expect(a.calls()).toBe(3);
    expect(retries()).toBe(2);
  });

  it("gives up after maxRetries with the last error", async () => {
    const last = failure(500, 1);
    const a = attempts([failure(500, 1), failure(500, 1), last, failure(500, 1)]);
    await expect(withRetries(a.run, policy().p)).rejects.toBe(last);
    expect(a.calls()).toBe(3);
  });

  it("never retries other failures", async () => {
    for (const err of [failure(400), failure(502), failure(504), new RelayError(400, "invalid_request", { detail: "x" })]) {
      const a = attempts([err]);
      await expect(withRetries(a.run, policy().p)).rejects.toBe(err);
      expect(a.calls()).toBe(1);
    }
  });

  it("does not wait past the deadline", async () => {
    const a = attempts([failure(429, 60_000)]);
    await expect(withRetries(a.run, policy({ deadlineAt: Date.now() + 1_000 }).p)).rejects.toBeInstanceOf(RelayError);
    expect(a.calls()).toBe(1);
  });

  it("backs off exponentially with jitter when there is no hint", async () => {
    vi.useFakeTimers();
    const a = attempts([failure(503), failure(503)]);
    const result = withRetries(a.run, policy({ deadlineAt: Date.now() + 60_000 }).p);
    // 250 ms × 2^0 and × 2^1, each jittered to 50–100 %: no second attempt before 125 ms, no third before 375 ms.
    await vi.advanceTimersByTimeAsync(124);
    expect(a.calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000 - 124);
    expect(a.calls()).toBe(3);
    expect(await result).toBe("ok");
  });

  it("does not sit out a Retry-After longer than its cap: the failure goes to the caller at once", async () => {
    const a = attempts([failure(429, 120_000)]);
    await expect(withRetries(a.run, policy({ maxWaitMs: 5_000, deadlineAt: Date.now() + 600_000 }).p)).rejects.toBeInstanceOf(RelayError);
    expect(a.calls()).toBe(1);
  });

  it("makes no further attempt when the caller leaves during the wait", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const a = attempts([failure(429, 2_000)]);
    const result = withRetries(a.run, policy({ signal: controller.signal }).p);
    const outcome = expect(result).rejects.toBeInstanceOf(RelayError);
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    await vi.advanceTimersByTimeAsync(5_000);
    await outcome;
    expect(a.calls()).toBe(1);
  });

  it("stops when the caller has gone", async () => {
    const controller = new AbortController();
    controller.abort();
    const a = attempts([failure(503, 1)]);
    await expect(withRetries(a.run, policy({ signal: controller.signal }).p)).rejects.toBeInstanceOf(RelayError);
    expect(a.calls()).toBe(1);
  });
});

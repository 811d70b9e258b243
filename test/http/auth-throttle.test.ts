import { describe, expect, it } from "vitest";
import { FailedAuthThrottle, MAX_CLIENTS, MAX_FAILURES, WINDOW_MS } from "../../src/http/auth-throttle";

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("FailedAuthThrottle", () => {
  it("holds a client back after MAX_FAILURES failures until its window ends", () => {
    const time = clock();
    const throttle = new FailedAuthThrottle(time.now);
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(throttle.waitSeconds("a")).toBe(0);
      throttle.recordFailure("a");
    }
    expect(throttle.waitSeconds("a")).toBe(WINDOW_MS / 1000);
    expect(throttle.waitSeconds("b")).toBe(0);
    time.advance(WINDOW_MS - 1500);
    expect(throttle.waitSeconds("a")).toBe(2);
    time.advance(1500);
    expect(throttle.waitSeconds("a")).toBe(0);
    // The ended window is gone: the client starts again from zero.
    expect(throttle.size).toBe(0);
  });

  it("tracks at most MAX_CLIENTS addresses, evicting the oldest", () => {
    const time = clock();
    const throttle = new FailedAuthThrottle(time.now);
    for (let i = 0; i < MAX_FAILURES; i++) throttle.recordFailure("first");
    for (let i = 0; i < MAX_CLIENTS + 100; i++) {
      throttle.recordFailure(`client-${i}`);
      time.advance(1);
    }
    expect(throttle.size).toBe(MAX_CLIENTS);
    expect(throttle.waitSeconds("first")).toBe(0);
    // The newest are kept.
    for (let i = 1; i < MAX_FAILURES; i++) throttle.recordFailure(`client-${MAX_CLIENTS + 99}`);
    expect(throttle.waitSeconds(`client-${MAX_CLIENTS + 99}`)).toBeGreaterThan(0);
  });
});

// The Node entry's per-caller rate limit: the Workers binding's interface, counted in memory.
import { describe, expect, it } from "vitest";
import { MemoryRateLimiter } from "../../src/node/rate-limiter";

describe("MemoryRateLimiter", () => {
  it("allows `requests` per caller per period, then refuses until the next period", async () => {
    let now = 60_000 * 1000;
    const limiter = new MemoryRateLimiter({ requests: 2, periodSeconds: 60 }, () => now);
    const outcomes = async (key: string, times: number) =>
      Promise.all(Array.from({ length: times }, () => limiter.limit({ key }).then((o) => o.success)));
    expect(await outcomes("token:a", 3)).toEqual([true, true, false]);
    expect(await outcomes("token:b", 1)).toEqual([true]);
    now += 59_999;
    expect(await outcomes("token:a", 1)).toEqual([false]);
    now += 1;
    expect(await outcomes("token:a", 3)).toEqual([true, true, false]);
  });
});

/** Micro-costs inside workerd (micro-worker.ts): CPU per operation on a turn-sized body. */
import type { Payload } from "./payloads";
import { cpuTimes } from "./procfs";
import { progress } from "./stats";
import { describe } from "./callers";
import { quick, serve, stop, workers } from "./workerd";

const MICRO_OPS = ["drain", "text", "chunks", "parse", "scan", "validate", "stringify", "respond", "respond-piped"] as const;

export async function microCosts(p: Payload, asciiOnly = false): Promise<Record<string, number>> {
  const micro = await serve("micro", workers.micro, {});
  try {
    // ASCII-only: the same body with every non-ASCII character replaced, so V8 keeps one-byte strings.
    const body = asciiOnly ? JSON.stringify(p.turn).replace(/[\u0080-\uffff]/g, "?") : JSON.stringify(p.turn);
    const runs = quick ? 2 : p.spec.id === "1m" ? 24 : 6;
    const totals: Record<string, number> = {};
    /** One request; a failed one is reported and makes its operation's figure unknown (NaN), never fatal. */
    const call = async (op: string): Promise<boolean> => {
      try {
        const response = await fetch(`${micro.url}/?op=${op}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        return true;
      } catch (err) {
        progress(`micro ${p.spec.id} ${op} failed: ${describe(err)}`);
        return false;
      }
    };
    for (const op of MICRO_OPS) await call(op); // warm-up
    for (let round = 0; round < 2; round++) {
      for (const op of round === 0 ? MICRO_OPS : [...MICRO_OPS].reverse()) {
        const before = cpuTimes(micro.pid).mainMs;
        let failed = false;
        for (let i = 0; i < runs / 2; i++) if (!(await call(op))) failed = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        totals[op] = failed ? Number.NaN : (totals[op] ?? 0) + cpuTimes(micro.pid).mainMs - before;
      }
    }
    return Object.fromEntries(Object.entries(totals).map(([op, ms]) => [op, ms / runs]));
  } finally {
    await stop(micro);
  }
}

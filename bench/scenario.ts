/**
 * The paths side by side on one stack of workers: at concurrency 1 (latency, each worker process's
 * CPU per turn, peak RSS, time to first event) and in a closed loop (throughput).
 */
import type { HistorySpec, Payload } from "./payloads";
import { cpuTimes, peakRssMb, resetPeak, type CpuTimes } from "./procfs";
import { progress, summarize, type Summary } from "./stats";
import { caller, describe, LATENCY_PATHS, workerOf, type PathName, type TurnTiming } from "./callers";
import { warmUntilSteady } from "./steady";
import { quick, type Stack } from "./workerd";

export interface PathResult {
  latency: Summary;
  /** Turns that failed (not timed, not retried). */
  errors: number;
  firstEvent?: Summary;
  /** CPU of the path's worker process per turn (mean over the measured turns). */
  workerCpu?: CpuTimes;
  /** CPU of the emulator process per turn (the same upstream work on every path). */
  emulatorCpu: CpuTimes;
  /** Warm-up turns before measuring, and whether the path's worker reached its steady state (steady.ts) in them. */
  warmup: { turns: number; steady?: boolean };
}

export interface ScenarioResult {
  inputBytes: number;
  paths: Record<string, PathResult>;
  /** Peak RSS during the scenario, MB, per process. */
  peakRss: Record<string, number>;
}

/** `warmup`: turns for a path without a worker of its own, and at most for one with (until its steady state). */
function latencyPlan(id: string): { warmup: number; runs: number; rounds: number } {
  const big = id === "10m" || id === "img";
  if (quick) return { warmup: 1, runs: big ? 2 : 4, rounds: 2 };
  if (id === "8k") return { warmup: 200, runs: 100, rounds: 2 };
  if (id === "1m") return { warmup: 300, runs: 20, rounds: 2 };
  // 6-10 MB: a worker is not steady within 40 turns (seen), and each costs ~0.5 s: a short warm-up.
  return { warmup: 10, runs: 4, rounds: 2 };
}

export async function scenario(stack: Stack, p: Payload): Promise<ScenarioResult> {
  const { warmup, runs, rounds } = latencyPlan(p.spec.id);
  const callers = new Map(LATENCY_PATHS.map((path) => [path, caller(path, stack, p)]));
  const warmups = new Map<PathName, PathResult["warmup"]>();
  for (const path of LATENCY_PATHS) {
    // A failed warm-up turn is reported, not fatal: the measured turns count their own failures.
    const turn = () =>
      callers.get(path)!().catch((err: unknown) => progress(`warm-up ${p.spec.id}/${p.reply} ${path} failed: ${describe(err)}`));
    const worker = workerOf(path, stack);
    if (worker) warmups.set(path, await warmUntilSteady(worker.pid, turn, warmup));
    else {
      const turns = Math.min(warmup, 10);
      for (let i = 0; i < turns; i++) await turn();
      warmups.set(path, { turns });
    }
  }

  const processes = [stack.emulator, stack.floor, stack.parseFloor, stack.naive, stack.relay];
  for (const proc of processes) resetPeak(proc.pid);
  const latency = new Map<PathName, number[]>();
  const firstEvent = new Map<PathName, number[]>();
  const workerCpu = new Map<PathName, CpuTimes>();
  const emulatorCpu = new Map<PathName, CpuTimes>();
  const errors = new Map<PathName, number>();
  let lastError: string | undefined;
  const add = (map: Map<PathName, CpuTimes>, path: PathName, before: CpuTimes, after: CpuTimes) => {
    const sum = map.get(path) ?? { mainMs: 0, allMs: 0 };
    map.set(path, { mainMs: sum.mainMs + after.mainMs - before.mainMs, allMs: sum.allMs + after.allMs - before.allMs });
  };
  // Paths run in blocks (so a block's CPU is its own), blocks alternate over rounds (so drift is shared).
  const perBlock = Math.ceil(runs / rounds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? LATENCY_PATHS : [...LATENCY_PATHS].reverse();
    for (const path of order) {
      const worker = workerOf(path, stack);
      const call = callers.get(path)!;
      const workerBefore = worker ? cpuTimes(worker.pid) : undefined;
      const emulatorBefore = cpuTimes(stack.emulator.pid);
      for (let i = 0; i < perBlock; i++) {
        let timing: TurnTiming;
        try {
          timing = await call();
        } catch (err) {
          // Counted and reported, never timed; the turn is not retried.
          errors.set(path, (errors.get(path) ?? 0) + 1);
          lastError = describe(err);
          continue;
        }
        (latency.get(path) ?? latency.set(path, []).get(path)!).push(timing.totalMs);
        if (timing.firstEventMs !== undefined) (firstEvent.get(path) ?? firstEvent.set(path, []).get(path)!).push(timing.firstEventMs);
      }
      // Let the processes finish what the last turn left (GC, closing) before reading their clocks.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (worker) add(workerCpu, path, workerBefore!, cpuTimes(worker.pid));
      add(emulatorCpu, path, emulatorBefore, cpuTimes(stack.emulator.pid));
    }
  }
  const turns = perBlock * rounds;
  const perTurn = (c: CpuTimes | undefined) => (c ? { mainMs: c.mainMs / turns, allMs: c.allMs / turns } : undefined);
  const paths: Record<string, PathResult> = {};
  for (const path of LATENCY_PATHS) {
    const fe = firstEvent.get(path);
    paths[path] = {
      latency: summarize(latency.get(path) ?? []),
      errors: errors.get(path) ?? 0,
      ...(fe ? { firstEvent: summarize(fe) } : {}),
      ...(workerCpu.has(path) ? { workerCpu: perTurn(workerCpu.get(path)) } : {}),
      emulatorCpu: perTurn(emulatorCpu.get(path))!,
      warmup: warmups.get(path)!,
    };
  }
  const peakRss = Object.fromEntries(processes.map((proc) => [proc.name, peakRssMb(proc.pid)]));
  if (lastError) progress(`errors in ${p.spec.id}/${p.reply}: ${[...errors].map(([k, v]) => `${k} ${v}`).join(", ")}; last: ${lastError}`);
  return { inputBytes: p.inputBytes, paths, peakRss };
}

// ---------------------------------------------------------------------------------------------
// Throughput: closed loop, c callers each starting a turn as soon as their last one ended

export const THROUGHPUT_PATHS: readonly PathName[] = ["direct", "floor", "parse floor", "naive relay", "relay"];

export function concurrencies(spec: HistorySpec): number[] {
  // 16 or 64 turns of 6-10 MB in flight are 100 MB-1 GB of history in one isolate, past the 128 MB a
  // Worker isolate may use, and they would take ~30 s of the bench's budget: concurrency 1 only.
  return spec.id === "10m" || spec.id === "img" ? [1] : [1, 16, 64];
}

/** Successful turns per second, and how many turns failed (those are not counted as done). */
export async function throughput(
  label: string,
  call: () => Promise<TurnTiming>,
  c: number,
  minMs: number,
): Promise<{ perSecond: number; errors: number }> {
  const start = performance.now();
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      do {
        try {
          await call();
          done += 1;
        } catch (err) {
          errors += 1;
          progress(`throughput error (${label}, c=${c}): ${describe(err)}`);
        }
      } while (performance.now() - start < minMs);
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), errors };
}

/**
 * What Linux says about a process (here: one workerd per measured worker): its CPU time in
 * nanoseconds per thread (/proc/<pid>/task/<tid>/schedstat), its resident memory and peak
 * (VmRSS / VmHWM), and resetting that peak (clear_refs). Linux only, like the bench.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

export interface ProcessStat {
  ppid: number;
  /** The command name (15 characters at most). */
  comm: string;
  /** R, S, D, Z (zombie: exited, not yet reaped), ... */
  state: string;
}

/** /proc/<pid>/stat, or undefined when the process is gone. */
export function processStat(pid: number): ProcessStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const [state = "", ppid] = stat.slice(close + 2).split(" ");
    return { ppid: Number(ppid), comm: stat.slice(stat.indexOf("(") + 1, close), state };
  } catch {
    return undefined;
  }
}

/** Every process, by pid. */
export function allProcesses(): Map<number, ProcessStat> {
  const found = new Map<number, ProcessStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(Number(entry));
    if (stat) found.set(Number(entry), stat);
  }
  return found;
}

/** The direct children of this process, by pid, with their command names. */
export function childProcesses(): Map<number, string> {
  return new Map([...allProcesses()].filter(([, stat]) => stat.ppid === process.pid).map(([pid, stat]) => [pid, stat.comm]));
}

export interface CpuTimes {
  /** The thread that runs the event loop and the isolate (its tid is the pid). */
  mainMs: number;
  /** Every thread of the process (V8's GC helpers included). */
  allMs: number;
}

export function cpuTimes(pid: number): CpuTimes {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      all += ns;
      if (Number(tid) === pid) main = ns;
    } catch {
      // thread ended
    }
  }
  return { mainMs: main / 1e6, allMs: all / 1e6 };
}

function statusField(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${field}:`));
  return line ? Number(/(\d+)/.exec(line)![1]) / 1024 : Number.NaN; // kB → MB
}

export const rssMb = (pid: number): number => statusField(pid, "VmRSS");
export const peakRssMb = (pid: number): number => statusField(pid, "VmHWM");

/** Resets VmHWM to the current RSS, so the next peak read covers only what follows. */
export function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** Minor page faults of the whole process so far: memory it touched for the first time (or again, after returning it). */
export function minorFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
}

/** The bench phases' JSON as the report reads it from .bench/ (BENCH_DIR), and accessors by scenario and path. */
import { existsSync, readFileSync } from "node:fs";
import { HISTORIES, REPLIES } from "./payloads";
import type { AttestationCost } from "./attestation-cost";
import type { DeviceResult } from "./device-targets";
import type { HeapAround } from "./inspector";
import type { ConcurrentResult } from "./memory";
import type { PathResult } from "./scenario";
import type { StartupResult } from "./startup";
import type { Summary } from "./stats";

export const dir = process.env.BENCH_DIR!;
const read = <T>(name: string): T => JSON.parse(readFileSync(`${dir}/${name}`, "utf8")) as T;

export interface Loopback {
  idleRss: Record<string, number>;
  scenarios: Record<string, { inputBytes: number; paths: Record<string, PathResult>; peakRss: Record<string, number> }>;
  lag: Record<string, { relayLag: Summary; directLag: Summary; errors?: number }>;
  throughput: Record<string, Record<string, Record<string, { perSecond: number; errors: number }>>>;
  heap: Record<string, { fitsMb: number | null; fitsAt128: boolean }>;
  inspect: Record<
    string,
    {
      heap?: HeapAround;
      profile?: { totalMs: number; groups: Stage[]; top: Stage[]; turns: number };
      streamProfile?: { totalMs: number; groups: Stage[]; top: Stage[]; turns: number };
      error?: string;
    }
  >;
  inspectNaive?: Record<string, { heap?: HeapAround; error?: string }>;
  concurrent?: ConcurrentResult;
  micro?: Record<string, Record<string, number>>;
  attestation?: Record<string, AttestationCost>;
  startup?: StartupResult;
  leftover?: number[];
}
export interface Stage {
  name: string;
  ms: number;
}
export interface InProcess {
  cpu: Record<string, Record<string, Summary>>;
  responseBytes: Record<string, Record<string, number>>;
  requestBytes: Record<string, number>;
  inputBytes: Record<string, number>;
  breakdown: Record<string, { stages: Stage[]; parseFloorMs: number } | { error: string }>;
}
export interface Meta {
  /** `parts`: KiB of the bundle (raw) per npm package and the relay's own src/, from esbuild's metafile. */
  bundle: { rawKiB: number; gzipKiB: number; parts?: Record<string, number> };
  seconds: number;
  node: string;
  quick?: boolean;
  /** When the phases finished (ISO), the results file's date. */
  finished?: string;
  /** The commit measured (short hash) and whether the work tree differed from it (run.mjs). */
  commit?: string;
  dirty?: boolean;
  /** BENCH_ONLY's histories, when phase 2 was limited to them. */
  only?: string[];
}

export const lb = read<Loopback>("loopback.json");
export const ip = read<InProcess>("inprocess.json");
export const meta = read<Meta>("meta.json");
/** The device phase (device.ts); undefined when it did not run (its targets then read MISS). */
export const device: DeviceResult | undefined = existsSync(`${dir}/device.json`) ? read<DeviceResult>("device.json") : undefined;

export const scenarios = HISTORIES.flatMap((spec) => REPLIES.map((reply) => ({ spec, reply, key: `${spec.id}/${reply.kind}` })));
export const lat = (key: string, path: string) => lb.scenarios[key]?.paths[path];
export const cpuW = (key: string, path: string) => lat(key, path)?.workerCpu;
export const cpuN = (key: string, path: string) => ip.cpu[key]?.[path];

/**
 * The share of the relay's CPU per turn that TRANSCRIPT_KEYS adds (0.07 = +7 %), for a scenario key:
 * the work timed in one isolate over the relay's turn without it (attestation-cost.ts says why).
 */
export const attestationAdded = (key: string) => {
  const a = lb.attestation?.[key];
  return a ? a.workMs / a.plainMs : undefined;
};
/** The cost target (issue 12): verification plus attestation add at most this share. */
export const ATTESTATION_TARGET = 0.15;

/** The soak's sizes: the full run (issue 11) and SOAK_QUICK=1 for working on the harness. */
import { readConfig } from "../../src/config";
import type { FuzzCounts } from "./fuzz";
import { soakRelayVars } from "./processes";

/** The relays a soak can run: workerd with nothing in front, workerd behind wrangler's dev proxy, the Node entry. */
export const STACKS = ["workerd (Miniflare direct)", "workerd (wrangler dev)", "Node entry"] as const;
export type StackName = (typeof STACKS)[number];
/** SOAK_STACKS=direct,wrangler,node (any of them, in that order): the short names. */
const STACK_KEYS: Record<string, StackName> = { direct: STACKS[0], wrangler: STACKS[1], node: STACKS[2] };

export interface SoakConfig {
  quick: boolean;
  stacks: StackName[];
  seed: number;
  /** Streamed load: concurrent callers, for how long, and a cap on turns so the loop is bounded. */
  load: { concurrency: number; seconds: number; maxTurns: number; turnTimeoutMs: number };
  /** Large unary turns: concurrent callers, rounds each, history size in bytes. */
  big: { concurrency: number; rounds: number; historyBytes: number; turnTimeoutMs: number };
  /** Streamed turns aborted at random moments, how many at once, and how long after its abort a turn's upstream call may still end. */
  aborts: { turns: number; concurrency: number; graceMs: number; settleMs: number };
  /** hangMs: no answer within it is a hang; stalledHangMs: the same for a stalled body, which the relay answers (408) only after its body timeout. */
  fuzz: { counts: FuzzCounts; maxBombBytes: number; concurrency: number; hangMs: number; stalledHangMs: number };
  /** Extra rounds of the streamed load after the phases (SOAK_RSS_ROUNDS=n), each followed by an idle pause: does RSS level off or keep rising? */
  rssRounds: { count: number; seconds: number; idleMs: number };
  /** RSS/heap sampling interval. */
  sampleMs: number;
  /** The emulator's request log keeps every body; it is emptied this often (issue 11, finding 7). */
  emulatorResetMs: number;
}

const FULL_FUZZ: FuzzCounts = {
  mutation: 520,
  truncation: 300,
  wrongType: 400,
  invalidUtf8: 200,
  duplicateKeys: 200,
  deepNesting: 150,
  header: 100,
  short: 60,
  halfClosed: 60,
  stalled: 16,
};

export function soakConfig(env: NodeJS.ProcessEnv): SoakConfig {
  const quick = env.SOAK_QUICK === "1";
  const seed = env.SOAK_SEED ? Number(env.SOAK_SEED) : Date.now() % 1_000_000_007;
  if (!Number.isSafeInteger(seed)) throw new Error(`SOAK_SEED must be an integer (got ${env.SOAK_SEED})`);
  const scaled = (counts: FuzzCounts, factor: number) =>
    Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.max(2, Math.round(v * factor))])) as unknown as FuzzCounts;
  // The relay runs with its default body timeout (what operators get): a stalled body is a hang only past it.
  const stalledHangMs = readConfig(soakRelayVars("http://127.0.0.1:9")).bodyTimeoutMs + 10_000;
  const keys = env.SOAK_STACKS ? env.SOAK_STACKS.split(",") : Object.keys(STACK_KEYS);
  const unknown = keys.filter((key) => !(key in STACK_KEYS));
  if (unknown.length) throw new Error(`SOAK_STACKS: unknown ${unknown.join(", ")} (known: ${Object.keys(STACK_KEYS).join(", ")})`);
  return {
    quick,
    stacks: STACKS.filter((stack) => keys.some((key) => STACK_KEYS[key] === stack)),
    seed,
    load: quick
      ? { concurrency: 16, seconds: 8, maxTurns: 20_000, turnTimeoutMs: 30_000 }
      : { concurrency: 64, seconds: 60, maxTurns: 500_000, turnTimeoutMs: 120_000 },
    big: quick
      ? { concurrency: 4, rounds: 1, historyBytes: 1 << 20, turnTimeoutMs: 60_000 }
      : { concurrency: 16, rounds: 4, historyBytes: 5 << 20, turnTimeoutMs: 120_000 },
    aborts: quick
      ? { turns: 24, concurrency: 8, graceMs: 1_000, settleMs: 8_000 }
      : { turns: 200, concurrency: 8, graceMs: 1_000, settleMs: 15_000 },
    fuzz: quick
      ? { counts: scaled(FULL_FUZZ, 0.05), maxBombBytes: 64 << 20, concurrency: 8, hangMs: 10_000, stalledHangMs }
      : { counts: FULL_FUZZ, maxBombBytes: 1 << 30, concurrency: 8, hangMs: 10_000, stalledHangMs },
    rssRounds: { count: env.SOAK_RSS_ROUNDS ? Number(env.SOAK_RSS_ROUNDS) : 0, seconds: quick ? 5 : 30, idleMs: 10_000 },
    sampleMs: quick ? 250 : 1_000,
    emulatorResetMs: 5_000,
  };
}

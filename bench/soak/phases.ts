/**
 * The soak's phases against one relay: sustained streamed load, large unary turns, streamed turns
 * aborted at random moments (their upstream calls seen by the tap), and the fuzz. Every loop is
 * bounded by a count and a time.
 */
import fc from "fast-check";
import { request as httpRequest } from "node:http";
import { summarize, type Summary } from "../stats";
import type { SoakConfig } from "./config";
import type { FuzzCase } from "./fuzz";
import { sendRaw } from "./raw-http";
import type { Tap } from "./tap";

export const MODEL = "gemini-3.5-flash";
const JSON_HEADERS = { "content-type": "application/json" };
const TOOLS = [
  {
    type: "function",
    name: "get_weather",
    description: "Current weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
];

export type Progress = (message: string) => void;

/** What a caller saw of one turn, by kind ("ok" or what went wrong). */
export interface TurnTally {
  turns: number;
  errors: Record<string, number>;
  latency: Summary;
  seconds: number;
  /** The first answer of each error kind (its start), to see what the relay said. */
  firstAnswer: Record<string, string>;
}

interface TurnResult {
  kind: string;
  ms: number;
  /** What came back, for an error. */
  detail?: string;
}

/** Runs `task` from `concurrency` callers until `more()` says stop; each caller starts its next task when its last one ends. */
async function closedLoop(concurrency: number, more: () => boolean, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) await task(next++);
    }),
  );
}

function tally(results: readonly TurnResult[], seconds: number): TurnTally {
  const errors: Record<string, number> = {};
  const firstAnswer: Record<string, string> = {};
  for (const r of results) {
    if (r.kind === "ok") continue;
    errors[r.kind] = (errors[r.kind] ?? 0) + 1;
    firstAnswer[r.kind] ??= r.detail ?? "";
  }
  return {
    turns: results.length,
    errors,
    latency: summarize(results.filter((r) => r.kind === "ok").map((r) => r.ms)),
    seconds,
    firstAnswer,
  };
}

/** What went wrong in a failed fetch: the deadline, or the network. */
function failureKind(err: unknown): string {
  const name = (err as Error)?.name;
  return name === "TimeoutError" || name === "AbortError" ? "timeout" : "network error";
}

async function postTurn(relay: string, body: object, timeoutMs: number): Promise<Response> {
  return fetch(`${relay}/v1/turns`, {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

// ---------------------------------------------------------------------------------------------
// Seeds: real transcripts the relay produced (closure: it must accept them back)

export interface Seeds {
  /** A weather call, its result and the answer: signed thought, function_call, function_result, text. */
  smallHistory: unknown[];
  /** A history of about the configured size (a long prompt and its echo). */
  bigHistory: unknown[];
}

export async function seedTranscripts(relay: string, bigHistoryBytes: number): Promise<Seeds> {
  const turn = async (body: object) => {
    const response = await postTurn(relay, body, 120_000);
    const json = (await response.json()) as { history: unknown[]; steps: { type: string; id?: string; name?: string }[] };
    if (response.status !== 200) throw new Error(`seed turn failed: ${response.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const first = await turn({ model: MODEL, tools: TOOLS, input: "What is the weather in Paris?" });
  const call = first.steps.find((step) => step.type === "function_call");
  if (!call) throw new Error("the seed turn made no function_call");
  const second = await turn({
    model: MODEL,
    tools: TOOLS,
    history: first.history,
    input: [{ type: "function_result", call_id: call.id, name: call.name, result: "sunny, 21 °C" }],
  });
  // Half the size as prompt; the emulator's echo doubles it.
  const prompt = longText(bigHistoryBytes / 2);
  const big = await turn({ model: MODEL, input: prompt });
  return { smallHistory: second.history, bigHistory: big.history };
}

/** Text with newlines, quotes and non-ASCII, so JSON escaping and UTF-8 are exercised. */
function longText(bytes: number): string {
  const line = 'A "quoted" line, with ümlauts and 漢字, numbers 12345 and a tab\t.\n';
  return line.repeat(Math.ceil(bytes / Buffer.byteLength(line))).slice(0, bytes);
}

export function loadTurnBody(seeds: Seeds, stream: boolean): object {
  return { model: MODEL, tools: TOOLS, history: seeds.smallHistory, input: "Please summarize our chat.", stream };
}

/** How long the relay gets to serve a normal turn again after a phase. */
export const RECOVERY_MS = 60_000;

/**
 * Seconds until a normal streamed turn succeeds (tried once a second), undefined if none does
 * within RECOVERY_MS. Between phases, so each starts from a relay that serves.
 */
export async function servesAgainAfter(relay: string, seeds: Seeds): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < RECOVERY_MS) {
    // AbortSignal.timeout takes whole milliseconds only.
    const left = Math.max(1, Math.ceil(RECOVERY_MS - (performance.now() - started)));
    if ((await streamedTurn(relay, loadTurnBody(seeds, true), left)).kind === "ok") return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Streamed load

async function streamedTurn(relay: string, body: object, timeoutMs: number): Promise<TurnResult> {
  const started = performance.now();
  try {
    const response = await postTurn(relay, body, timeoutMs);
    const text = await response.text();
    const ms = performance.now() - started;
    if (response.status !== 200) return { kind: `HTTP ${response.status}`, ms, detail: text.slice(0, 300) };
    const error = text.indexOf("event: turn.error");
    if (error >= 0) return { kind: "turn.error", ms, detail: text.slice(error, error + 300) };
    if (!text.includes("event: turn.completed")) return { kind: "no turn.completed", ms, detail: text.slice(-300) };
    return { kind: "ok", ms };
  } catch (err) {
    return { kind: failureKind(err), ms: performance.now() - started, detail: String(err) };
  }
}

export async function streamedLoad(relay: string, seeds: Seeds, config: SoakConfig["load"], progress: Progress): Promise<TurnTally> {
  const body = loadTurnBody(seeds, true);
  const results: TurnResult[] = [];
  const started = performance.now();
  const deadline = started + config.seconds * 1000;
  const ticker = setInterval(() => {
    const failed = results.filter((r) => r.kind !== "ok").length;
    progress(
      `streamed load: ${results.length} turns, ${failed} errors, ${((performance.now() - started) / 1000).toFixed(0)}/${config.seconds} s`,
    );
  }, 5_000);
  try {
    await closedLoop(
      config.concurrency,
      () => performance.now() < deadline && results.length < config.maxTurns,
      async () => {
        results.push(await streamedTurn(relay, body, config.turnTimeoutMs));
      },
    );
  } finally {
    clearInterval(ticker);
  }
  return tally(results, (performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Large unary turns

export async function bigUnaryTurns(relay: string, seeds: Seeds, config: SoakConfig["big"], progress: Progress): Promise<TurnTally> {
  const body = JSON.stringify({ model: MODEL, history: seeds.bigHistory, input: "Thanks, that was long." });
  const results: TurnResult[] = [];
  const total = config.concurrency * config.rounds;
  const started = performance.now();
  let begun = 0;
  await closedLoop(
    config.concurrency,
    () => begun++ < total,
    async () => {
      const t0 = performance.now();
      try {
        const response = await fetch(`${relay}/v1/turns`, {
          method: "POST",
          headers: JSON_HEADERS,
          body,
          signal: AbortSignal.timeout(config.turnTimeoutMs),
        });
        const text = await response.text();
        const ms = performance.now() - t0;
        const answer = (response.status === 200 ? JSON.parse(text) : {}) as { history?: unknown[] };
        if (response.status !== 200) results.push({ kind: `HTTP ${response.status}`, ms, detail: text.slice(0, 300) });
        else if (answer.history?.length !== seeds.bigHistory.length + 2) results.push({ kind: "history not returned whole", ms });
        else results.push({ kind: "ok", ms });
      } catch (err) {
        results.push({ kind: failureKind(err), ms: performance.now() - t0, detail: String(err) });
      }
      progress(`${(Buffer.byteLength(body) / 2 ** 20).toFixed(1)} MB unary turns: ${results.length}/${total}`);
    },
  );
  return tally(results, (performance.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Aborted streamed turns

/** What makes a turn long enough to abort in the middle of something (emulator prompt tags). */
const ABORT_SCENARIOS = {
  "slow first byte": "[emulator:slow=1500]",
  "continuation hops": "[emulator:continue=4] [emulator:slow=400]",
  "429 then retry": "[emulator:429]",
  "fast answer": "",
} as const;
type AbortScenario = keyof typeof ABORT_SCENARIOS;

/**
 * How the caller leaves: "close" ends its connection the ordinary way (FIN, as fetch's abort does);
 * "reset" drops it (RST, as when a process dies with data unread). workerd's own HTTP server takes a
 * FIN before its response starts for a half-close and sees the disconnect only when it next writes;
 * a RST it sees at once.
 */
export type Leaving = "close" | "reset";

export interface AbortPlan {
  scenario: AbortScenario;
  /** When the caller aborts, after it sent the request. */
  abortAfterMs: number;
  leaving: Leaving;
}

/** The plan of the aborted turns, from the seed: which scenario, when the caller leaves (0 to 2.5 s; fast answers 0 to 50 ms), and how. */
export function abortPlan(seed: number, turns: number): AbortPlan[] {
  const scenario = fc.constantFrom(...(Object.keys(ABORT_SCENARIOS) as AbortScenario[]));
  return fc.sample(
    scenario.chain((s) =>
      fc.record({
        scenario: fc.constant(s),
        abortAfterMs: fc.integer({ min: 0, max: s === "fast answer" ? 50 : 2_500 }),
        leaving: fc.constantFrom<Leaving>("close", "reset"),
      }),
    ),
    { seed, numRuns: turns },
  );
}

/** Splits the aborted turns by how the caller left and whether the relay's response had started then. */
type AbortSplit = `${Leaving}, ${"before" | "after"} the response started`;

export interface AbortTally {
  planned: number;
  /** Turns whose caller left before the turn ended. */
  aborted: number;
  /** Turns that ended before their abort time came. */
  completedFirst: number;
  /** Upstream calls per aborted turn. */
  callsPerTurn: { mean: number; max: number; histogram: Record<string, number> };
  /** Upstream calls still running `graceMs` after their caller left (started later, or ended later, or never). */
  leftRunning: number;
  /** Of those, calls the relay started after the caller had left. */
  startedAfterAbort: number;
  /** Upstream calls that delivered their whole answer to the relay after the caller had left. */
  completedAfterAbort: number;
  byScenario: Record<string, { aborted: number; leftRunning: number; startedAfterAbort: number }>;
  /** The same figures by how the caller left and whether the relay's response had started (headers received) by then. */
  byLeaving: Partial<Record<AbortSplit, { aborted: number; leftRunning: number; startedAfterAbort: number }>>;
  graceMs: number;
  /** Tap calls still open when the phase gave up waiting. */
  stillOpenAtEnd: number;
}

export async function abortedTurns(
  relay: string,
  tap: Tap,
  seed: number,
  config: SoakConfig["aborts"],
  progress: Progress,
): Promise<AbortTally> {
  const plan = abortPlan(seed, config.turns);
  const outcomes: { tag: string; scenario: AbortScenario; leaving: Leaving; abortedAt?: number; headersAt?: number }[] = [];
  let ended = 0;
  await closedLoop(
    config.concurrency,
    () => outcomes.length < plan.length,
    async () => {
      const index = outcomes.length;
      const { scenario, abortAfterMs, leaving } = plan[index]!;
      const tag = `a${index}`;
      const outcome: (typeof outcomes)[number] = { tag, scenario, leaving };
      outcomes.push(outcome);
      const body = JSON.stringify({ model: MODEL, stream: true, input: `Tell me a story. [soak:${tag}] ${ABORT_SCENARIOS[scenario]}` });
      await new Promise<void>((resolve) => {
        const request = httpRequest(`${relay}/v1/turns`, {
          method: "POST",
          headers: { ...JSON_HEADERS, "content-length": Buffer.byteLength(body) },
          agent: false,
        });
        const timer = setTimeout(() => {
          outcome.abortedAt = performance.now();
          if (leaving === "reset" && request.socket) request.socket.resetAndDestroy();
          request.destroy();
          resolve();
        }, abortAfterMs);
        request.on("response", (response) => {
          outcome.headersAt = performance.now();
          response.resume();
          response.on("error", () => undefined);
          response.on("end", () => (clearTimeout(timer), resolve()));
        });
        // the abort, as planned (or a failure, which the tap and the tally show)
        request.on("error", () => (clearTimeout(timer), resolve()));
        request.end(body);
      });
      if (++ended % 25 === 0) progress(`aborted turns: ${ended}/${plan.length}`);
    },
  );

  // Let the relay finish (or cancel) whatever it still does, within bounds.
  const settleUntil = performance.now() + config.settleMs;
  while (tap.open() > 0 && performance.now() < settleUntil) await new Promise((resolve) => setTimeout(resolve, 100));
  const stillOpenAtEnd = tap.open();

  const aborted = outcomes.filter((o) => o.abortedAt !== undefined);
  const histogram: Record<string, number> = {};
  const byScenario: AbortTally["byScenario"] = {};
  const byLeaving: AbortTally["byLeaving"] = {};
  let calls = 0;
  let maxCalls = 0;
  let leftRunning = 0;
  let startedAfterAbort = 0;
  let completedAfterAbort = 0;
  for (const { tag, scenario, leaving, abortedAt, headersAt } of aborted) {
    const upstream = tap.callsFor(tag);
    calls += upstream.length;
    maxCalls = Math.max(maxCalls, upstream.length);
    histogram[upstream.length] = (histogram[upstream.length] ?? 0) + 1;
    const running = upstream.filter((c) => c.endedAt === undefined || c.endedAt > abortedAt! + config.graceMs).length;
    leftRunning += running;
    const late = upstream.filter((c) => c.startedAt > abortedAt!).length;
    startedAfterAbort += late;
    completedAfterAbort += upstream.filter((c) => c.end === "completed" && c.endedAt! > abortedAt!).length;
    for (const row of [
      (byScenario[scenario] ??= { aborted: 0, leftRunning: 0, startedAfterAbort: 0 }),
      (byLeaving[`${leaving}, ${headersAt === undefined ? "before" : "after"} the response started`] ??= {
        aborted: 0,
        leftRunning: 0,
        startedAfterAbort: 0,
      }),
    ]) {
      row.aborted++;
      row.leftRunning += running;
      row.startedAfterAbort += late;
    }
  }
  return {
    planned: plan.length,
    aborted: aborted.length,
    completedFirst: outcomes.length - aborted.length,
    callsPerTurn: { mean: aborted.length ? calls / aborted.length : Number.NaN, max: maxCalls, histogram },
    leftRunning,
    startedAfterAbort,
    completedAfterAbort,
    byScenario,
    byLeaving,
    graceMs: config.graceMs,
    stillOpenAtEnd,
  };
}

// ---------------------------------------------------------------------------------------------
// Fuzz

export interface FuzzTally {
  cases: number;
  byKind: Record<string, { cases: number; fiveXx: number; hangs: number; noAnswer: number }>;
  statuses: Record<string, number>;
  fiveXx: number;
  hangs: number;
  noAnswer: number;
  hangMs: number;
  stalledHangMs: number;
  /** The first 5xx answer of each fuzz kind (its body's start). */
  first5xx: Record<string, string>;
  /** Seconds after the fuzz until a normal turn succeeded again (undefined: not within RECOVERY_MS). */
  servesAgainAfterS?: number;
}

export async function fuzz(
  relay: string,
  cases: readonly FuzzCase[],
  seeds: Seeds,
  config: SoakConfig["fuzz"],
  progress: Progress,
): Promise<FuzzTally> {
  const result: FuzzTally = {
    cases: 0,
    byKind: {},
    statuses: {},
    fiveXx: 0,
    hangs: 0,
    noAnswer: 0,
    hangMs: config.hangMs,
    stalledHangMs: config.stalledHangMs,
    first5xx: {},
  };
  let next = 0;
  await closedLoop(
    config.concurrency,
    () => next < cases.length,
    async () => {
      const fuzzCase = cases[next++]!;
      const answer = await sendRaw(relay, "/v1/turns", fuzzCase, fuzzCase.transport === "stalled" ? config.stalledHangMs : config.hangMs);
      const row = (result.byKind[fuzzCase.kind] ??= { cases: 0, fiveXx: 0, hangs: 0, noAnswer: 0 });
      row.cases++;
      result.cases++;
      const status = answer.hung ? "hang" : answer.status === undefined ? "no answer" : String(answer.status);
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      if (answer.hung) {
        row.hangs++;
        result.hangs++;
      } else if (answer.status === undefined) {
        row.noAnswer++;
        result.noAnswer++;
      } else if (answer.status >= 500) {
        row.fiveXx++;
        result.fiveXx++;
        result.first5xx[fuzzCase.kind] ??= answer.head.slice(answer.head.indexOf("\r\n\r\n") + 4);
      }
      if (result.cases % 250 === 0) progress(`fuzz: ${result.cases}/${cases.length}, ${result.fiveXx} x 5xx, ${result.hangs} hangs`);
    },
  );
  result.servesAgainAfterS = await servesAgainAfter(relay, seeds);
  return result;
}

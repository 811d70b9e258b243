// The soak harness's own logic (bench/soak): the flatness verdict, the percentiles, the PASS/MISS
// rules, the relay config it runs, and that the fuzz generators produce what they claim. Not a
// soak run (`npm run soak` is that), but the soak's direct workerd stack is started once, for what
// only a real socket shows: which caller disconnects reach the relay in workerd, and that the relay
// then stops its upstream call.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, inflateSync } from "node:zlib";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { percentile } from "../../bench/stats";
import { flatness, type Sample } from "../../bench/soak/flatness";
import { bomb, fuzzCases, jsonKind, valueAt, type FuzzCase, type FuzzCounts } from "../../bench/soak/fuzz";
import { abortPlan } from "../../bench/soak/phases";
import { buildWorkerBundle, startMiniflareDirect } from "../../bench/soak/miniflare-stack";
import { findEmulatorConfig, soakRelayConfig, soakRelayVars, stopLaunched, type Launched } from "../../bench/soak/processes";
import { startTap, type Tap } from "../../bench/soak/tap";
import { missLines, verdicts, type RelayResult } from "../../bench/soak/report";
import { notReplacingBecause, runFacts, soakResultsFile, type RunFacts } from "../../bench/soak/results-file";
import { STACKS } from "../../bench/soak/config";

const series = (mbAt: (i: number) => number, n = 60): Sample[] => Array.from({ length: n }, (_, i) => ({ atMs: i * 1000, mb: mbAt(i) }));

describe("flatness", () => {
  it("calls a plateau flat, spikes included", () => {
    const result = flatness(series((i) => (i < 10 ? 70 + 20 * i : i % 7 === 0 ? 400 : 300)));
    expect(result.flat).toBe(true);
    expect(result.plateauMb).toBe(300);
    expect(result.endMb).toBe(300);
  });

  it("calls a steady rise after warm-up not flat, with its slope", () => {
    const result = flatness(series((i) => 100 + 2 * i));
    expect(result.flat).toBe(false);
    expect(result.growth).toBeGreaterThan(0.1);
    expect(result.slopeMbPerMin).toBeCloseTo(120, 5);
  });

  it("allows growth up to the tolerance and not beyond", () => {
    const upTo = (end: number) =>
      flatness(
        series((i) => (i < 30 ? 100 : end)),
        { warmupFraction: 0.25, window: 10, tolerance: 0.1 },
      );
    expect(upTo(110).flat).toBe(true);
    expect(upTo(111).flat).toBe(false);
  });

  it("gives no verdict on too few samples", () => {
    const result = flatness(series(() => 100, 12));
    expect(result.flat).toBe(false);
    expect(result.undecided).toMatch(/needed/);
  });
});

describe("percentile", () => {
  it("is the nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([5], 99)).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});

const BASES = [
  { model: "gemini-3.5-flash", input: "Hello!" },
  { model: "gemini-3.5-flash", input: [{ type: "user_input", content: [{ type: "text", text: "ümlaut 漢字" }] }], stream: true },
];
const COUNTS: FuzzCounts = {
  mutation: 40,
  truncation: 40,
  wrongType: 60,
  invalidUtf8: 40,
  duplicateKeys: 30,
  deepNesting: 30,
  header: 20,
  short: 10,
  halfClosed: 10,
  stalled: 10,
};

describe("fuzz generators", () => {
  const cases = fuzzCases(7, COUNTS, BASES);
  const claimed = <K extends FuzzCase["claim"]["is"]>(is: K) =>
    cases.filter((c) => c.claim.is === is) as (FuzzCase & { claim: Extract<FuzzCase["claim"], { is: K }> })[];
  const text = (c: FuzzCase) => Buffer.from(c.body).toString("utf8");

  it("are deterministic for a seed and differ across seeds", () => {
    const again = fuzzCases(7, COUNTS, BASES);
    expect(again.map(text)).toEqual(cases.map(text));
    expect(fuzzCases(8, COUNTS, BASES).map(text)).not.toEqual(cases.map(text));
  });

  it("make as many cases as asked", () => {
    expect(cases.length).toBe(Object.values(COUNTS).reduce((a, b) => a + b, 0));
  });

  it("mutations differ from their base; truncations are strict prefixes that do not parse", () => {
    for (const c of claimed("mutated")) expect(text(c)).not.toBe(c.claim.from);
    for (const c of claimed("truncated")) {
      expect(c.claim.from.startsWith(text(c)) && text(c).length < c.claim.from.length).toBe(true);
      expect(() => JSON.parse(text(c))).toThrow();
    }
  });

  it("wrong types put a value of another JSON type at the path", () => {
    for (const c of claimed("wrong-type")) {
      expect(BASES.map((base) => jsonKind(valueAt(base, c.claim.path)))).toContain(c.claim.was);
      expect(jsonKind(valueAt(JSON.parse(text(c)), c.claim.path))).not.toBe(c.claim.was);
    }
  });

  it("invalid UTF-8 is invalid", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    for (const c of claimed("invalid-utf8")) expect(() => decoder.decode(c.body)).toThrow();
  });

  it("duplicate keys are there twice and the JSON still parses", () => {
    for (const c of claimed("duplicate-keys")) {
      expect(() => JSON.parse(text(c))).not.toThrow();
      expect(text(c).split(`${JSON.stringify(c.claim.key)}:`).length - 1).toBeGreaterThanOrEqual(2);
    }
  });

  it("nesting is as deep as claimed", () => {
    for (const c of claimed("nested")) expect(maxDepth(text(c))).toBe(c.claim.depth);
  });

  it("short and stalled bodies declare more than they send; half-closed ones are chunked", () => {
    for (const c of claimed("incomplete")) {
      expect(c.body.length).toBe(c.claim.sent);
      if (c.transport === "half-closed") expect(c.declaredLength).toBeUndefined();
      else expect(c.declaredLength!).toBeGreaterThan(c.body.length);
    }
    expect(new Set(claimed("incomplete").map((c) => c.transport))).toEqual(new Set(["short", "half-closed", "stalled"]));
  });

  it("bombs decompress to the claimed size, the JSON one to a valid turn", async () => {
    const size = 3 * 2 ** 20 + 5;
    const json = await bomb("gzip", size, '{"model":"m","input":"', '"}');
    const inflated = gunzipSync(json.body);
    expect(inflated.length).toBe(size);
    expect(JSON.parse(inflated.toString("utf8"))).toMatchObject({ model: "m" });
    expect(json.body.length).toBeLessThan(size / 500);
    const raw = await bomb("deflate", size);
    expect(inflateSync(raw.body).length).toBe(size);
    expect(raw.headers["content-encoding"]).toBe("deflate");
  });
});

/** Deepest [ / { nesting outside strings. */
function maxDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === "]" || ch === "}") depth--;
  }
  return max;
}

describe("abort plan", () => {
  it("is deterministic and keeps abort times in bounds", () => {
    const plan = abortPlan(3, 200);
    expect(abortPlan(3, 200)).toEqual(plan);
    expect(new Set(plan.map((p) => p.scenario)).size).toBe(4);
    expect(new Set(plan.map((p) => p.leaving))).toEqual(new Set(["close", "reset"]));
    for (const p of plan) expect(p.abortAfterMs).toBeLessThanOrEqual(p.scenario === "fast answer" ? 50 : 2_500);
  });
});

describe("the soak's relay config", () => {
  it("is wrangler.toml without the rate limit binding, main made absolute", () => {
    const root = join(import.meta.dirname, "../..");
    const file = soakRelayConfig(root, mkdtempSync(join(tmpdir(), "soak-")));
    const written = readFileSync(file, "utf8");
    expect(readFileSync(join(root, "wrangler.toml"), "utf8")).toMatch(/\[\[ratelimits\]\]/);
    expect(written).not.toMatch(/ratelimits|CALLER_RATE_LIMIT/);
    expect(written).toContain(`main = ${JSON.stringify(join(root, "src/index.ts"))}`);
    expect(written).toMatch(/^compatibility_date = /m);
  });
});

/** A relay that met every target (the verdicts and the results file start from it). */
const passing: RelayResult = {
  relay: "r",
  load: { turns: 10, errors: {}, latency: { n: 10, p50: 1, p99: 2, mean: 1, min: 1 }, seconds: 1, firstAnswer: {} },
  big: { turns: 2, errors: {}, latency: { n: 2, p50: 1, p99: 2, mean: 1, min: 1 }, seconds: 1, firstAnswer: {} },
  bigMb: 5,
  aborts: {
    planned: 2,
    aborted: 2,
    completedFirst: 0,
    callsPerTurn: { mean: 1, max: 1, histogram: { 1: 2 } },
    leftRunning: 0,
    startedAfterAbort: 0,
    completedAfterAbort: 0,
    byScenario: {},
    byLeaving: {},
    graceMs: 1000,
    stillOpenAtEnd: 0,
  },
  fuzz: {
    cases: 5,
    byKind: {},
    statuses: { 400: 5 },
    fiveXx: 0,
    hangs: 0,
    noAnswer: 0,
    hangMs: 10_000,
    stalledHangMs: 40_000,
    first5xx: {},
    servesAgainAfterS: 0,
  },
  rss: { startMb: 1, peakMb: 2, endMb: 1 },
  rssFlatness: { plateauMb: 1, endMb: 1, growth: 0, slopeMbPerMin: 0, flat: true },
  heap: "not reachable",
  tapFailures: {},
  abortLogLines: 2,
  ready: {},
};

describe("verdicts", () => {
  const missed = (r: RelayResult) =>
    verdicts(r)
      .filter((v) => !v.pass)
      .map((v) => v.target.slice(0, 20));

  it("pass when every figure meets its target", () => {
    expect(missed(passing)).toEqual([]);
  });

  it("miss on each failure, and on aborts that never happened", () => {
    expect(missed({ ...passing, big: { ...passing.big, errors: { "HTTP 502": 1 } } })).toEqual(["0 relay errors under"]);
    expect(missed({ ...passing, fuzz: { ...passing.fuzz, fiveXx: 1, hangs: 1 } })).toEqual(["0 x 5xx in the fuzz", "0 hangs in the fuzz "]);
    expect(missed({ ...passing, aborts: { ...passing.aborts, leftRunning: 1 } })).toEqual(["0 upstream calls lef"]);
    expect(missed({ ...passing, aborts: { ...passing.aborts, aborted: 0 } })).toEqual(["0 upstream calls lef"]);
    expect(missed({ ...passing, rssFlatness: { ...passing.rssFlatness, flat: false } })).toEqual(["RSS flat after warm-"]);
  });

  it("mark a miss behind wrangler dev as its proxy's only when the relay meets that target with nothing in front", () => {
    const hang = { ...passing.fuzz, hangs: 3 };
    const lines = missLines([
      { ...passing, relay: "workerd (Miniflare direct)", aborts: { ...passing.aborts, leftRunning: 2 } },
      { ...passing, relay: "workerd (wrangler dev)", fuzz: hang, aborts: { ...passing.aborts, leftRunning: 2 } },
      { ...passing, relay: "Node entry", fuzz: hang },
    ]).map((line) => [line.slice(0, 40), line.includes("wrangler dev's proxy")]);
    expect(lines).toEqual([
      ["workerd (Miniflare direct): 0 upstream c", false],
      ["workerd (wrangler dev): 0 hangs in the f", true],
      ["workerd (wrangler dev): 0 upstream calls", false],
      ["Node entry: 0 hangs in the fuzz (no answ", false],
    ]);
  });
});

describe("the committed results file (docs/results/soak.md)", () => {
  const facts: RunFacts = {
    date: new Date("2026-12-07T00:10:42Z"),
    commit: "abc1234",
    node: "v20.20.2",
    machine: "2 × AMD EPYC, 7.7 GiB, Linux 6.1",
  };
  const outcomes = [
    { ...passing, relay: "workerd (Miniflare direct)" },
    { ...passing, relay: "workerd (wrangler dev)", fuzz: { ...passing.fuzz, fiveXx: 2 } },
    { relay: "Node entry", skipped: "skipped: no Node entry" },
  ];
  const file = soakResultsFile(facts, outcomes, "## Soak (full; seed 1)\n\nthe printed report\n");

  it("is headed by the machine, the date, the commit and the Node version", () => {
    expect(file).toContain("| date | 2026-12-07 00:10 UTC |");
    expect(file).toContain("| commit | abc1234 |");
    expect(file).toContain("| Node | v20.20.2 |");
    expect(file).toContain("| machine | 2 × AMD EPYC, 7.7 GiB, Linux 6.1 |");
  });

  it("has a PASS/MISS row per target, a column per stack, then the report as printed", () => {
    const rows = file.split("\n").filter((line) => line.startsWith("| 0 x 5xx") || line.startsWith("| target |"));
    expect(rows).toEqual([
      "| target | workerd (Miniflare direct) | workerd (wrangler dev) | Node entry |",
      "| 0 x 5xx in the fuzz | PASS | MISS | skipped |",
    ]);
    expect(file.split("\n").filter((line) => /^\| .* \| (PASS|MISS) \| (PASS|MISS) \| skipped \|$/.test(line))).toHaveLength(
      verdicts(passing).length,
    );
    expect(file.endsWith("## Soak (full; seed 1)\n\nthe printed report\n")).toBe(true);
  });

  it("is replaced by a full run only: not by a quick one, nor by one that left a stack out", () => {
    expect(notReplacingBecause({ quick: false, stacks: [...STACKS] })).toBeUndefined();
    expect(notReplacingBecause({ quick: true, stacks: [...STACKS] })).toMatch(/SOAK_QUICK/);
    expect(notReplacingBecause({ quick: false, stacks: [STACKS[0], STACKS[2]] })).toMatch(/left out workerd \(wrangler dev\)/);
  });

  it("names this checkout's commit and this process's Node", () => {
    const here = runFacts(join(import.meta.dirname, "../.."));
    expect(here.commit).toMatch(/^[0-9a-f]{7,}( \+ uncommitted changes)?$/);
    expect(here.node).toBe(process.version);
  });
});

describe("the relay in workerd with nothing in front (the soak's Miniflare stack), a caller who leaves", () => {
  const root = join(import.meta.dirname, "../..");
  const dir = mkdtempSync(join(tmpdir(), "soak-direct-"));
  let emulator: Launched | undefined;
  let relay: Launched | undefined;
  let tap: Tap | undefined;

  beforeAll(async () => {
    const emulatorConfig = findEmulatorConfig(root);
    const relayConfig = soakRelayConfig(root, dir);
    const [emulatorBundle, relayBundle] = await Promise.all([
      buildWorkerBundle(root, emulatorConfig, join(dir, "emulator")),
      buildWorkerBundle(root, relayConfig, join(dir, "relay")),
    ]);
    emulator = await startMiniflareDirect("emulator", emulatorBundle, emulatorConfig, {});
    tap = await startTap(emulator.url);
    relay = await startMiniflareDirect("relay", relayBundle, relayConfig, soakRelayVars(tap.url));
  });

  afterAll(async () => {
    for (const process of [relay, emulator]) if (process) await stopLaunched(process);
    await tap?.close();
  });

  /** Sends a turn tagged `tag`, leaves (FIN or RST) once its upstream call has started, and waits until that call ends. */
  async function leaveDuringUpstreamCall(
    tag: string,
    leaving: "close" | "reset",
    turn: object,
  ): Promise<{ end: string | undefined; calls: number; aborted: number }> {
    const linesBefore = relay!.output().split('"outcome":"aborted"').length;
    const body = JSON.stringify({ model: "gemini-3.5-flash", ...turn, input: `Tell me a story. [soak:${tag}] [emulator:slow=4000]` });
    const request = httpRequest(`${relay!.url}/v1/turns`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      agent: false,
    });
    request.on("error", () => undefined);
    request.end(body);
    await expect.poll(() => tap!.callsFor(tag).length, { timeout: 10_000 }).toBe(1);
    if (leaving === "reset") request.socket!.resetAndDestroy();
    request.destroy();
    // The emulator answers after 4 s: a call that ends sooner was closed by the relay.
    await expect.poll(() => tap!.callsFor(tag)[0]!.end, { timeout: 8_000, interval: 100 }).toBeDefined();
    const aborted = () => relay!.output().split('"outcome":"aborted"').length - linesBefore;
    // workerd's stdout arrives in its own time: a missing line is waited for, an extra one is not.
    await expect
      .poll(aborted, { timeout: 3_000 })
      .toBeGreaterThan(0)
      .catch(() => undefined);
    return { end: tap!.callsFor(tag)[0]!.end, calls: tap!.callsFor(tag).length, aborted: aborted() };
  }

  it("by a reset before the first response byte: the relay closes its upstream call and logs the request as aborted", async () => {
    expect(await leaveDuringUpstreamCall("reset-unary", "reset", {})).toEqual({ end: "relay-closed", calls: 1, aborted: 1 });
  });

  // workerd's own HTTP server takes a FIN before its response starts for a half-close and tells the
  // worker nothing: the call runs to its end. If workerd starts to notice, this fails and the
  // note on disconnects behind workerd (docs/operations.md, "When a caller leaves") is to be revised.
  it("by an ordinary close (FIN) before the first response byte: workerd's own server does not tell the relay", async () => {
    expect(await leaveDuringUpstreamCall("close-unary", "close", {})).toEqual({ end: "completed", calls: 1, aborted: 0 });
  });
});

/**
 * The report: reads the phases' JSON from .bench/, prints markdown tables and the PASS/MISS of each
 * target to stdout, and writes the same to .bench/results.md. What each figure means: bench/README.md.
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { HISTORIES, REPLIES } from "./payloads";
import type { ConcurrentResult, HeapAround, PathResult } from "./loopback";
import type { CpuTimes } from "./procfs";
import type { Summary } from "./stats";

const dir = process.env.BENCH_DIR!;
const read = <T>(name: string): T => JSON.parse(readFileSync(`${dir}/${name}`, "utf8")) as T;

interface Loopback {
  idleRss: Record<string, number>;
  scenarios: Record<string, { inputBytes: number; paths: Record<string, PathResult>; peakRss: Record<string, number> }>;
  lag: Record<string, { relayLag: Summary; directLag: Summary; errors?: number }>;
  throughput: Record<string, Record<string, Record<string, { perSecond: number; errors: number }>>>;
  heap: Record<string, { fitsMb: number | null; fitsAt128: boolean }>;
  inspect: Record<string, { heap?: HeapAround; profile?: { totalMs: number; groups: Stage[]; top: Stage[]; turns: number }; error?: string }>;
  inspectNaive?: Record<string, { heap?: HeapAround; error?: string }>;
  concurrent?: ConcurrentResult;
  micro?: Record<string, Record<string, number>>;
  startup?: Record<string, number | string>;
  leftover?: number[];
}
interface Stage {
  name: string;
  ms: number;
}
interface InProcess {
  cpu: Record<string, Record<string, Summary>>;
  responseBytes: Record<string, Record<string, number>>;
  requestBytes: Record<string, number>;
  inputBytes: Record<string, number>;
  breakdown: Record<string, { stages: Stage[]; parseFloorMs: number } | { error: string }>;
}
interface Meta {
  bundle: { rawKiB: number; gzipKiB: number };
  seconds: number;
  node: string;
  quick?: boolean;
}

const lb = read<Loopback>("loopback.json");
const ip = read<InProcess>("inprocess.json");
const meta = read<Meta>("meta.json");

// ---------------------------------------------------------------------------------------------
// Formatting

function f(x: number | undefined | null): string {
  if (x === undefined || x === null || !Number.isFinite(x)) return "—";
  const abs = Math.abs(x);
  return abs < 10 ? x.toFixed(2) : abs < 100 ? x.toFixed(1) : x.toFixed(0);
}
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !(b > 0) ? "—" : `${(a / b).toFixed(2)}×`);
const signed = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : `${x >= 0 ? "+" : ""}${f(x)}`);
const bytes = (n: number | undefined) =>
  n === undefined ? "—" : n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} KB` : `${n} B`;
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const scenarios = HISTORIES.flatMap((spec) => REPLIES.map((reply) => ({ spec, reply, key: `${spec.id}/${reply.kind}` })));
const lat = (key: string, path: string) => lb.scenarios[key]?.paths[path];
const cpuW = (key: string, path: string) => lat(key, path)?.workerCpu;
const cpuN = (key: string, path: string) => ip.cpu[key]?.[path];

const out: string[] = [];
const say = (text = "") => out.push(text);

say("# gemini-relay benchmark");
say();
say(
  `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · Node ${meta.node} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"} · ` +
    `bench run ${meta.seconds.toFixed(0)} s${process.env.BENCH_QUICK === "1" ? " · **QUICK mode: too few iterations, figures are not meaningful**" : ""}. ` +
    "Upstream: the project's emulator, zero latency. Definitions: bench/README.md.",
);

// ---------------------------------------------------------------------------------------------
// Targets

interface Target {
  name: string;
  where: string;
  figure: string;
  pass: boolean;
}
const targets: Target[] = [];
const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 2 ** 20);
const worst = (xs: (number | undefined)[]) => (xs.some((x) => x === undefined || !Number.isFinite(x)) ? Number.NaN : Math.max(...(xs as number[])));

/** The two views of CPU per turn every CPU target is checked on. */
const cpuViews: [string, (key: string, path: string) => number | undefined][] = [
  ["workerd, process CPU (main thread)", (k, path) => cpuW(k, path)?.mainMs],
  ["Node in-process (p50)", (k, path) => cpuN(k, path)?.p50],
];
for (const id of ["1m", "10m"]) {
  const keys = REPLIES.map((r) => `${id}/${r.kind}`);
  for (const [where, cpu] of cpuViews) {
    const ofFloor = (path: string) => keys.map((k) => (cpu(k, path) ?? Number.NaN) / (cpu(k, "parse floor") ?? Number.NaN));
    const ratios = ofFloor("relay");
    const naive = ofFloor("naive relay");
    targets.push({
      name: `relay CPU ≤ parse floor, ${id === "1m" ? "1 MB" : "10 MB"}`,
      where,
      figure: ratios.map((x, i) => `${REPLIES[i]!.label} ${x.toFixed(2)}× (naive relay ${naive[i]!.toFixed(2)}×)`).join(", "),
      pass: worst(ratios) <= 1,
    });
  }
}
for (const [id, limit] of [
  ["8k", 1],
  ["1m", 5],
] as const) {
  const addedBy = (path: string) =>
    REPLIES.map((r) => (lat(`${id}/${r.kind}`, path)?.latency.p50 ?? Number.NaN) - (lat(`${id}/${r.kind}`, "direct")?.latency.p50 ?? Number.NaN));
  const added = addedBy("relay");
  const naive = addedBy("naive relay");
  targets.push({
    name: `p50 added latency over direct ≤ ${limit} ms, ${id === "8k" ? "8 KB" : "1 MB"}`,
    where: "loopback HTTP, workerd",
    figure: added.map((x, i) => `${REPLIES[i]!.label} ${signed(x)} ms (naive relay ${signed(naive[i])} ms)`).join(", "),
    pass: worst(added) <= limit,
  });
}
for (const [where, cpu] of cpuViews) {
  const ms = REPLIES.map((r) => cpu(`1m/${r.kind}`, "relay"));
  const naive = REPLIES.map((r) => cpu(`1m/${r.kind}`, "naive relay"));
  targets.push({
    name: "1 MB-history turn ≤ 10 ms CPU (free plan)",
    where,
    figure: ms.map((x, i) => `${REPLIES[i]!.label} ${f(x)} ms (naive relay ${f(naive[i])} ms)`).join(", "),
    pass: worst(ms) <= 10,
  });
}
/** A heap reading's peak as the targets count it: the V8 heap plus ArrayBuffers when workerd reports them. */
const heapPeak = (h: HeapAround | undefined) => h?.peakWithBuffers ?? h?.peakUsed;
const heapFigure = (h: HeapAround | undefined) =>
  h ? `peak ${f(mb(h.peakUsed))} MB V8 heap${h.peakWithBuffers !== undefined ? ` (${f(mb(h.peakWithBuffers))} MB with ArrayBuffers)` : ""}, ${h.samples} readings` : "—";
{
  const errors = REPLIES.reduce((sum, r) => sum + (lat(`10m/${r.kind}`, "relay")?.errors ?? 1) + (lat(`10m/${r.kind}`, "relay stream")?.errors ?? 1), 0);
  const wd = lb.inspect["10m"]?.heap;
  const naive = lb.inspectNaive?.["10m"]?.heap;
  targets.push({
    name: "10 MB turn ≤ 40 MB isolate heap",
    where: "workerd isolate, fresh, first turn (inspector readings during and right after it)",
    figure:
      `relay: ${heapFigure(wd)}; naive relay: ${heapFigure(naive)}; ` +
      `Node: the relay's turn completes in a ${lb.heap["10m"]?.fitsMb ?? "—"} MB V8 heap; ${errors} failed relay turns at 10 MB`,
    pass: errors === 0 && (heapPeak(wd) ?? Infinity) <= 40 * 2 ** 20,
  });
}
{
  const c = lb.concurrent;
  targets.push({
    name: `${c?.turns ?? 3} concurrent 10 MB turns in one isolate, all complete`,
    where: "one fresh workerd relay isolate (inspector) + the same turns in a Node worker with a 128 MB V8 heap cap",
    figure: c
      ? `workerd: ${c.completed}/${c.turns} completed, ${heapFigure(c.heap)}; Node, 128 MB cap: ${c.nodeCapped128 ? "all completed" : "did not complete"}${c.error ? `; ${c.error}` : ""}`
      : "not run",
    pass: c !== undefined && c.completed === c.turns && (heapPeak(c.heap) ?? Infinity) < 128 * 2 ** 20 && c.nodeCapped128,
  });
}
{
  // What the relay adds to the first event's trip (its lag minus the direct caller's, which is the
  // same upstream write reaching the caller without the relay).
  const added = HISTORIES.map((h) =>
    worst(REPLIES.map((r) => (lb.lag[`${h.id}/${r.kind}`]?.relayLag.p50 ?? Number.NaN) - (lb.lag[`${h.id}/${r.kind}`]?.directLag.p50 ?? Number.NaN))),
  );
  targets.push({
    name: "first streamed event ≤ 1 ms after the upstream's",
    where: "loopback HTTP, workerd relay, p50 lag − direct lag",
    figure: HISTORIES.map((h, i) => `${h.id} ${signed(added[i])} ms`).join(", "),
    pass: worst(added) <= 1,
  });
}

say();
say("## Targets");
say();
say(table(["target", "measured where", "figure", "result"], targets.map((t) => [t.name, t.where, t.figure, t.pass ? "**PASS**" : "**MISS**"])));

// ---------------------------------------------------------------------------------------------
// Payloads

say();
say("## Payloads");
say();
say(
  table(
    ["history", "steps to upstream", "`input` JSON", "relay request", "relay response (text reply)"],
    HISTORIES.map((h) => [
      h.label,
      String(h.steps),
      bytes(ip.inputBytes[h.id]),
      bytes(ip.requestBytes[`${h.id}/text`]),
      bytes(ip.responseBytes[`${h.id}/text`]?.relay),
    ]),
  ),
);
say();
say("Replies: **text** = one model_output text step; **thought+call** = a signed thought + a function_call (status requires_action).");

// ---------------------------------------------------------------------------------------------
// Latency

say();
say("## Latency per turn, concurrency 1 (ms, p50 / p99; loopback HTTP, workers in workerd)");
say();
say(
  "`direct` is absolute; the other columns are **added over direct** (stream columns: over direct stream). Ratios are of the p50 added latency " +
    "(— where the floor's added latency is within noise: under 0.2 ms or 2 % of direct). n = turns per path; with n < 100, p99 is the maximum.",
);
say();
const cell = (s: Summary | undefined) => (s ? `${f(s.p50)} / ${f(s.p99)}` : "—");
const addedCell = (a: Summary | undefined, b: Summary | undefined) => (a && b ? `${signed(a.p50 - b.p50)} / ${signed(a.p99 - b.p99)}` : "—");
say(
  table(
    ["history", "reply", "n", "direct", "floor", "parse floor", "naive relay", "relay", "relay/floor", "relay/parse floor", "relay/naive", "direct stream", "relay stream"],
    scenarios.map(({ spec, reply, key }) => {
      const d = lat(key, "direct")?.latency;
      const ds = lat(key, "direct stream")?.latency;
      const added = (path: string) => (lat(key, path)?.latency.p50 ?? Number.NaN) - (d?.p50 ?? Number.NaN);
      // A ratio over an added latency that is within noise means nothing: shown only above 0.2 ms and 2 % of direct.
      const significant = (x: number) => (x > Math.max(0.2, 0.02 * (d?.p50 ?? 0)) ? x : undefined);
      const errs = ["direct", "floor", "parse floor", "naive relay", "relay", "direct stream", "relay stream"].reduce((s, p) => s + (lat(key, p)?.errors ?? 0), 0);
      return [
        spec.label,
        reply.label,
        `${d?.n ?? "—"}${errs ? ` (${errs} failed)` : ""}`,
        cell(d),
        addedCell(lat(key, "floor")?.latency, d),
        addedCell(lat(key, "parse floor")?.latency, d),
        addedCell(lat(key, "naive relay")?.latency, d),
        addedCell(lat(key, "relay")?.latency, d),
        ratio(added("relay"), significant(added("floor"))),
        ratio(added("relay"), significant(added("parse floor"))),
        ratio(added("relay"), significant(added("naive relay"))),
        cell(ds),
        addedCell(lat(key, "relay stream")?.latency, ds),
      ];
    }),
  ),
);

// ---------------------------------------------------------------------------------------------
// CPU

say();
say("## CPU per turn (ms)");
say();
say("**workerd**: CPU of the worker's own workerd process per turn (kernel schedstat), main thread (all threads in parentheses); the emulator runs in another process and is not included. Mean over the measured turns.");
say();
const wc = (c: CpuTimes | undefined) => (c ? `${f(c.mainMs)} (${f(c.allMs)})` : "—");
say(
  table(
    ["history", "reply", "floor", "parse floor", "naive relay", "relay", "relay stream", "relay/floor", "relay/parse floor", "relay/naive", "upstream (emulator)"],
    scenarios.map(({ spec, reply, key }) => [
      spec.label,
      reply.label,
      wc(cpuW(key, "floor")),
      wc(cpuW(key, "parse floor")),
      wc(cpuW(key, "naive relay")),
      wc(cpuW(key, "relay")),
      wc(cpuW(key, "relay stream")),
      ratio(cpuW(key, "relay")?.mainMs, cpuW(key, "floor")?.mainMs),
      ratio(cpuW(key, "relay")?.mainMs, cpuW(key, "parse floor")?.mainMs),
      ratio(cpuW(key, "relay")?.mainMs, cpuW(key, "naive relay")?.mainMs),
      f(lat(key, "relay")?.emulatorCpu.mainMs),
    ]),
  ),
);
say();
say("**Node in-process**: the same bundle on Node 20, upstream (in-process emulator) time subtracted; p50 (p99). `direct` = the SDK client's own work.");
say();
const nc = (s: Summary | undefined) => (s ? `${f(s.p50)} (${f(s.p99)})` : "—");
say(
  table(
    ["history", "reply", "n", "direct (SDK)", "floor", "parse floor", "naive relay", "relay", "relay stream", "relay/floor", "relay/parse floor", "relay/naive"],
    scenarios.map(({ spec, reply, key }) => [
      spec.label,
      reply.label,
      String(cpuN(key, "relay")?.n ?? "—"),
      nc(cpuN(key, "direct")),
      nc(cpuN(key, "floor")),
      nc(cpuN(key, "parse floor")),
      nc(cpuN(key, "naive relay")),
      nc(cpuN(key, "relay")),
      nc(cpuN(key, "relay stream")),
      ratio(cpuN(key, "relay")?.p50, cpuN(key, "floor")?.p50),
      ratio(cpuN(key, "relay")?.p50, cpuN(key, "parse floor")?.p50),
      ratio(cpuN(key, "relay")?.p50, cpuN(key, "naive relay")?.p50),
    ]),
  ),
);

// ---------------------------------------------------------------------------------------------
// Streaming

say();
say("## Streaming (ms)");
say();
say(
  "Time to first event: request start → first SSE event at the caller (loopback, workerd emulator), p50. " +
    "Lag: the caller's first event − the upstream's first SSE write, on one clock (emulator served by the bench's Node process), p50 / p99.",
);
say();
say(
  table(
    ["history", "reply", "first event: direct stream", "first event: relay stream", "added", "lag: direct", "lag: relay"],
    scenarios.map(({ spec, reply, key }) => {
      const d = lat(key, "direct stream")?.firstEvent;
      const r = lat(key, "relay stream")?.firstEvent;
      return [
        spec.label,
        reply.label,
        f(d?.p50),
        f(r?.p50),
        signed((r?.p50 ?? Number.NaN) - (d?.p50 ?? Number.NaN)),
        cell(lb.lag[key]?.directLag),
        `${cell(lb.lag[key]?.relayLag)}${lb.lag[key]?.errors ? ` (${lb.lag[key]!.errors} failed rounds)` : ""}`,
      ];
    }),
  ),
);

// ---------------------------------------------------------------------------------------------
// Memory

say();
say("## Memory (MB)");
say();
say(
  "**workerd**: an isolate's V8 heap (inspector `Runtime.getHeapUsage`) around its first turn, from a fresh isolate: " +
    "the peak is the largest reading polled during the turn and right after it (a lower bound: V8 may collect between readings; " +
    "used includes uncollected garbage), \"+ buffers\" adds ArrayBuffer backing stores (request and response bytes live there), " +
    "committed is what V8 grew the heap to by the end. " +
    "**Node**: the smallest V8 heap (old-generation cap + 16 MB young, worker thread, 8 MB steps) one relay turn completes in (Node's own baseline included). " +
    `**RSS**: peak RSS of the relay's workerd over all its concurrency-1 turns minus its idle ${f(lb.idleRss.relay)} MB: an upper bound (garbage of many turns, allocator slack). Text reply.`,
);
say();
const peakCell = (h: HeapAround | undefined) =>
  h ? `${f(mb(h.before.usedSize))} → ${f(mb(h.peakUsed))}${h.peakWithBuffers !== undefined ? ` (${f(mb(h.peakWithBuffers))})` : ""}` : "—";
say(
  table(
    ["history", "relay: heap fresh → peak used (+ buffers)", "relay: used / committed after", "naive relay: fresh → peak used (+ buffers)", "Node: relay fits in V8 heap", "relay workerd RSS growth"],
    HISTORIES.map((h) => {
      const heap = lb.inspect[h.id]?.heap;
      return [
        h.label,
        peakCell(heap),
        heap ? `${f(mb(heap.after.usedSize))} / ${f(mb(heap.after.totalSize))}` : "—",
        peakCell(lb.inspectNaive?.[h.id]?.heap),
        lb.heap[h.id] ? (lb.heap[h.id]!.fitsMb === null ? "> 1024" : `${lb.heap[h.id]!.fitsMb}`) : "—",
        f((lb.scenarios[`${h.id}/text`]?.peakRss.relay ?? Number.NaN) - (lb.idleRss.relay ?? Number.NaN)),
      ];
    }),
  ),
);
say();
if (lb.concurrent) {
  const c = lb.concurrent;
  say(
    `**${c.turns} concurrent 10 MB turns** (text reply) sent at once to one fresh relay isolate in workerd: ${c.completed}/${c.turns} completed; ` +
      `heap ${peakCell(c.heap)} MB (fresh → peak used (+ buffers)), ${c.heap ? `${f(mb(c.heap.after.totalSize))} MB committed after` : "—"}. ` +
      `The same ${c.turns} turns in a Node worker thread with a 128 MB V8 heap cap: ${c.nodeCapped128 ? "all completed" : "did not all complete"}.` +
      (c.error ? ` (${c.error})` : ""),
  );
  say();
}

// ---------------------------------------------------------------------------------------------
// Throughput

say();
say("## Throughput (turns/s, text reply, closed loop; caller, worker and emulator share the machine's cores)");
say();
say("6-10 MB histories at concurrency 16/64 are not run: 0.1-0.6 GB of history in flight in one isolate, far past its 128 MB.");
say();
const conc = ["1", "16", "64"];
const tpPaths = ["direct", "floor", "parse floor", "naive relay", "relay"];
say(
  table(
    ["history", "path", ...conc.map((c) => `c=${c}`), "/ direct"],
    HISTORIES.flatMap((h) =>
      tpPaths.map((path) => {
        const row = lb.throughput[h.id]?.[path];
        return [
          h.label,
          path,
          ...conc.map((c) => {
            const x = row?.[c];
            return x ? `${f(x.perSecond)}${x.errors ? ` (${x.errors} failed)` : ""}` : "—";
          }),
          path.endsWith("relay")
            ? conc.map((c) => ratio(row?.[c]?.perSecond, lb.throughput[h.id]?.direct?.[c]?.perSecond)).join(" · ")
            : "",
        ];
      }),
    ),
  ),
);

// ---------------------------------------------------------------------------------------------
// Bundle and startup

say();
say("## Bundle and startup");
say();
const st = lb.startup ?? {};
say(
  table(
    ["figure", "value"],
    [
      ["bundle (wrangler deploy --dry-run, Total Upload)", `${meta.bundle.rawKiB} KiB raw / ${meta.bundle.gzipKiB} KiB gzip`],
      ["startup CPU (wrangler check startup, sampled, non-idle)", typeof st.checkStartupMs === "number" ? `${f(st.checkStartupMs)} ms` : String(st.checkStartupError ?? "—")],
      [
        "workerd cold start, relay − one-line worker (median of 3)",
        typeof st.relayReadyMs === "number"
          ? `${f(st.relayReadyMs - (st.trivialReadyMs as number))} ms (relay ${f(st.relayReadyMs)}, one-line worker ${f(st.trivialReadyMs as number)}; spawn + config + compile + top level)`
          : "—",
      ],
      [
        "first request after a cold start (GET /healthz)",
        typeof st.relayFirstMs === "number" ? `relay ${f(st.relayFirstMs)} ms, one-line worker ${f(st.trivialFirstMs as number)} ms` : "—",
      ],
    ],
  ),
);

// ---------------------------------------------------------------------------------------------
// Profile

say();
say("## Where the relay's time goes");
say();
for (const [id, inspected] of Object.entries(lb.inspect ?? {})) {
  const label = HISTORIES.find((h) => h.id === id)!.label;
  if (inspected.error) {
    say(`(workerd inspector ${id} failed: ${inspected.error})`);
    say();
    continue;
  }
  const profile = inspected.profile;
  if (!profile) continue;
  say(
    `**workerd**, V8 CPU profile of relay turns (inspector, 100 µs sampling), ${label}, text reply: self time by source module of the bundle ` +
      `(${f(profile.totalMs)} ms sampled per turn over ${profile.turns} turns: the profiler inflates absolute times, read the shares; ` +
      "native calls such as JSON.parse/stringify are charged to their JS caller, not always precisely).",
  );
  say();
  say(
    table(
      ["module", "ms / turn", "share"],
      profile.groups.filter((g) => g.ms >= 0.01 * profile.totalMs).map((g) => [g.name, f(g.ms), `${((100 * g.ms) / profile.totalMs).toFixed(0)} %`]),
    ),
  );
  say();
  say(`Top functions (self ms / turn): ${profile.top.slice(0, 10).map((t) => `${t.name} ${f(t.ms)}`).join("; ")}.`);
  say();
}
const micro = lb.micro ?? {};
const microIds = Object.keys(micro);
if (microIds.length > 0) {
  say(
    "**workerd micro-costs**: CPU (main thread) of a one-line worker doing one operation on the relay's own request body per request, " +
      "minus the baseline of receiving that body (`micro-worker.ts`); ms per turn-sized body:",
  );
  say();
  const m = (id: string, op: string) => micro[id]?.[op] ?? Number.NaN;
  const rows: [string, (id: string) => number][] = [
    ["receive the body and answer (baseline)", (id) => m(id, "drain")],
    ["`await request.text()`", (id) => m(id, "text") - m(id, "drain")],
    ["reader loop + concat + decode (the relay's src/body.ts)", (id) => m(id, "chunks") - m(id, "drain")],
    ["`JSON.parse`", (id) => m(id, "parse") - m(id, "text")],
    ["the relay's structural scan (src/json/scan.ts; on the bytes)", (id) => m(id, "scan") - m(id, "drain")],
    ["the relay's request check `parseTurn` (scan + JSON.parse per step + guards; on the bytes)", (id) => m(id, "validate") - m(id, "drain")],
    ["`JSON.stringify` of the parsed body", (id) => m(id, "stringify") - m(id, "parse")],
    ["send the body back as the response", (id) => m(id, "respond") - m(id, "text")],
    ["send it through a JS pass-through stream (the relay's src/observe.ts)", (id) => m(id, "respond-piped") - m(id, "text")],
  ];
  const microLabel = (id: string) => (id === "1m-ascii" ? "1 MB, ASCII-only text" : HISTORIES.find((h) => h.id === id)!.label);
  say(table(["operation", ...microIds.map(microLabel)], rows.map(([name, fn]) => [name, ...microIds.map((id) => f(fn(id)))])));
  say();
  say("(The bench's histories hold some non-ASCII text, as real chats do; one such character makes V8 hold the whole body as a two-byte string. The ASCII-only column is the same body with those characters replaced.)");
  say();
}
say(
  "**Node in-process**, the relay's own stages timed one by one on the same payload (text reply, median ms), with the relay's modules as its route calls them; " +
    "the rest of the whole turn (receiving the body, auth, logging, assembling the upstream body, the SDK call, the Response) is whole − stages:",
);
say();
const bIds = Object.keys(ip.breakdown);
const okBreakdown = bIds.filter((id) => "stages" in ip.breakdown[id]!) as string[];
if (okBreakdown.length > 0) {
  const first = ip.breakdown[okBreakdown[0]!] as { stages: Stage[]; parseFloorMs: number };
  const wholeTurn = (id: string) => cpuN(`${id}/text`, "relay")?.p50 ?? Number.NaN;
  const stagesSum = (id: string) => (ip.breakdown[id] as { stages: Stage[] }).stages.reduce((sum, stage) => sum + stage.ms, 0);
  say(
    table(
      ["stage", ...okBreakdown.map((id) => HISTORIES.find((h) => h.id === id)!.label)],
      [
        ...first.stages.map((stage, i) => [stage.name, ...okBreakdown.map((id) => f((ip.breakdown[id] as { stages: Stage[] }).stages[i]?.ms))]),
        ["rest of the turn (whole − stages)", ...okBreakdown.map((id) => f(wholeTurn(id) - stagesSum(id)))],
        ["**the whole relay turn** (CPU table above, p50)", ...okBreakdown.map((id) => f(wholeTurn(id)))],
        ["**the parse floor's work** (decode, parse, stringify, encode)", ...okBreakdown.map((id) => f((ip.breakdown[id] as { parseFloorMs: number }).parseFloorMs))],
      ],
    ),
  );
}
for (const id of bIds.filter((id) => "error" in ip.breakdown[id]!)) say(`(breakdown ${id} failed: ${(ip.breakdown[id] as { error: string }).error})`);

if (lb.leftover && lb.leftover.length > 0) {
  say();
  say(`Warning: ${lb.leftover.length} workerd process(es) outlived their Miniflare and were killed: ${lb.leftover.join(", ")}.`);
}

const markdown = `${out.join("\n")}\n`;
writeFileSync(`${dir}/results.md`, markdown);
process.stdout.write(markdown);

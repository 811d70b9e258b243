/** The report's tables of figures, one function per section (what each figure means: bench/README.md). */
import { HISTORIES } from "./payloads";
import type { HeapAround } from "./inspector";
import type { CpuTimes } from "./procfs";
import type { StartupResult } from "./startup";
import type { Summary } from "./stats";
import { ATTESTATION_TARGET, attestationAdded, cpuN, cpuW, ip, lat, lb, meta, scenarios } from "./report-data";
import { bytes, cell, f, mb, percent, ratio, say, sayProfileShares, signed, signedPercent, table } from "./report-format";

/** The payloads' sizes. */
export function sayPayloads(): void {
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
}

/** Latency per turn at concurrency 1, added over direct. */
export function sayLatency(): void {
  say();
  say("## Latency per turn, concurrency 1 (ms, p50 / p99; loopback HTTP, workers in workerd)");
  say();
  say(
    "`direct` is absolute; the other columns are **added over direct** (stream columns: over direct stream). Ratios are of the p50 added latency " +
      "(— where the floor's added latency is within noise: under 0.2 ms or 2 % of direct). n = turns per path; with n < 100, p99 is the maximum.",
  );
  say();
  const addedCell = (a: Summary | undefined, b: Summary | undefined) =>
    a && b ? `${signed(a.p50 - b.p50)} / ${signed(a.p99 - b.p99)}` : "—";
  say(
    table(
      [
        "history",
        "reply",
        "n",
        "direct",
        "floor",
        "parse floor",
        "naive relay",
        "relay",
        "relay/floor",
        "relay/parse floor",
        "relay/naive",
        "direct stream",
        "relay stream",
      ],
      scenarios.map(({ spec, reply, key }) => {
        const d = lat(key, "direct")?.latency;
        const ds = lat(key, "direct stream")?.latency;
        const added = (path: string) => (lat(key, path)?.latency.p50 ?? Number.NaN) - (d?.p50 ?? Number.NaN);
        // A ratio over an added latency that is within noise means nothing: shown only above 0.2 ms and 2 % of direct.
        const significant = (x: number) => (x > Math.max(0.2, 0.02 * (d?.p50 ?? 0)) ? x : undefined);
        const errs = ["direct", "floor", "parse floor", "naive relay", "relay", "direct stream", "relay stream"].reduce(
          (s, p) => s + (lat(key, p)?.errors ?? 0),
          0,
        );
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
}

/** CPU per turn: workerd process CPU and Node in-process. */
export function sayCpu(): void {
  say();
  say("## CPU per turn (ms)");
  say();
  say(
    "**workerd**: CPU of the worker's own workerd process per turn (kernel schedstat), main thread (all threads in parentheses); the emulator runs in another process and is not included. Mean over the measured turns, each worker first warmed to its steady state (bench/README.md).",
  );
  say();
  const wc = (c: CpuTimes | undefined) => (c ? `${f(c.mainMs)} (${f(c.allMs)})` : "—");
  say(
    table(
      [
        "history",
        "reply",
        "floor",
        "parse floor",
        "naive relay",
        "relay",
        "relay stream",
        "relay/floor",
        "relay/parse floor",
        "relay/naive",
        "upstream (emulator)",
      ],
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
  say(
    "**Node in-process**: the same bundle on Node 20, upstream (in-process emulator) time subtracted; p50 (p99). `direct` = the SDK client's own work.",
  );
  say();
  const nc = (s: Summary | undefined) => (s ? `${f(s.p50)} (${f(s.p99)})` : "—");
  say(
    table(
      [
        "history",
        "reply",
        "n",
        "direct (SDK)",
        "floor",
        "parse floor",
        "naive relay",
        "relay",
        "relay stream",
        "relay/floor",
        "relay/parse floor",
        "relay/naive",
      ],
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
}

/** What TRANSCRIPT_KEYS adds to the relay's CPU per turn (issue 12's cost target). */
export function sayAttestation(): void {
  say();
  say("## Transcript integrity cost (workerd CPU per turn, ms)");
  say();
  say(
    "**The work**: the relay's own transcript check on the turn's own request, in one isolate, many times per request: with the attestation the relay returns " +
      "with that history (every model-authored step verified, then the history attested with this turn's reply) minus without it (verify mode: a warning, " +
      "no attestation); main-thread CPU read from outside, median of 7 rounds (the range in brackets). **The turn**: one relay with `TRANSCRIPT_KEYS` set " +
      "(verify mode) gets the same turn two ways, alternating one turn at a time, without the history's attestation (the work of the relay without keys) and " +
      "with it, in the same isolate, after warming it to its steady state (until a block of 10 turns faults in under 256 KiB of new memory per turn; " +
      "at most the warm-up shown); main-thread CPU per turn, read after a short settle; medians. The target is the work over the turn without attestation. " +
      "The end-to-end difference is shown too, but at 10 MB it is noise: the same turn sent both ways read from -17 % to +31 % across processes.",
  );
  say();
  say(
    table(
      [
        "history",
        "reply",
        "turns of each",
        "warm-up turns",
        "turn without attestation",
        "verify + attest, in one isolate",
        "added %",
        `≤ ${percent(ATTESTATION_TARGET)}`,
        "turn with attestation (end to end)",
        "end-to-end difference",
      ],
      scenarios
        .filter(({ key }) => lb.attestation?.[key])
        .map(({ spec, reply, key }) => {
          const a = lb.attestation![key]!;
          const added = attestationAdded(key);
          return [
            spec.label,
            reply.label,
            `${a.turns}${a.errors ? ` (${a.errors} failed)` : ""}`,
            `≤ ${a.warmup}${a.steady ? "" : " (not steady)"}`,
            f(a.plainMs),
            `${f(a.workMs)} (${f(a.workRange[0])}-${f(a.workRange[1])})`,
            signedPercent(added),
            added !== undefined && added <= ATTESTATION_TARGET ? "PASS" : "MISS",
            f(a.attestedMs),
            `${signed(a.attestedMs - a.plainMs)} (${signedPercent(a.attestedMs / a.plainMs - 1)})`,
          ];
        }),
    ),
  );
}
/** Streaming: time to first event and lag behind the upstream. */
export function sayStreaming(): void {
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
}

/** Memory: isolate heap, Node heap cap, RSS, concurrent 10 MB turns. */
export function sayMemory(): void {
  say();
  say("## Memory (MB)");
  say();
  say(
    "**workerd**: an isolate's V8 heap (inspector `Runtime.getHeapUsage`) around its first turn, from a fresh isolate: " +
      "the peak is the largest reading polled during the turn and right after it (a lower bound: V8 may collect between readings; " +
      'used includes uncollected garbage), "+ buffers" adds ArrayBuffer backing stores (request and response bytes live there), ' +
      "committed is what V8 grew the heap to by the end. " +
      "**Node**: the smallest V8 heap (old-generation cap + 16 MB young, worker thread, 8 MB steps) one relay turn completes in (Node's own baseline included). " +
      `**RSS**: peak RSS of the relay's workerd over all its concurrency-1 turns minus its idle ${f(lb.idleRss.relay)} MB: an upper bound (garbage of many turns, allocator slack). Text reply.`,
  );
  say();
  const peakCell = (h: HeapAround | undefined) =>
    h
      ? `${f(mb(h.before.usedSize))} → ${f(mb(h.peakUsed))}${h.peakWithBuffers !== undefined ? ` (${f(mb(h.peakWithBuffers))})` : ""}`
      : "—";
  say(
    table(
      [
        "history",
        "relay: heap fresh → peak used (+ buffers)",
        "relay: used / committed after",
        "naive relay: fresh → peak used (+ buffers)",
        "Node: relay fits in V8 heap",
        "relay workerd RSS growth",
      ],
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
}

/** Throughput, closed loop. */
export function sayThroughput(): void {
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
}

/** Bundle size and startup. */
export function sayBundle(): void {
  say();
  say("## Bundle and startup");
  say();
  const st: Partial<StartupResult> = lb.startup ?? {};
  say(
    table(
      ["figure", "value"],
      [
        ["bundle (wrangler deploy --dry-run, Total Upload)", `${meta.bundle.rawKiB} KiB raw / ${meta.bundle.gzipKiB} KiB gzip`],
        [
          "startup CPU (wrangler check startup, sampled, non-idle)",
          typeof st.checkStartupMs === "number" ? `${f(st.checkStartupMs)} ms` : String(st.checkStartupError ?? "—"),
        ],
        [
          "workerd cold start, relay − one-line worker (median of 3)",
          typeof st.relayReadyMs === "number"
            ? `${f(st.relayReadyMs - (st.trivialReadyMs as number))} ms (relay ${f(st.relayReadyMs)}, one-line worker ${f(st.trivialReadyMs as number)}; spawn + config + compile + top level)`
            : "—",
        ],
        [
          "first request after a cold start (GET /healthz)",
          typeof st.relayFirstMs === "number"
            ? `relay ${f(st.relayFirstMs)} ms, one-line worker ${f(st.trivialFirstMs as number)} ms`
            : "—",
        ],
      ],
    ),
  );
  const parts = Object.entries(meta.bundle.parts ?? {}).sort(([, a], [, b]) => b - a);
  if (parts.length) {
    say();
    say(
      "**What the bundle holds** (raw KiB in the output, from esbuild's metafile; why each dependency is there: the README's \"What the Worker carries\"):",
    );
    say();
    say(
      table(
        ["part", "KiB raw"],
        parts.map(([part, kib]) => [part, f(kib)]),
      ),
    );
  }
  const profile = st.profile;
  if (profile) {
    say();
    say(
      `**Where startup CPU goes**: \`wrangler check startup\`'s profiles (1 ms sampling, ${profile.turns} runs), self time by module of the relay bundle, ` +
        `ms per startup (${f(profile.totalMs)} ms sampled; at 1 ms sampling a module under ~1 ms is a guess). ` +
        "A module's top level is what runs here: schemas built, tables filled, classes defined.",
    );
    say();
    sayProfileShares(profile, "startup", 0.02, 8);
  }
}

/** "Where the relay's time goes": the workerd CPU profile by module, workerd micro-costs, and the Node stages. */
import { HISTORIES } from "./payloads";
import { cpuN, ip, lb, type Stage } from "./report-data";
import { f, say, sayProfileShares, table } from "./report-format";

/** The profile section. */
export function sayProfile(): void {
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
    const kinds = [
      ["text reply", inspected.profile],
      ["text reply, **streamed** (SSE read to the end)", inspected.streamProfile],
    ] as const;
    for (const [kind, profile] of kinds) {
      if (!profile) continue;
      say(
        `**workerd**, V8 CPU profile of relay turns (inspector, 100 µs sampling), ${label}, ${kind}: self time by source module of the bundle ` +
          `(${f(profile.totalMs)} ms sampled per turn over ${profile.turns} turns: the profiler inflates absolute times, read the shares; ` +
          "native calls such as JSON.parse/stringify are charged to their JS caller, not always precisely).",
      );
      say();
      sayProfileShares(profile, "turn", 0.01, 10);
      say();
    }
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
      ["reader loop + concat + decode (the relay's src/http/body.ts)", (id) => m(id, "chunks") - m(id, "drain")],
      ["`JSON.parse`", (id) => m(id, "parse") - m(id, "text")],
      ["the relay's structural scan (src/json/scan.ts; on the bytes)", (id) => m(id, "scan") - m(id, "drain")],
      [
        "the relay's request check `parseTurn` (scan + JSON.parse per step + guards; on the bytes)",
        (id) => m(id, "validate") - m(id, "drain"),
      ],
      ["`JSON.stringify` of the parsed body", (id) => m(id, "stringify") - m(id, "parse")],
      ["send the body back as the response", (id) => m(id, "respond") - m(id, "text")],
      ["send it through a JS pass-through stream (the relay's src/http/observe.ts)", (id) => m(id, "respond-piped") - m(id, "text")],
    ];
    const microLabel = (id: string) => (id === "1m-ascii" ? "1 MB, ASCII-only text" : HISTORIES.find((h) => h.id === id)!.label);
    say(
      table(
        ["operation", ...microIds.map(microLabel)],
        rows.map(([name, fn]) => [name, ...microIds.map((id) => f(fn(id)))]),
      ),
    );
    say();
    say(
      "(The bench's histories hold some non-ASCII text, as real chats do; one such character makes V8 hold the whole body as a two-byte string. The ASCII-only column is the same body with those characters replaced.)",
    );
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
          ...first.stages.map((stage, i) => [
            stage.name,
            ...okBreakdown.map((id) => f((ip.breakdown[id] as { stages: Stage[] }).stages[i]?.ms)),
          ]),
          ["rest of the turn (whole − stages)", ...okBreakdown.map((id) => f(wholeTurn(id) - stagesSum(id)))],
          ["**the whole relay turn** (CPU table above, p50)", ...okBreakdown.map((id) => f(wholeTurn(id)))],
          [
            "**the parse floor's work** (decode, parse, stringify, encode)",
            ...okBreakdown.map((id) => f((ip.breakdown[id] as { parseFloorMs: number }).parseFloorMs)),
          ],
        ],
      ),
    );
  }
  for (const id of bIds.filter((id) => "error" in ip.breakdown[id]!))
    say(`(breakdown ${id} failed: ${(ip.breakdown[id] as { error: string }).error})`);
}

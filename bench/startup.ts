/** Startup: workerd cold start and first request, the relay against a one-line worker, and wrangler check startup. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { RELAY_BINDINGS } from "./payloads";
import { summarizeProfile, type CpuProfile, type ProfileSummary } from "./profile";
import { summarize } from "./stats";
import { buildDir, quick, relayBundle, serve, stop } from "./workerd";

function median(xs: number[]): number {
  return summarize(xs).p50;
}

const TRIVIAL_WORKER = "export default { fetch() { return new Response('ok'); } };";

export interface StartupResult {
  trivialReadyMs: number;
  relayReadyMs: number;
  trivialFirstMs: number;
  relayFirstMs: number;
  /** wrangler check startup: median non-idle CPU sampled while workerd evaluates the bundle. */
  checkStartupMs?: number;
  checkStartupError?: string;
  /** Where that CPU goes, by module of the relay bundle (ms per startup). */
  profile?: ProfileSummary;
}

export async function startup(): Promise<StartupResult> {
  // workerd cold start (spawn, config, compile and evaluate the bundle) and the first request
  // (anything built lazily), the relay against a one-line worker; medians of 3.
  const trivialFile = `${buildDir}/trivial.mjs`;
  writeFileSync(trivialFile, TRIVIAL_WORKER);
  const times: Record<string, { ready: number[]; first: number[] }> = {
    trivial: { ready: [], first: [] },
    relay: { ready: [], first: [] },
  };
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    for (const [name, file] of [
      ["trivial", trivialFile],
      ["relay", relayBundle],
    ] as const) {
      let t = performance.now();
      const served = await serve(`startup-${name}`, file, { ...RELAY_BINDINGS, GEMINI_BASE_URL: "http://127.0.0.1:9" });
      times[name]!.ready.push(performance.now() - t);
      t = performance.now();
      await (await fetch(`${served.url}/healthz`)).text();
      times[name]!.first.push(performance.now() - t);
      await stop(served);
    }
  }
  const result: StartupResult = {
    trivialReadyMs: median(times.trivial!.ready),
    relayReadyMs: median(times.relay!.ready),
    trivialFirstMs: median(times.trivial!.first),
    relayFirstMs: median(times.relay!.first),
  };

  // Wrangler's own startup profile (the CPU sampled while workerd evaluates the bundle, 1 ms
  // sampling), three times: the median busy time is the figure, and the samples of all three,
  // grouped by the relay bundle's modules (wrangler builds the same file as deploy --dry-run, so its
  // line numbers name them), say where it goes.
  const profileFile = `${buildDir}/startup.cpuprofile`;
  const busy: number[] = [];
  const profiles: CpuProfile[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const check = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "check", "startup", "--outfile", profileFile], {
      encoding: "utf8",
      env: process.env,
      timeout: 60_000,
    });
    try {
      if (check.status !== 0) throw new Error(`exit ${check.status}`);
      const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
      const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
      let us = 0;
      profile.samples.forEach((id, i) => {
        if (!idle.has(id)) us += profile.timeDeltas[i] ?? 0;
      });
      busy.push(us / 1000);
      profiles.push(profile);
    } catch (err) {
      result.checkStartupError = `wrangler check startup failed: ${String((err as Error).message)} ${check.stderr?.slice(-300) ?? ""}`;
      break;
    }
  }
  if (busy.length > 0 && result.checkStartupError === undefined) {
    result.checkStartupMs = median(busy);
    result.profile = summarizeProfile(
      mergeProfiles(profiles),
      relayBundle,
      (url) => url.endsWith("index.js"),
      (url, functionName) => (url ? url.replace(/^.*\//, "") : functionName || "(runtime)"),
      profiles.length,
    );
  }
  return result;
}

/** Several profiles as one: node ids made distinct, samples and their times concatenated. */
function mergeProfiles(profiles: CpuProfile[]): CpuProfile {
  const merged: CpuProfile = { nodes: [], samples: [], timeDeltas: [] };
  let offset = 0;
  for (const profile of profiles) {
    merged.nodes.push(...profile.nodes.map((node) => ({ ...node, id: node.id + offset })));
    merged.samples.push(...profile.samples.map((id) => id + offset));
    merged.timeDeltas.push(...profile.timeDeltas);
    offset += Math.max(0, ...profile.nodes.map((node) => node.id));
  }
  return merged;
}

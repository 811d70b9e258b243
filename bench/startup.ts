/** Startup: workerd cold start and first request, the relay against a one-line worker, and wrangler check startup. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { RELAY_BINDINGS } from "./payloads";
import type { CpuProfile } from "./profile";
import { summarize } from "./stats";
import { buildDir, quick, relayBundle, serve, stop } from "./workerd";

function median(xs: number[]): number {
  return summarize(xs).p50;
}

const TRIVIAL_WORKER = "export default { fetch() { return new Response('ok'); } };";

export async function startup(): Promise<Record<string, number | string>> {
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
  const result: Record<string, number | string> = {
    trivialReadyMs: median(times.trivial!.ready),
    relayReadyMs: median(times.relay!.ready),
    trivialFirstMs: median(times.trivial!.first),
    relayFirstMs: median(times.relay!.first),
  };

  // Wrangler's own startup profile (the CPU sampled while workerd evaluates the bundle).
  const profileFile = `${buildDir}/startup.cpuprofile`;
  const check = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "check", "startup", "--outfile", profileFile], {
    encoding: "utf8",
    env: process.env,
    timeout: 60_000,
  });
  try {
    if (check.status !== 0) throw new Error(`exit ${check.status}`);
    const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    let busy = 0;
    profile.samples.forEach((id, i) => {
      if (!idle.has(id)) busy += profile.timeDeltas[i] ?? 0;
    });
    result.checkStartupMs = busy / 1000;
  } catch (err) {
    result.checkStartupError = `wrangler check startup failed: ${String((err as Error).message)} ${check.stderr?.slice(-300) ?? ""}`;
  }
  return result;
}

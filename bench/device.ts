/**
 * A device that keeps its transcript (issue 21), in-process on Node (run with --expose-gc): the bytes
 * one text-reply turn moves up and down with each history size, full vs minimal response
 * (`Prefer: return=minimal`) and identity vs gzip upload; and the client's CPU to take in the
 * answer: Transcript.append of the minimal body vs of the full body vs the JSON.parse of the full
 * body a client without a Transcript does.
 *
 * Bytes are deterministic: the bench's own turn (payloads.ts, the text prompt) is sent through the
 * relay bundle `wrangler deploy --dry-run` built, with the emulator as the global fetch, and the
 * bodies are counted (headers are not). The gzip is the client's own (packages/client/dist:
 * CompressionStream, default level), and the relay is sent that body to prove it accepts it.
 */
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { streamCompressor } from "../packages/client/dist/compress.js";
import { Transcript } from "../packages/client/dist/index.js";
import { webCryptoSha256 } from "../packages/client/dist/transcript.js";
import { DEVICE_HISTORIES, type DeviceFigures, type DeviceResult } from "./device-targets";
import { benchEmulator } from "./emulator-worker";
import { HISTORIES, RELAY_BINDINGS, RELAY_HEADERS, payload } from "./payloads";
import { progress, summarize } from "./stats";

const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
const outFile = process.env.BENCH_OUT!;
const quick = process.env.BENCH_QUICK === "1";
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const UPSTREAM = "http://emulator.local";

const emulator = benchEmulator();
globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) =>
  emulator(new Request(input as RequestInfo, init ? ({ ...init, duplex: "half" } as RequestInit) : undefined))) as typeof fetch;

type Handler = { fetch(request: Request, env: Record<string, string>, ctx?: unknown): Response | Promise<Response> };
const relay = ((await import(relayBundle)) as { default: Handler }).default;
const relayEnv = { ...RELAY_BINDINGS, GEMINI_BASE_URL: UPSTREAM };
const compress = streamCompressor();
if (!compress) throw new Error("no CompressionStream in this Node: the client would not gzip");

/** One turn through the relay; the response body's bytes (checked: 200, and the preference applied when asked). */
async function send(body: Uint8Array, options: { minimal: boolean; gzip: boolean }): Promise<Uint8Array> {
  const headers: Record<string, string> = { ...RELAY_HEADERS };
  if (options.minimal) headers.prefer = "return=minimal";
  if (options.gzip) headers["content-encoding"] = "gzip";
  const response = await relay.fetch(new Request("http://relay.local/v1/turns", { method: "POST", headers, body }), relayEnv, {});
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`relay ${response.status}: ${new TextDecoder().decode(bytes).slice(0, 300)}`);
  if (options.minimal && response.headers.get("preference-applied") !== "return=minimal")
    throw new Error("the relay did not apply return=minimal");
  return bytes;
}

/** This process's CPU time in ms (user + system, all threads: WebCrypto's digest runs off the main thread). */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function plan(id: string): { warmup: number; runs: number } {
  if (quick) return id === "10m" ? { warmup: 1, runs: 2 } : { warmup: 2, runs: 5 };
  if (id === "8k") return { warmup: 30, runs: 200 };
  if (id === "1m") return { warmup: 3, runs: 30 };
  return { warmup: 1, runs: 7 };
}

async function measure(id: string): Promise<DeviceFigures> {
  const spec = HISTORIES.find((h) => h.id === id)!;
  const p = await payload(spec, "text");
  const encoder = new TextEncoder();
  const identity = encoder.encode(JSON.stringify(p.turn));
  const streamed = encoder.encode(JSON.stringify({ ...p.turn, stream: true }));
  const gzip = await compress!(identity);

  const full = await send(identity, { minimal: false, gzip: false });
  const minimal = await send(identity, { minimal: true, gzip: false });
  const fullStream = await send(streamed, { minimal: false, gzip: false });
  const minimalStream = await send(streamed, { minimal: true, gzip: false });
  const minimalGzipped = await send(gzip, { minimal: true, gzip: true });
  if (minimalGzipped.byteLength !== minimal.byteLength) throw new Error("the gzipped upload got a different answer");

  // The client's side: the transcript it sent, and the two answers as text (what res.text() gives).
  const decoder = new TextDecoder();
  const fullText = decoder.decode(full);
  const minimalText = decoder.decode(minimal);
  const sent = Transcript.from(p.history as never);
  const viaFull = (await sent.append(fullText)).transcript.historyJson();
  const viaMinimal = (await sent.append(minimalText)).transcript.historyJson();
  if (viaFull !== viaMinimal) throw new Error("appending the minimal answer did not give the full answer's history");

  const sentInner = sent.historyJson().slice(1, -1);
  const ops: Record<keyof DeviceFigures["cpu"], () => Promise<unknown> | unknown> = {
    parseFull: () => JSON.parse(fullText),
    appendFull: () => sent.append(fullText),
    appendMinimal: () => sent.append(minimalText),
    // The part of appending a minimal answer that grows with the history: the base check's digest of the sent bytes.
    baseSha256: () => webCryptoSha256(sentInner),
  };
  const samples: Record<string, number[]> = {};
  const { warmup, runs } = plan(id);
  for (let i = 0; i < warmup + runs; i++) {
    // Interleaved, so drift is shared; a full GC first for the big ones so an op does not pay for the last one's garbage.
    for (const [name, op] of Object.entries(ops)) {
      if (id !== "8k") gc();
      const start = cpuNow();
      await op();
      const ms = cpuNow() - start;
      if (i >= warmup) (samples[name] ??= []).push(ms);
    }
  }
  return {
    label: spec.label,
    up: { identity: identity.byteLength, gzip: gzip.byteLength },
    down: {
      full: full.byteLength,
      minimal: minimal.byteLength,
      fullStream: fullStream.byteLength,
      minimalStream: minimalStream.byteLength,
      fullGzip: gzipSync(full).byteLength,
      minimalGzip: gzipSync(minimal).byteLength,
    },
    cpu: {
      parseFull: summarize(samples.parseFull!),
      appendFull: summarize(samples.appendFull!),
      appendMinimal: summarize(samples.appendMinimal!),
      baseSha256: summarize(samples.baseSha256!),
    },
  };
}

const result: DeviceResult = {};
for (const id of DEVICE_HISTORIES) {
  const started = performance.now();
  try {
    const d = await measure(id);
    result[id] = d;
    progress(
      `device ${id}: up ${d.up.identity} B (gzip ${d.up.gzip} B), down full ${d.down.full} B / minimal ${d.down.minimal} B; ` +
        `client CPU p50 parse full ${d.cpu.parseFull.p50.toFixed(2)}, append full ${d.cpu.appendFull.p50.toFixed(2)}, ` +
        `append minimal ${d.cpu.appendMinimal.p50.toFixed(2)} ms (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  } catch (err) {
    result[id] = { error: String((err as Error)?.message ?? err) };
    progress(`device ${id} failed: ${result[id].error}`);
  }
}
writeFileSync(outFile, JSON.stringify(result, null, 1));

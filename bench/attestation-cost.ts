/**
 * What tamper-evident transcripts (TRANSCRIPT_KEYS, issue 12) add to a turn's CPU in workerd: a
 * fresh relay without keys against a fresh relay from the same bundle with TRANSCRIPT_KEYS set
 * (verify mode), which receives the same turn plus the history's attestation, verifies it and
 * attests its reply. Both are first warmed to their steady state (steady.ts); then turns alternate
 * between the two, one at a time, and each turn's main-thread CPU of its relay's own workerd is read
 * (after a short settle, so work left after the response counts). The medians are compared. At
 * 10 MB, where a process's garbage-collection state swings a turn by tens of ms, several fresh pairs
 * are measured and pooled.
 */
import { checkTranscript } from "../src/turn/attestation";
import type { StepRef } from "../src/turn/history";
import type { StepValue } from "../src/schemas";
import { RELAY_BINDINGS, RELAY_HEADERS, type Payload } from "./payloads";
import { cpuTimes } from "./procfs";
import { progress, summarize } from "./stats";
import { describe, relayTurn } from "./callers";
import { warmUntilSteady } from "./steady";
import { quick, relayBundle, serve, stop, type Served, type Stack } from "./workerd";

const TRANSCRIPT_KEY = { id: "bench", secret: "bench-transcript-secret-0123456789abcdef" };

export interface AttestationCost {
  /** Main-thread CPU per turn of the relay without keys, median of its measured turns (ms). */
  plainMs: number;
  /** The same with TRANSCRIPT_KEYS set and the attested history sent back (ms). */
  attestedMs: number;
  /** Measured turns per relay (all pairs together), and fresh pairs of relays. */
  turns: number;
  pairs: number;
  /** Turns a relay got before it was measured (the most of any), and whether every one reached its steady state. */
  warmup: number;
  steady: boolean;
  /** Turns that failed (not counted). */
  errors: number;
}

function plan(id: string): { pairs: number; warmMax: number; turns: number; settleMs: number } {
  if (quick) return { pairs: 1, warmMax: 2, turns: 2, settleMs: 5 };
  if (id === "1m") return { pairs: 1, warmMax: 300, turns: 100, settleMs: 5 };
  return { pairs: 3, warmMax: 60, turns: 12, settleMs: 20 };
}

/** The payload's turn with the attestation the relay returns with its history (made by the relay's own signing code). */
async function attested(p: Payload): Promise<Payload> {
  const encoder = new TextEncoder();
  const history: StepRef[] = p.history.map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step as StepValue }));
  const { attest } = await checkTranscript([], undefined, { mode: "verify", keys: [TRANSCRIPT_KEY], allowDropIn: false }, () => "");
  return { ...p, turn: { ...p.turn, attestation: await attest!(history) } };
}

/** One turn to the attesting relay, checked: verified (no warning) and attested again. */
async function checkVerified(relay: Served, p: Payload): Promise<void> {
  const response = await fetch(`${relay.url}/v1/turns`, { method: "POST", headers: RELAY_HEADERS, body: JSON.stringify(p.turn) });
  const body = (await response.json()) as { attestation?: string };
  if (response.status !== 200 || response.headers.has("Relay-Attestation-Warning") || !body.attestation?.startsWith("v1.bench.")) {
    throw new Error(`the attesting relay did not verify and attest the turn (${response.status})`);
  }
}

export async function attestationCost(stack: Stack, p: Payload): Promise<AttestationCost> {
  const signed = await attested(p);
  const { pairs, warmMax, turns, settleMs } = plan(p.spec.id);
  const samples = { plain: [] as number[], attested: [] as number[] };
  let warmup = 0;
  let steady = true;
  let errors = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const plain = await serve("relay-plain", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: stack.emulator.url });
    const withKeys = await serve("relay-attested", relayBundle, {
      ...RELAY_BINDINGS,
      GEMINI_BASE_URL: stack.emulator.url,
      TRANSCRIPT_KEYS: `${TRANSCRIPT_KEY.id}:${TRANSCRIPT_KEY.secret}`,
    });
    try {
      await checkVerified(withKeys, signed);
      const sides = [
        { relay: plain, p, samples: samples.plain },
        { relay: withKeys, p: signed, samples: samples.attested },
      ];
      for (const side of sides) {
        const warm = await warmUntilSteady(side.relay.pid, () => relayTurn(side.relay.url, side.p), warmMax);
        warmup = Math.max(warmup, warm.turns);
        steady &&= warm.steady;
      }
      for (let i = 0; i < turns; i++) {
        for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
          const before = cpuTimes(side.relay.pid).mainMs;
          try {
            await relayTurn(side.relay.url, side.p);
          } catch (err) {
            errors += 1;
            progress(`attestation cost ${p.spec.id}/${p.reply}: a turn failed: ${describe(err)}`);
            continue;
          }
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          side.samples.push(cpuTimes(side.relay.pid).mainMs - before);
        }
      }
    } finally {
      await Promise.all([stop(plain), stop(withKeys)]);
    }
  }
  return {
    plainMs: summarize(samples.plain).p50,
    attestedMs: summarize(samples.attested).p50,
    turns: Math.min(samples.plain.length, samples.attested.length),
    pairs,
    warmup,
    steady,
    errors,
  };
}

/**
 * What tamper-evident transcripts (TRANSCRIPT_KEYS, issue 12) add to a turn's CPU in workerd, two ways.
 *
 * **The work, in one isolate** (attestation-worker.ts): the relay's own transcript check on the
 * turn's own request (with the attestation the relay returns with that history: verify every
 * model-authored step, then attest the history with this turn's reply) against the same check
 * without it (verify mode: a warning, no attestation), many times per request, CPU read from
 * outside. This is the cost the target is judged on, over the relay's turn CPU below: it is precise
 * to a few per cent of itself, where the end-to-end difference is not (next).
 *
 * **End to end**: one relay with TRANSCRIPT_KEYS set (verify mode) gets the same turn two ways,
 * alternating one turn at a time: without the history's attestation (answered unverified and
 * unattested: the turn a relay without keys does, plus one pass over the step types) and with it.
 * Both run in the same isolate of the same process (a fresh workerd process's own speed varies by
 * several per cent, more than the effect measured). The relay is first warmed to its steady state
 * (steady.ts) with the two turns alternating; each turn's main-thread CPU is read before it and
 * after a short settle (so work left after the response counts); medians. Its turn without the
 * attestation is the denominator of the target. The difference between the two kinds is reported
 * too, but at 10 MB it is noise: the same turn sent both ways (an A/A test) read from -17 % to +31 %
 * across processes, because a 10 MB turn's CPU swings between 55 and 200 ms whatever it carries.
 */
import { checkTranscript } from "../src/turn/attestation";
import type { StepRef } from "../src/steps";
import type { StepValue } from "../src/schemas";
import { RELAY_BINDINGS, RELAY_HEADERS, type Payload } from "./payloads";
import { cpuTimes } from "./procfs";
import { progress, summarize } from "./stats";
import { describe, relayTurn } from "./callers";
import { warmUntilSteady } from "./steady";
import { quick, relayBundle, serve, stop, workers, type Served, type Stack } from "./workerd";

const TRANSCRIPT_KEY = { id: "bench", secret: "bench-transcript-secret-0123456789abcdef" };
/** The relay's bindings with the transcript key set (verify mode, the default with a key). */
const KEYED_BINDINGS = { ...RELAY_BINDINGS, TRANSCRIPT_KEYS: `${TRANSCRIPT_KEY.id}:${TRANSCRIPT_KEY.secret}` };
const WARNING_HEADER = "Relay-Attestation-Warning";

export interface AttestationCost {
  /** Main-thread CPU per turn, history sent without its attestation (answered unverified, unattested), median (ms). */
  plainMs: number;
  /** The same turn with the history's attestation: verified, and the reply attested (ms). */
  attestedMs: number;
  /** Measured turns of each kind. */
  turns: number;
  /** Turns before measuring (both kinds together), and whether the relay reached its steady state in them. */
  warmup: number;
  steady: boolean;
  /** Turns that failed (not counted). */
  errors: number;
  /** Verify + attest in one isolate, minus the check without an attestation: median over rounds, and the rounds' range (ms). */
  workMs: number;
  workRange: [number, number];
}

function plan(id: string): { warmMax: number; turns: number; settleMs: number; workRuns: number } {
  if (quick) return { warmMax: 2, turns: 2, settleMs: 5, workRuns: 2 };
  if (id === "1m") return { warmMax: 300, turns: 100, settleMs: 5, workRuns: 40 };
  // 10 MB relays (c895bd6, 3b82336) settled within 70-120 turns in 4 of 8 processes; the others had not by 120.
  return { warmMax: 120, turns: 20, settleMs: 20, workRuns: 4 };
}

/** Rounds of the in-isolate measurement (each: both operations, workRuns times per request). */
const WORK_ROUNDS = 7;

/** The payload's turn with the attestation the relay returns with its history (made by the relay's own signing code). */
async function attested(p: Payload): Promise<Payload> {
  const encoder = new TextEncoder();
  const history: StepRef[] = p.history.map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step as StepValue }));
  const { attest } = await checkTranscript([], undefined, { mode: "verify", keys: [TRANSCRIPT_KEY], allowDropIn: false }, () => "");
  return { ...p, turn: { ...p.turn, attestation: await attest!(history) } };
}

/**
 * One turn each way, checked: without the attestation unverified and unattested; with it verified
 * and attested again. Returns this turn's reply steps.
 */
async function checkBothWays(relay: Served, p: Payload, signed: Payload): Promise<unknown[]> {
  const send = async (turn: Payload["turn"]) => {
    const response = await fetch(`${relay.url}/v1/turns`, { method: "POST", headers: RELAY_HEADERS, body: JSON.stringify(turn) });
    const body = (await response.json()) as { attestation?: string; steps?: unknown[] };
    return {
      status: response.status,
      warned: response.headers.has(WARNING_HEADER),
      attestation: body.attestation,
      steps: body.steps ?? [],
    };
  };
  const [without, withIt] = [await send(p.turn), await send(signed.turn)];
  if (without.status !== 200 || !without.warned || without.attestation !== undefined) {
    throw new Error(`the relay did not answer the unattested history unverified (${without.status})`);
  }
  if (withIt.status !== 200 || withIt.warned || !withIt.attestation?.startsWith(`v2.${TRANSCRIPT_KEY.id}.`)) {
    throw new Error(`the relay did not verify and attest the attested history (${withIt.status})`);
  }
  return withIt.steps;
}

export async function attestationCost(stack: Stack, p: Payload): Promise<AttestationCost> {
  const signed = await attested(p);
  const { warmMax, turns, settleMs, workRuns } = plan(p.spec.id);
  const relay = await serve("relay-attesting", relayBundle, { ...KEYED_BINDINGS, GEMINI_BASE_URL: stack.emulator.url });
  try {
    const reply = await checkBothWays(relay, p, signed);
    const sides = [
      { p, samples: [] as number[] },
      { p: signed, samples: [] as number[] },
    ];
    let next = 0;
    const warm = await warmUntilSteady(relay.pid, () => relayTurn(relay.url, sides[next++ % 2]!.p), warmMax);
    let errors = 0;
    for (let i = 0; i < turns; i++) {
      for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
        const before = cpuTimes(relay.pid).mainMs;
        try {
          await relayTurn(relay.url, side.p);
        } catch (err) {
          errors += 1;
          progress(`attestation cost ${p.spec.id}/${p.reply}: a turn failed: ${describe(err)}`);
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        side.samples.push(cpuTimes(relay.pid).mainMs - before);
      }
    }
    const [plain, withKeys] = sides;
    return {
      plainMs: summarize(plain!.samples).p50,
      attestedMs: summarize(withKeys!.samples).p50,
      turns: Math.min(plain!.samples.length, withKeys!.samples.length),
      warmup: warm.turns,
      steady: warm.steady,
      errors,
      ...(await workInIsolate(signed, reply, workRuns)),
    };
  } finally {
    await stop(relay);
  }
}

/** Verify + attest on the signed turn's request, minus the check without an attestation, inside one isolate (ms per turn). */
async function workInIsolate(signed: Payload, reply: unknown[], runs: number): Promise<{ workMs: number; workRange: [number, number] }> {
  const worker = await serve("attestation-work", workers.attestation, KEYED_BINDINGS);
  try {
    const call = async (op: string, init?: RequestInit) => {
      const response = await fetch(`${worker.url}/?op=${op}&n=${runs}`, init);
      if (response.status !== 200) throw new Error(`attestation work ${op}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    await call("load", { method: "POST", body: JSON.stringify(signed.turn) });
    await call("reply", { method: "POST", body: JSON.stringify(reply) });
    const cpu = async (op: string) => {
      const before = cpuTimes(worker.pid).mainMs;
      await call(op);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return cpuTimes(worker.pid).mainMs - before;
    };
    const rounds: number[] = [];
    for (let round = -2; round < (quick ? 1 : WORK_ROUNDS); round++) {
      // Which goes first alternates, so a drift over the rounds falls on both alike. Rounds below 0 warm up.
      const ms: Record<string, number> = {};
      for (const op of round % 2 === 0 ? ["attested", "unattested"] : ["unattested", "attested"]) ms[op] = await cpu(op);
      if (round >= 0) rounds.push((ms.attested! - ms.unattested!) / runs);
    }
    return { workMs: summarize(rounds).p50, workRange: [Math.min(...rounds), Math.max(...rounds)] };
  } finally {
    await stop(worker);
  }
}

/**
 * What tamper-evident transcripts (TRANSCRIPT_KEYS, issue 12) add to a turn's CPU in workerd. One
 * relay with TRANSCRIPT_KEYS set (verify mode, the default with a key) gets the same turn two ways,
 * alternating one turn at a time:
 *
 * - without the history's attestation: verify mode answers it unverified (a warning header) and
 *   unattested, so the turn does what the relay without keys does (plus finding that the history
 *   has model-authored steps: one pass over the step types);
 * - with it: the relay verifies every model-authored step of the history, then attests its reply.
 *
 * Both halves run in the same isolate of the same process, so what differs between them is exactly
 * the verification and the attestation: a fresh workerd process's own speed varies by several per
 * cent (memory layout, garbage-collection state), more than the effect measured, so two processes
 * compared side by side would measure that instead. The relay is first warmed to its steady state
 * (steady.ts) with the two turns alternating; each turn's main-thread CPU is read before it and
 * after a short settle (so work left after the response counts). The medians are compared.
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
}

function plan(id: string): { warmMax: number; turns: number; settleMs: number } {
  if (quick) return { warmMax: 2, turns: 2, settleMs: 5 };
  if (id === "1m") return { warmMax: 300, turns: 100, settleMs: 5 };
  return { warmMax: 20, turns: 30, settleMs: 20 };
}

/** The payload's turn with the attestation the relay returns with its history (made by the relay's own signing code). */
async function attested(p: Payload): Promise<Payload> {
  const encoder = new TextEncoder();
  const history: StepRef[] = p.history.map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step as StepValue }));
  const { attest } = await checkTranscript([], undefined, { mode: "verify", keys: [TRANSCRIPT_KEY], allowDropIn: false }, () => "");
  return { ...p, turn: { ...p.turn, attestation: await attest!(history) } };
}

/** One turn each way, checked: without the attestation unverified and unattested; with it verified and attested again. */
async function checkBothWays(relay: Served, p: Payload, signed: Payload): Promise<void> {
  const send = async (turn: Payload["turn"]) => {
    const response = await fetch(`${relay.url}/v1/turns`, { method: "POST", headers: RELAY_HEADERS, body: JSON.stringify(turn) });
    const body = (await response.json()) as { attestation?: string };
    return { status: response.status, warned: response.headers.has(WARNING_HEADER), attestation: body.attestation };
  };
  const [without, withIt] = [await send(p.turn), await send(signed.turn)];
  if (without.status !== 200 || !without.warned || without.attestation !== undefined) {
    throw new Error(`the relay did not answer the unattested history unverified (${without.status})`);
  }
  if (withIt.status !== 200 || withIt.warned || !withIt.attestation?.startsWith(`v2.${TRANSCRIPT_KEY.id}.`)) {
    throw new Error(`the relay did not verify and attest the attested history (${withIt.status})`);
  }
}

export async function attestationCost(stack: Stack, p: Payload): Promise<AttestationCost> {
  const signed = await attested(p);
  const { warmMax, turns, settleMs } = plan(p.spec.id);
  const relay = await serve("relay-attesting", relayBundle, {
    ...RELAY_BINDINGS,
    GEMINI_BASE_URL: stack.emulator.url,
    TRANSCRIPT_KEYS: `${TRANSCRIPT_KEY.id}:${TRANSCRIPT_KEY.secret}`,
  });
  try {
    await checkBothWays(relay, p, signed);
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
    };
  } finally {
    await stop(relay);
  }
}

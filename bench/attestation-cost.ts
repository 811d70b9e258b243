/**
 * What tamper-evident transcripts (TRANSCRIPT_KEYS, issue 12) add to a turn's CPU in workerd: the
 * stack's relay (no keys) against a second relay from the same bundle with TRANSCRIPT_KEYS set
 * (verify mode), which receives the same turn plus the history's attestation, verifies it and
 * attests its reply. Main-thread CPU per turn of each relay's own workerd, in blocks that alternate
 * between the two (so drift in machine load is shared); the medians of the blocks are compared.
 */
import { checkTranscript } from "../src/turn/attestation";
import type { StepRef } from "../src/turn/history";
import type { StepValue } from "../src/schemas";
import { RELAY_BINDINGS, RELAY_HEADERS, type Payload } from "./payloads";
import { cpuTimes } from "./procfs";
import { progress, summarize } from "./stats";
import { describe, relayTurn } from "./callers";
import { quick, relayBundle, serve, stop, type Served, type Stack } from "./workerd";

const TRANSCRIPT_KEY = { id: "bench", secret: "bench-transcript-secret-0123456789abcdef" };

export interface AttestationCost {
  /** Main-thread CPU per turn of the relay without keys, median of the blocks (ms). */
  plainMs: number;
  /** The same with TRANSCRIPT_KEYS set and the attested history sent back (ms). */
  attestedMs: number;
  /** Turns per block, and blocks per relay. */
  turns: number;
  blocks: number;
  /** Turns that failed (their block is left out). */
  errors: number;
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
  const relay = await serve("relay-attested", relayBundle, {
    ...RELAY_BINDINGS,
    GEMINI_BASE_URL: stack.emulator.url,
    TRANSCRIPT_KEYS: `${TRANSCRIPT_KEY.id}:${TRANSCRIPT_KEY.secret}`,
  });
  try {
    await checkVerified(relay, signed);
    const big = p.spec.id !== "1m";
    const turns = quick ? 2 : big ? 3 : 10;
    const rounds = quick ? 2 : 6;
    const sides = [
      { relay: stack.relay, p, blocks: [] as number[] },
      { relay, p: signed, blocks: [] as number[] },
    ];
    for (const side of sides) await relayTurn(side.relay.url, side.p); // warm-up
    let errors = 0;
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const before = cpuTimes(side.relay.pid).mainMs;
        let failed = false;
        for (let i = 0; i < turns; i++) {
          await relayTurn(side.relay.url, side.p).catch((err: unknown) => {
            failed = true;
            errors += 1;
            progress(`attestation cost ${p.spec.id}/${p.reply}: a turn failed: ${describe(err)}`);
          });
        }
        if (!failed) side.blocks.push((cpuTimes(side.relay.pid).mainMs - before) / turns);
      }
    }
    const [plain, withKeys] = sides.map((side) => summarize(side.blocks).p50);
    return { plainMs: plain!, attestedMs: withKeys!, turns, blocks: rounds, errors };
  } finally {
    await stop(relay);
  }
}

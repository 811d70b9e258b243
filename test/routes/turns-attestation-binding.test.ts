/**
 * Transcripts bound to a caller (TRANSCRIPT_BIND_CALLER): an attestation issued to one caller (a
 * relay token, or a JWT subject) continues only for that caller; a transcript copied to another is
 * refused with a 422 that says so, before anything reaches Gemini. Unbound transcripts (attested
 * before the setting) are accepted and answered bound; key rotation keeps working.
 */
import { sign } from "hono/jwt";
import { describe, expect, it } from "vitest";
import type { Bindings } from "../../src/config";
import { parseSse, problemOf, relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
const K1 = `k1:${"1".repeat(40)}`;
const K2 = `k2:${"2".repeat(40)}`;
const ALICE = "relay-token-alice-0123456789abcdef0123456789";
const BOB = "relay-token-bob-0123456789abcdef0123456789abc";
const TOKENS: Partial<Bindings> = { AUTH_MODE: "tokens", RELAY_TOKENS: `${ALICE},${BOB}` };
const BOUND: Partial<Bindings> = { ...TOKENS, TRANSCRIPT_KEYS: K1, TRANSCRIPT_BIND_CALLER: "true" };
const JWT_SECRET = "a-long-random-hs256-secret-for-the-binding-test-0123456789abcdef";

type Relay = ReturnType<typeof relayWithEmulator>;
interface Answer {
  history: unknown[];
  attestation?: string;
}

/** A turn as `token`; `transcript`: the history and attestation to continue. */
function turnAs(relay: Relay, token: string, transcript?: Answer, init: { stream?: boolean } = {}) {
  const body = {
    model: MODEL,
    input: "Go on",
    ...(transcript ? { history: transcript.history, attestation: transcript.attestation } : {}),
    ...init,
  };
  return relay.turn(body, { headers: { "content-type": "application/json", authorization: `Bearer ${token}` } });
}

async function okAs(relay: Relay, token: string, transcript?: Answer): Promise<Answer> {
  const res = await turnAs(relay, token, transcript);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Answer;
}

/** The refusal of `transcript` for `token`: a 422 attestation_failed naming another caller, nothing sent to Gemini. */
async function refusedAs(relay: Relay, token: string, transcript: Answer) {
  const before = relay.creates().length;
  const problem = await problemOf(await turnAs(relay, token, transcript));
  expect(problem.status).toBe(422);
  expect(problem.code).toBe("attestation_failed");
  expect(relay.creates().length, "nothing may reach Gemini").toBe(before);
  return problem;
}

describe("TRANSCRIPT_BIND_CALLER (tokens)", () => {
  it("a transcript attested for one token continues for it, and is refused for another, saying why", async () => {
    const relay = relayWithEmulator(BOUND);
    const t1 = await okAs(relay, ALICE);
    expect(t1.attestation).toMatch(/^v2\.k1\.[^.]+\.[^.]*\.[^.]+\.caller$/);
    const t2 = await okAs(relay, ALICE, t1);
    expect(t2.attestation).toMatch(/\.caller$/);
    const problem = await refusedAs(relay, BOB, t2);
    expect(problem.errors).toEqual([{ path: "/attestation", message: expect.stringMatching(/^was attested for another caller/) }]);
    expect(problem.detail).toMatch(/attested for another caller/);
    // And the transcript stays its caller's.
    await okAs(relay, ALICE, t2);
  });

  it("streamed turns bind the same way", async () => {
    const relay = relayWithEmulator(BOUND);
    const res = await turnAs(relay, ALICE, undefined, { stream: true });
    const completed = parseSse(await res.text()).events.at(-1)!;
    expect(completed.event).toBe("turn.completed");
    const t1 = JSON.parse(completed.data) as Answer;
    expect(t1.attestation).toMatch(/\.caller$/);
    await refusedAs(relay, BOB, t1);
    await okAs(relay, ALICE, t1);
  });

  it("the `.caller` mark cannot be removed or added: the end tag is of the other kind", async () => {
    const relay = relayWithEmulator(BOUND);
    const t1 = await okAs(relay, ALICE);
    const stripped = { ...t1, attestation: t1.attestation!.replace(/\.caller$/, "") };
    const problem = await refusedAs(relay, ALICE, stripped);
    expect(problem.errors?.[0]?.message).toMatch(/^does not end where a response of this relay ended its chain/);
    const unbound = await okAs(relayWithEmulator({ ...TOKENS, TRANSCRIPT_KEYS: K1 }), ALICE);
    await refusedAs(relay, ALICE, { ...unbound, attestation: `${unbound.attestation}.caller` });
  });

  it("an unbound transcript (attested before the setting) is accepted once and answered bound to its sender", async () => {
    const before = relayWithEmulator({ ...TOKENS, TRANSCRIPT_KEYS: K1 });
    const t1 = await okAs(before, ALICE);
    expect(t1.attestation).not.toMatch(/\.caller$/);
    const relay = relayWithEmulator(BOUND);
    const t2 = await okAs(relay, BOB, t1);
    expect(t2.attestation).toMatch(/\.caller$/);
    await refusedAs(relay, ALICE, t2);
  });

  it("turning the setting off binds no new transcript, and frees no bound one", async () => {
    const t1 = await okAs(relayWithEmulator(BOUND), ALICE);
    const relay = relayWithEmulator({ ...TOKENS, TRANSCRIPT_KEYS: K1 });
    await refusedAs(relay, BOB, t1);
    const t2 = await okAs(relay, ALICE, t1);
    expect(t2.attestation).not.toMatch(/\.caller$/);
  });

  it("key rotation: a transcript bound under the old key continues for its caller, signed again with the new one, still bound", async () => {
    const t1 = await okAs(relayWithEmulator(BOUND), ALICE);
    const relay = relayWithEmulator({ ...BOUND, TRANSCRIPT_KEYS: `${K2},${K1}` });
    await refusedAs(relay, BOB, t1);
    const t2 = await okAs(relay, ALICE, t1);
    expect(t2.attestation).toMatch(/^v2\.k2\..*\.caller$/);
    await refusedAs(relay, BOB, t2);
  });

  it("is refused as a configuration error where it could not hold: without keys, or with AUTH_MODE=none", async () => {
    for (const bindings of [
      { ...TOKENS, TRANSCRIPT_BIND_CALLER: "true" },
      { AUTH_MODE: "none", TRANSCRIPT_KEYS: K1, TRANSCRIPT_BIND_CALLER: "true" },
    ]) {
      const problem = await problemOf(await turnAs(relayWithEmulator(bindings), ALICE));
      expect(problem.code).toBe("configuration_error");
      expect(problem.detail).toMatch(/TRANSCRIPT_BIND_CALLER/);
    }
  });
});

describe("TRANSCRIPT_BIND_CALLER (JWT)", () => {
  const jwtFor = (sub: string, jti: string) => sign({ sub, jti, exp: Math.floor(Date.now() / 1000) + 60 }, JWT_SECRET);

  it("binds the JWT subject: a fresh token for the same subject continues, another subject's is refused", async () => {
    const relay = relayWithEmulator({ AUTH_MODE: "jwt", JWT_SECRET, TRANSCRIPT_KEYS: K1, TRANSCRIPT_BIND_CALLER: "true" });
    const t1 = await okAs(relay, await jwtFor("user-1", "a"));
    await okAs(relay, await jwtFor("user-1", "b"), t1);
    await refusedAs(relay, await jwtFor("user-2", "c"), t1);
  });
});

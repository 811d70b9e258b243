// The client with a relay that requires attested transcripts: the attestation rides with the
// history through turns, tool loops, streams and stores, without the caller handling it.
import { describe, expect, it } from "vitest";
import {
  attestationOf,
  dropLeadingTurns,
  MemoryTranscriptStore,
  withAttestation,
  type Step,
  type ToolDefinition,
} from "@gemini-relay/client";
import { relayWithEmulator } from "../helpers";
import { clientFor, MODEL } from "./helpers";

const SECRET = "1".repeat(40);
const KEYS = { TRANSCRIPT_KEYS: `k1:${SECRET}`, TRANSCRIPT_MODE: "require" };
const tools: Record<string, ToolDefinition> = {
  get_order_status: {
    declaration: { description: "Order status", parameters: { type: "object", properties: { order_id: { type: "string" } } } },
    handler: () => ({ status: "shipped" }),
  },
};

/**
 * The v1 attestation of a history a relay attested in v2, as relays before v2 issued it: the same
 * value tags, each after its step's bytes tag, HMAC(key, "bytes" ‖ previous link ‖ place ‖ value tag ‖ bytes).
 */
async function v1Of(history: readonly Step[]): Promise<string> {
  const [, keyId, chain] = attestationOf(history)!.split(".");
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(SECRET), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const values = chain!.match(/.{22}/g)!;
  let [tags, place, k] = [values[0]!, "", 0];
  for (const step of history) {
    if (step.type === "user_input" || step.type === "function_result") {
      place += step.type === "user_input" ? "u" : "r";
      continue;
    }
    const message = `gemini-relay transcript v1\nbytes\n${values[k]}\n${place}\n${values[k + 1]}\n${JSON.stringify(step)}`;
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)), 0, 16);
    tags +=
      btoa(String.fromCharCode(...mac))
        .replace(/=+$/, "")
        .replaceAll("+", "-")
        .replaceAll("/", "_") + values[k + 1];
    [place, k] = ["", k + 1];
  }
  return `v1.${keyId}.${tags}`;
}

async function sentAttestations(requests: Request[]): Promise<(string | undefined)[]> {
  return Promise.all(requests.map(async (r) => (JSON.parse(await r.clone().text()) as { attestation?: string }).attestation));
}

describe("the client with an attesting relay (TRANSCRIPT_MODE=require)", () => {
  it("keeps the attestation with the history across runTools turns and a MemoryTranscriptStore, unary and streamed", async () => {
    const relay = relayWithEmulator(KEYS);
    const { client, requests } = clientFor(relay);
    const store = new MemoryTranscriptStore();
    const first = await client.runTools({ model: MODEL, input: "Where is my order A-4417?", tools });
    expect(first.stopReason).toBe("answered");
    expect(attestationOf(first.history)).toBe(first.result!.attestation);
    expect(JSON.stringify(first.history)).not.toContain("v2.k1."); // hidden from JSON and equality
    await store.save("alice", first.history);

    const loaded = (await store.load("alice"))!;
    const second = await client.runTools({ model: MODEL, history: loaded, input: "Thanks!", tools, stream: true });
    expect(second.output_text).toMatch(/You said: Thanks!/);
    const sent = await sentAttestations(requests);
    expect(sent[0]).toBeUndefined(); // a new conversation has nothing to attest
    expect(sent.slice(1).every((a) => a?.startsWith("v2.k1."))).toBe(true);
    expect(attestationOf(second.history)).toMatch(/^v2\.k1\./);
  });

  it("drops leading turns at the cut point and keeps the rest verifiable", async () => {
    const relay = relayWithEmulator(KEYS);
    const { client } = clientFor(relay);
    const one = await client.runTools({ model: MODEL, input: "Where is my order A-4417?", tools });
    const two = await client.runTools({ model: MODEL, history: one.history, input: "Thanks!", tools });
    const shorter = dropLeadingTurns(two.history, 1);
    expect(shorter.map((s) => s.type)).toEqual(["user_input", "model_output"]);
    const three = await client.turn({ model: MODEL, history: shorter, input: "Bye" });
    expect(three.history).toHaveLength(4);
    expect(dropLeadingTurns(three.history, 99).map((s) => s.type)).toEqual(["user_input", "model_output"]);
    expect(dropLeadingTurns(three.history, 0)).toEqual(three.history);
  });

  it("cuts a v1 attestation (kept from a relay before v2) by its own rule, and the relay answers in v2", async () => {
    const relay = relayWithEmulator(KEYS);
    const { client } = clientFor(relay);
    const one = await client.runTools({ model: MODEL, input: "Where is my order A-4417?", tools });
    const two = await client.runTools({ model: MODEL, history: one.history, input: "Thanks!", tools });
    const kept = withAttestation([...two.history], await v1Of(two.history));
    expect(attestationOf(kept)).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    // The whole v1 transcript verifies; so does the part the client cut from it.
    expect((await client.runTools({ model: MODEL, history: kept, input: "Still there?", tools })).stopReason).toBe("answered");
    const shorter = dropLeadingTurns(kept, 1);
    expect(attestationOf(shorter)).toMatch(/^v1\.k1\./);
    const three = await client.turn({ model: MODEL, history: shorter, input: "Bye" });
    expect(attestationOf(three.history)).toMatch(/^v2\.k1\./);
    expect((await client.turn({ model: MODEL, history: three.history, input: "Bye again" })).status).toBe("completed");
    expect(() => dropLeadingTurns(withAttestation([...two.history], "v9.k1.AAAA"), 1)).toThrow(/version "v9" cannot be cut/);
  });

  it("takes an attestation the app kept itself, or refuses a history without one", async () => {
    const relay = relayWithEmulator(KEYS);
    const { client } = clientFor(relay);
    const one = await client.turn({ model: MODEL, input: "Hello" });
    const saved = JSON.parse(JSON.stringify({ history: one.history, attestation: attestationOf(one.history) }));
    await expect(client.turn({ model: MODEL, history: saved.history, input: "Again" })).rejects.toMatchObject({
      status: 422,
      code: "attestation_failed",
    });
    expect((await client.turn({ model: MODEL, history: saved.history, attestation: saved.attestation, input: "Again" })).status).toBe(
      "completed",
    );
    expect((await client.turn({ model: MODEL, history: withAttestation(saved.history, saved.attestation), input: "Again" })).status).toBe(
      "completed",
    );
  });
});

// The client with a relay that requires attested transcripts: the attestation rides with the
// history through turns, tool loops, streams and stores, without the caller handling it.
import { describe, expect, it } from "vitest";
import { attestationOf, dropLeadingTurns, MemoryTranscriptStore, withAttestation, type ToolDefinition } from "@gemini-relay/client";
import { relayWithEmulator } from "../helpers";
import { clientFor, MODEL } from "./helpers";

const KEYS = { TRANSCRIPT_KEYS: `k1:${"1".repeat(40)}`, TRANSCRIPT_MODE: "require" };
const tools: Record<string, ToolDefinition> = {
  get_order_status: {
    declaration: { description: "Order status", parameters: { type: "object", properties: { order_id: { type: "string" } } } },
    handler: () => ({ status: "shipped" }),
  },
};

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
    expect(JSON.stringify(first.history)).not.toContain("v1.k1."); // hidden from JSON and equality
    await store.save("alice", first.history);

    const loaded = (await store.load("alice"))!;
    const second = await client.runTools({ model: MODEL, history: loaded, input: "Thanks!", tools, stream: true });
    expect(second.output_text).toMatch(/You said: Thanks!/);
    const sent = await sentAttestations(requests);
    expect(sent[0]).toBeUndefined(); // a new conversation has nothing to attest
    expect(sent.slice(1).every((a) => a?.startsWith("v1.k1."))).toBe(true);
    expect(attestationOf(second.history)).toMatch(/^v1\.k1\./);
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

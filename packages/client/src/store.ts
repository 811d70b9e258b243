/**
 * Where a client keeps its transcripts between runs. The relay keeps nothing, so the history a
 * conversation needs lives here: in memory, in a JSON file (./node.ts), or anywhere that can
 * implement these three methods (localStorage, IndexedDB, AsyncStorage, a database).
 */
import { attestationOf, withAttestation } from "./attestation.js";
import type { Step } from "./wire.js";

/**
 * A place to keep transcripts by id. `load` resolves undefined for an unknown id. A store keeps the
 * relay's attestation with the history (attestationOf / withAttestation), so what it loads verifies.
 *
 * @example
 * const history = (await store.load("alice")) ?? [];
 * const { history: updated } = await client.turn({ model, history, input: "Hi" });
 * await store.save("alice", updated);
 */
export interface TranscriptStore {
  load(id: string): Promise<Step[] | undefined>;
  save(id: string, history: readonly Step[]): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Transcripts in memory, for tests and short-lived processes. Values are copied in and out, so
 * later edits by the caller do not change what is stored.
 *
 * @example
 * const store = new MemoryTranscriptStore();
 * await store.save("s1", result.history);
 * const again = await store.load("s1");
 */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly transcripts = new Map<string, { json: string; attestation: string | undefined }>();

  async load(id: string): Promise<Step[] | undefined> {
    const saved = this.transcripts.get(id);
    return saved === undefined ? undefined : withAttestation(JSON.parse(saved.json) as Step[], saved.attestation);
  }

  async save(id: string, history: readonly Step[]): Promise<void> {
    // A JSON copy: exact for JSON data, own `__proto__` keys included.
    this.transcripts.set(id, { json: JSON.stringify(history), attestation: attestationOf(history) });
  }

  async delete(id: string): Promise<void> {
    this.transcripts.delete(id);
  }
}

/**
 * Where a client keeps its transcripts between runs. The relay keeps nothing, so the history a
 * conversation needs lives here: in memory, in a key-value storage (localStorage, AsyncStorage, an
 * IndexedDB wrapper), in a JSON file (./node.ts), or anywhere that can implement these three methods.
 * Each keeps the transcript's exact bytes (Transcript.serialize), never a re-serialization of its steps.
 */
import { Transcript } from "./transcript.js";
import type { Step } from "./wire.js";

/**
 * A place to keep transcripts by id. `load` resolves undefined for an unknown id. The steps it
 * loads carry their exact bytes and the relay's attestation, so sending them back verifies.
 *
 * @example
 * const history = (await store.load("alice")) ?? [];
 * const { transcript } = await client.turn({ model, history, input: "Hi" });
 * await store.save("alice", transcript);
 */
export interface TranscriptStore {
  load(id: string): Promise<Step[] | undefined>;
  save(id: string, history: readonly Step[] | Transcript): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Transcripts in memory, for tests and short-lived processes. What is kept is the serialized
 * transcript, so later edits by the caller do not change what is stored.
 *
 * @example
 * const store = new MemoryTranscriptStore();
 * await store.save("s1", result.transcript);
 * const again = await store.load("s1");
 */
export class MemoryTranscriptStore implements TranscriptStore {
  private readonly transcripts = new Map<string, string>();

  async load(id: string): Promise<Step[] | undefined> {
    const saved = this.transcripts.get(id);
    return saved === undefined ? undefined : Transcript.parse(saved).steps;
  }

  async save(id: string, history: readonly Step[] | Transcript): Promise<void> {
    this.transcripts.set(id, Transcript.from(history).serialize());
  }

  async delete(id: string): Promise<void> {
    this.transcripts.delete(id);
  }
}

/**
 * A string key-value storage: `localStorage`, React Native's AsyncStorage, an IndexedDB wrapper
 * (idb-keyval's get/set under these names), or anything with these methods, sync or async.
 */
export interface KeyValueStorage {
  getItem(key: string): Promise<string | null | undefined> | string | null | undefined;
  setItem(key: string, value: string): Promise<void> | void;
  /** Used by delete when present; otherwise delete stores an empty value, which loads as no transcript. */
  removeItem?(key: string): Promise<void> | void;
}

/**
 * Transcripts in a key-value storage, each under `prefix + id` as its serialized bytes.
 *
 * @example
 * import AsyncStorage from "@react-native-async-storage/async-storage";
 * const store = new KeyValueTranscriptStore(AsyncStorage, { prefix: "chat:" });
 * const history = (await store.load("support")) ?? [];
 */
export class KeyValueTranscriptStore implements TranscriptStore {
  private readonly prefix: string;

  constructor(
    private readonly storage: KeyValueStorage,
    options: { prefix?: string } = {},
  ) {
    this.prefix = options.prefix ?? "gemini-relay.transcript:";
  }

  /** The stored transcript `id` as a Transcript (undefined when there is none). */
  async loadTranscript(id: string): Promise<Transcript | undefined> {
    const text = await this.storage.getItem(this.prefix + id);
    return text ? Transcript.parse(text) : undefined;
  }

  async load(id: string): Promise<Step[] | undefined> {
    return (await this.loadTranscript(id))?.steps;
  }

  async save(id: string, history: readonly Step[] | Transcript): Promise<void> {
    await this.storage.setItem(this.prefix + id, Transcript.from(history).serialize());
  }

  async delete(id: string): Promise<void> {
    if (this.storage.removeItem) await this.storage.removeItem(this.prefix + id);
    else await this.storage.setItem(this.prefix + id, "");
  }
}

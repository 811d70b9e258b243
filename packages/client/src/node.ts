/**
 * The Node-only part of the client: a TranscriptStore that keeps each transcript in its own JSON
 * file, written atomically (temp file, fsync, rename), so a crash never leaves half a transcript.
 * Import it from here; the main entry (./index.ts) stays free of Node modules.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { TranscriptStore } from "./store.js";
import { Transcript } from "./transcript.js";
import type { Step } from "./wire.js";

export * from "./index.js";

/**
 * What a transcript file holds.
 *
 * @example
 * const file: TranscriptFile = JSON.parse(await readFile("sessions/alice.json", "utf8"));
 * console.log(file.history.length, file.updated_at);
 */
export interface TranscriptFile {
  version: 1;
  id: string;
  updated_at: string;
  history: Step[];
  /** The relay's attestation of `history`, when it attests (TRANSCRIPT_KEYS). */
  attestation?: string | undefined;
}

/**
 * Transcripts as `<directory>/<id>.json`. Ids are limited to letters, digits, `.`, `_` and `-`
 * (1 to 100 characters, not starting with a dot) so an id can never name a path elsewhere.
 *
 * @example
 * const store = new JsonFileTranscriptStore({ directory: ".sessions" });
 * const history = (await store.load("alice")) ?? [];
 * await store.save("alice", [...history, ...newSteps]);
 */
export class JsonFileTranscriptStore implements TranscriptStore {
  readonly directory: string;

  constructor(options: { directory: string }) {
    this.directory = options.directory;
  }

  /** The file that holds transcript `id`. */
  pathOf(id: string): string {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(id)) {
      throw new TypeError(
        `Invalid transcript id ${JSON.stringify(id)}: use 1-100 letters, digits, ".", "_" or "-", not starting with ".".`,
      );
    }
    return join(this.directory, `${id}.json`);
  }

  async load(id: string): Promise<Step[] | undefined> {
    const path = this.pathOf(id);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    let file: Partial<TranscriptFile>;
    try {
      file = JSON.parse(text) as Partial<TranscriptFile>;
    } catch (err) {
      throw new Error(`${path} is not valid JSON (${(err as Error).message}); move it away to start over.`, { cause: err });
    }
    if (!Array.isArray(file?.history))
      throw new Error(`${path} is not a transcript file (no "history" array); move it away to start over.`);
    // The steps are read from the file's bytes, as they were written (Transcript.parse keeps them).
    return Transcript.parse(text).steps;
  }

  async save(id: string, history: readonly Step[] | Transcript): Promise<void> {
    const path = this.pathOf(id);
    const transcript = Transcript.from(history);
    // Written by hand, not JSON.stringify: the history goes in its exact bytes (one line, last).
    const head = JSON.stringify({ version: 1, id, updated_at: new Date().toISOString(), attestation: transcript.attestation });
    const file = `${head.slice(0, -1)},"history":${transcript.historyJson()}}\n`;
    await mkdir(this.directory, { recursive: true });
    // Same directory as the target, so the rename is atomic (never across file systems).
    const temp = join(this.directory, `.${id}.${randomUUID()}.tmp`);
    try {
      const handle = await open(temp, "w", 0o600);
      try {
        await handle.writeFile(file, "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}

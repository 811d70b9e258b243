// The Node file store writes the transcript's exact bytes: steps that JSON.stringify(JSON.parse(...))
// would change (a 20-digit integer, 1e400, -0, 1.10, escapes, a repeated key) come back as they went in.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JsonFileTranscriptStore, Transcript } from "../../src/node.js";

const ODD_CALL =
  '{"type":"function_call","id":"c1","name":"pay","arguments":{"amount":12345678901234567890,"big":1e400,"zero":-0,"price":1.10,"note":"\\u00e9\\"","amount":2}}';
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("JsonFileTranscriptStore", () => {
  it("keeps each step's bytes and the attestation, from a Transcript or from the steps it loads", async () => {
    const dir = await mkdtemp(join(tmpdir(), "client-store-"));
    dirs.push(dir);
    const store = new JsonFileTranscriptStore({ directory: dir });
    const transcript = Transcript.parse(`{"attestation":"v2.k.x","history":[{"type":"user_input","content":[]},${ODD_CALL}]}`);
    await store.save("odd", transcript);
    const file = await readFile(store.pathOf("odd"), "utf8");
    expect(file).toContain(`,${ODD_CALL}]}\n`);
    expect(JSON.parse(file)).toMatchObject({ version: 1, id: "odd", attestation: "v2.k.x" });
    const loaded = (await store.load("odd"))!;
    await store.save("odd", loaded);
    expect(Transcript.from((await store.load("odd"))!).serialize()).toBe(transcript.serialize());
  });
});

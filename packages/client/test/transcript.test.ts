// The byte-exact transcript: the JSON scanner, appending full and minimal answers without
// re-serializing a step, the base check, serialization, and the memory and key-value stores.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyValueTranscriptStore, MemoryTranscriptStore, Transcript, withAttestation, type KeyValueStorage } from "../src/index.js";
import { arrayElements, objectMembers } from "../src/json-scan.js";
import { webCryptoSha256 } from "../src/transcript.js";

/** Steps whose bytes no JSON.stringify(JSON.parse(...)) gives back: what the relay keeps byte for byte. */
const ODD_CALL =
  '{"type":"function_call","id":"c1","name":"pay","arguments":{"amount":12345678901234567890,"big":1e400,"zero":-0,"price":1.10,"note":"\\u00e9 \\"q\\" \\\\ \\/ ] , }","amount":2}}';
const ODD_OUTPUT = '{ "type" : "model_output", "content" : [ { "type" : "text", "text" : "a\\nb" } ] }';
const USER = '{"type":"user_input","content":[{"type":"text","text":"Pay"}]}';
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A full answer for `sent` + `added` + `steps` (the shape the relay answers without Prefer). */
function fullBody(sent: string[], inputs: string[], steps: string[], extra = ""): string {
  return `{"history":[${[...sent, ...inputs, ...steps].join(",")}],"steps":[${steps.join(",")}],"status":"completed"${extra}}`;
}

/** A minimal answer as the relay writes it: input_steps, steps, status, pending_calls, base. */
async function minimalBody(sent: string[], inputs: string[], steps: string[], base?: { steps?: number; sha256?: string }): Promise<string> {
  const sha256 = base?.sha256 ?? (await webCryptoSha256(sent.join(",")));
  return `{"input_steps":[${inputs.join(",")}],"steps":[${steps.join(",")}],"status":"completed","pending_calls":[],"attestation":"v2.k.x","base":{"steps":${base?.steps ?? sent.length},"sha256":"${sha256}"}}`;
}

describe("the JSON scanner", () => {
  it("splits arrays and objects into the exact bytes of their values: strings, escapes, nesting, whitespace", () => {
    const text = ` { "a" : [ "x]\\",}" , {"b":[1,{"c":"]"}]} ,-0, 1e400 ,true,null ] , "d":"\\\\" } `;
    const members = objectMembers(text);
    expect([...members.keys()]).toEqual(["a", "d"]);
    expect(arrayElements(text, members.get("a")!)).toEqual(['"x]\\",}"', '{"b":[1,{"c":"]"}]}', "-0", "1e400", "true", "null"]);
    expect(text.slice(members.get("d")!.start, members.get("d")!.end)).toBe('"\\\\"');
    expect(() => objectMembers('{"a":1,"a":2}')).toThrow(/repeated/);
  });

  it("finds every element of any JSON array, however it is spaced (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.constantFrom(undefined, 1, "\t"), (values, space) => {
        const elements = values.map((v) => JSON.stringify(v, null, space));
        const text = `[ ${elements.join(" ,\n")} ]`;
        expect(arrayElements(text, { start: 0, end: text.length })).toEqual(elements);
      }),
    );
  });
});

describe("Transcript", () => {
  it("appends a minimal answer after checking its base, keeping every step's bytes", async () => {
    const sent = Transcript.parse(`{"history":[${USER}]}`);
    const { transcript, steps } = await sent.append(await minimalBody([USER], [ODD_OUTPUT], [ODD_CALL]));
    expect(transcript.historyJson()).toBe(`[${USER},${ODD_OUTPUT},${ODD_CALL}]`);
    expect(transcript.attestation).toBe("v2.k.x");
    expect(steps).toHaveLength(1);
    expect(transcript.steps[2]).toBe(steps[0]); // one parsed view, not two
    expect(steps[0]!.arguments).toEqual({ amount: 2, big: Infinity, zero: -0, price: 1.1, note: 'é "q" \\ / ] , }' });
    // A plain array of those parsed steps still sends their bytes.
    expect(Transcript.from([...transcript.steps]).historyJson()).toBe(transcript.historyJson());
  });

  it("appends to an empty transcript: base is 0 steps and the digest of nothing", async () => {
    const body = await minimalBody([], [USER], [ODD_OUTPUT]);
    expect(body).toContain(EMPTY_SHA256);
    const { transcript } = await Transcript.from([]).append(body);
    expect(transcript.historyJson()).toBe(`[${USER},${ODD_OUTPUT}]`);
  });

  it("refuses an answer to another base: other step count, other digest, other history", async () => {
    const sent = Transcript.parse(`{"history":[${USER}]}`);
    await expect(sent.append(await minimalBody([USER], [], [ODD_CALL], { steps: 2 }))).rejects.toThrow(
      /history of 2 steps, not the 1 sent/,
    );
    await expect(sent.append(await minimalBody([USER], [], [ODD_CALL], { sha256: EMPTY_SHA256 }))).rejects.toThrow(/SHA-256/);
    // Same parsed value, other bytes: not the base that was sent.
    const respaced = USER.replace(":", ": ");
    await expect(sent.append(await minimalBody([respaced], [], [ODD_CALL]))).rejects.toThrow(/SHA-256/);
    await expect(sent.append(fullBody([respaced], [], [ODD_CALL]))).rejects.toThrow(/does not start with the transcript sent/);
    await expect(sent.append('{"steps":[],"status":"completed"}')).rejects.toThrow(/neither "history" nor "input_steps"/);
  });

  it("reads a full answer the same way, and both answers give the same bytes (property)", async () => {
    const oddStep = fc.constantFrom(USER, ODD_OUTPUT, ODD_CALL, '{"type":"thought","signature":"c2ln","n":-0.0e-0}');
    await fc.assert(
      fc.asyncProperty(
        fc.array(oddStep, { maxLength: 6 }),
        fc.array(oddStep, { maxLength: 3 }),
        fc.array(oddStep, { maxLength: 3 }),
        async (sent, inputs, steps) => {
          const base = Transcript.parse(`{"history":[${sent.join(",")}]}`);
          const full = await base.append(fullBody(sent, inputs, steps));
          const minimal = await base.append(await minimalBody(sent, inputs, steps));
          expect(minimal.transcript.historyJson()).toBe(`[${[...sent, ...inputs, ...steps].join(",")}]`);
          expect(full.transcript.historyJson()).toBe(minimal.transcript.historyJson());
        },
      ),
      { numRuns: 50 },
    );
  });

  it("serializes to exact bytes and reads them back, attestation included", async () => {
    const { transcript } = await Transcript.from([]).append(await minimalBody([], [USER], [ODD_CALL]));
    const stored = transcript.serialize();
    expect(stored).toBe(`{"attestation":"v2.k.x","history":[${USER},${ODD_CALL}]}`);
    const again = Transcript.parse(stored);
    expect(again.serialize()).toBe(stored);
    expect(again.stepText(1)).toBe(ODD_CALL);
    expect(Transcript.parse(null).length).toBe(0);
    // The app's own steps are serialized once; the attestation an array carries comes along.
    const own = Transcript.from(withAttestation([{ type: "user_input", content: [] }], "v1.a.b"));
    expect(own.serialize()).toBe('{"attestation":"v1.a.b","history":[{"type":"user_input","content":[]}]}');
  });
});

describe("stores keep the bytes", () => {
  const oddTranscript = () => Transcript.parse(`{"attestation":"v2.k.x","history":[${USER},${ODD_OUTPUT},${ODD_CALL}]}`);

  it("MemoryTranscriptStore, from a Transcript or its steps", async () => {
    const store = new MemoryTranscriptStore();
    await store.save("a", oddTranscript());
    await store.save("b", (await store.load("a"))!);
    expect(Transcript.from((await store.load("b"))!).serialize()).toBe(oddTranscript().serialize());
  });

  it("KeyValueTranscriptStore over a sync storage (localStorage) and an async one (AsyncStorage), with and without removeItem", async () => {
    const map = new Map<string, string>();
    const sync: KeyValueStorage = {
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    };
    const async: KeyValueStorage = { getItem: async (k) => map.get(k) ?? null, setItem: async (k, v) => void map.set(k, v) };
    for (const storage of [sync, async]) {
      const store = new KeyValueTranscriptStore(storage, { prefix: "chat:" });
      expect(await store.load("s")).toBeUndefined();
      await store.save("s", oddTranscript());
      expect(map.get("chat:s")).toBe(oddTranscript().serialize());
      expect((await store.loadTranscript("s"))!.serialize()).toBe(oddTranscript().serialize());
      const steps = (await store.load("s"))!;
      expect(steps[2]!.type).toBe("function_call");
      await store.save("s", steps);
      expect(map.get("chat:s")).toBe(oddTranscript().serialize());
      await store.delete("s");
      expect(await store.load("s")).toBeUndefined();
    }
  });
});

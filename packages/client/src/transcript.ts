/**
 * A transcript as the relay keeps it: each step's exact JSON text, plus a parsed view for the app.
 * The relay carries steps byte for byte; the client does too. Steps it parsed from a response
 * remember their text (a WeakMap keyed by the parsed object), so the next request, a store or a
 * plain `Step[]` built from them sends and saves those bytes, never `JSON.stringify` of the parse
 * (which rounds a 20-digit integer, turns `1e400` into null and `-0` into 0, and keeps one of two
 * repeated keys). Only steps the app makes itself (a function_result, an input) are serialized here,
 * once, as their first and only text.
 */
import { attestationOf, withAttestation } from "./attestation.js";
import { arrayElements, objectMembers, type Range } from "./json-scan.js";
import type { JsonObject, Step } from "./wire.js";

/** The exact text of each step object parsed from the relay's bytes (or from a store's). */
const TEXTS = new WeakMap<object, string>();

/** A step's JSON text: the bytes it arrived in, or (for a step the app made) its serialization. */
export function stepText(step: unknown): string {
  return (typeof step === "object" && step !== null ? TEXTS.get(step) : undefined) ?? JSON.stringify(step) ?? "null";
}

/** Parses one step's text into the app's view, remembering the text. */
function parseStep(text: string): Step {
  return adoptStep(JSON.parse(text), text);
}

/** A step already parsed (as part of a larger JSON value) that `text` spells, remembered with it. */
export function adoptStep(step: unknown, text: string): Step {
  if (typeof step !== "object" || step === null || Array.isArray(step)) throw new SyntaxError("a step is not a JSON object");
  TEXTS.set(step, text);
  return step as Step;
}

/** The elements of the array member at `range` in `body`, whose parse is `values`: each value adopted with its own text. */
function adoptAll(body: string, range: Range, values: unknown): { texts: string[]; steps: Step[] } {
  const texts = arrayElements(body, range);
  if (!Array.isArray(values) || values.length !== texts.length) throw new SyntaxError("a step list is not a JSON array");
  return { texts, steps: texts.map((text, i) => adoptStep(values[i], text)) };
}

/** `[a,b,c]` from element texts: what a JSON array of these steps is, byte for byte. */
export function arrayText(items: readonly unknown[]): string {
  return `[${items.map(stepText).join(",")}]`;
}

/** Lowercase hex SHA-256 of a text's UTF-8 bytes. */
export type Sha256 = (text: string) => Promise<string>;

/** SHA-256 by WebCrypto (browsers, Node, Workers, Deno, Bun); React Native passes its own (RelayClientOptions.sha256). */
export const webCryptoSha256: Sha256 = async (text) => {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle) throw new Error("No crypto.subtle here to check a minimal response's base: pass `sha256` in the client's options.");
  const digest = new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
};

/**
 * A transcript: the steps' exact texts, a parsed view (`steps`), and the relay's attestation.
 * Immutable: appending a response makes a new one.
 *
 * @example
 * let transcript = Transcript.parse((await storage.getItem("chat")) ?? "");
 * const result = await client.turn({ model, history: transcript, input: "Hi" });
 * transcript = result.transcript;
 * await storage.setItem("chat", transcript.serialize());
 */
export class Transcript {
  readonly #texts: readonly string[];
  readonly #steps: readonly Step[];
  /** The steps' texts joined by `,` (the history's bytes between its brackets), made once: sent, then checked against `base`. */
  #inner: string | undefined;
  /** The relay's attestation of these steps (relays with TRANSCRIPT_KEYS), sent back with them. */
  readonly attestation: string | undefined;

  private constructor(texts: readonly string[], steps: readonly Step[], attestation: string | undefined) {
    this.#texts = texts;
    this.#steps = steps;
    this.attestation = attestation;
  }

  /**
   * A transcript of `history`: a Transcript as it is, or steps (those parsed by this client keep
   * their bytes; the app's own are serialized once). The attestation is the one given or the one
   * the array carries (see attestationOf).
   */
  static from(history: readonly Step[] | Transcript = [], attestation?: string): Transcript {
    if (history instanceof Transcript)
      return attestation === undefined ? history : new Transcript(history.#texts, history.#steps, attestation);
    const texts = history.map(stepText);
    return new Transcript(
      texts,
      texts.map((text, i) => (TEXTS.get(history[i]!) === text ? history[i]! : parseStep(text))),
      attestation ?? attestationOf(history),
    );
  }

  /**
   * A transcript from what `serialize()` wrote (an empty or missing text is an empty transcript).
   * Also reads any JSON object with a `history` array (and `attestation`), such as a turn's full response.
   */
  static parse(text: string | null | undefined): Transcript {
    if (!text) return new Transcript([], [], undefined);
    const record = JSON.parse(text) as { attestation?: unknown; history?: unknown };
    const history = objectMembers(text).get("history");
    if (!history || !Array.isArray(record.history)) throw new SyntaxError('a stored transcript has a "history" array');
    const { texts, steps } = adoptAll(text, history, record.history);
    return new Transcript(texts, steps, typeof record.attestation === "string" ? record.attestation : undefined);
  }

  get length(): number {
    return this.#texts.length;
  }

  /** The parsed view (a copy, carrying the attestation): for rendering, and accepted as `history` too. */
  get steps(): Step[] {
    return withAttestation([...this.#steps], this.attestation);
  }

  /** Step `index`'s exact JSON text. */
  stepText(index: number): string | undefined {
    return this.#texts[index];
  }

  /** The history array's exact bytes, as sent to the relay: `[` + the steps' texts joined by `,` + `]`. */
  historyJson(): string {
    return `[${this.#innerText()}]`;
  }

  #innerText(): string {
    return (this.#inner ??= this.#texts.join(","));
  }

  /** What to store: `{"attestation":…,"history":[…]}`, the steps in their exact bytes. Read back with Transcript.parse. */
  serialize(): string {
    const attestation = this.attestation === undefined ? "" : `"attestation":${JSON.stringify(this.attestation)},`;
    return `{${attestation}"history":${this.historyJson()}}`;
  }

  /** This transcript with `texts` appended (their parsed view made once, from those bytes). */
  #with(texts: readonly string[], steps: readonly Step[], attestation: string | undefined): Transcript {
    return new Transcript([...this.#texts, ...texts], [...this.#steps, ...steps], attestation);
  }

  /**
   * The transcript after a turn sent with this one as its history: `body` is the relay's answer
   * (unary, or `turn.completed`'s data), full (`history`) or minimal (`input_steps`, `steps`,
   * `base`). A minimal answer is appended only if its `base` is this transcript (same step count,
   * same SHA-256 of the history bytes); a full one only if its history starts with these steps,
   * byte for byte. Throws a TypeError saying which check failed.
   *
   * @example
   * const sent = Transcript.parse(saved);
   * const res = await fetch(url, { method: "POST", headers: { prefer: "return=minimal", "content-type": "application/json" }, body: `{"model":"gemini-3.5-flash","input":"Hi","history":${sent.historyJson()}}` });
   * const { transcript } = await sent.append(await res.text());
   */
  async append(body: string, sha256: Sha256 = webCryptoSha256): Promise<{ transcript: Transcript; steps: Step[]; record: JsonObject }> {
    const record = JSON.parse(body) as {
      attestation?: unknown;
      base?: { steps?: unknown; sha256?: unknown };
      steps?: unknown;
      history?: unknown;
      input_steps?: unknown;
    };
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new TypeError("the answer is not a JSON object");
    const members = objectMembers(body);
    const attestation = typeof record.attestation === "string" ? record.attestation : undefined;
    const stepsRange = members.get("steps");
    if (!stepsRange) throw new TypeError('the answer has no "steps" array');
    // The body is parsed once, whole: each step's value comes from that parse, with its own slice's text.
    const { texts: stepTexts, steps } = adoptAll(body, stepsRange, record.steps);

    const historyRange = members.get("history");
    if (historyRange) {
      const { texts, steps: history } = adoptAll(body, historyRange, record.history);
      if (texts.length < this.length || this.#texts.some((text, i) => texts[i] !== text))
        throw new TypeError("the answer's history does not start with the transcript sent, byte for byte");
      return { transcript: this.#with(texts.slice(this.length), history.slice(this.length), attestation), steps, record };
    }

    const inputRange = members.get("input_steps");
    const base = record.base;
    if (!inputRange || typeof base !== "object" || base === null)
      throw new TypeError('the answer has neither "history" nor "input_steps" and "base"');
    if (base.steps !== this.length)
      throw new TypeError(`the answer continues a history of ${String(base.steps)} steps, not the ${this.length} sent`);
    const digest = await sha256(this.#innerText());
    if (base.sha256 !== digest) throw new TypeError("the answer continues a history whose SHA-256 is not that of the history sent");
    const inputs = adoptAll(body, inputRange, record.input_steps);
    return { transcript: this.#with([...inputs.texts, ...stepTexts], [...inputs.steps, ...steps], attestation), steps, record };
  }
}

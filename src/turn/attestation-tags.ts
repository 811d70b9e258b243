/**
 * The attestation's MACs (see attestation.ts): a transcript's shape (where the model-authored steps
 * are and the caller's steps before each), value, block and end tags, and the keys that make them.
 */
import { base64url } from "jose";
import type { TranscriptKey } from "../config-values";
import { canonicalStep } from "../json/canonical";
import { decodeUtf8 } from "../json/scan";
import { TAG_CHARS, prevOf, type Block, type Chain, type Claimed } from "./attestation-format";
import { isModelAuthored, type StepRef } from "../steps";

const DOMAIN = "gemini-relay transcript v1";
const TAG_BYTES = 16;

/** What the chain needs of a transcript's step types, read in one pass. */
export interface Shape {
  /** Where the model-authored steps are. */
  modelAt: number[];
  /** For each of them: the kinds of the caller's steps since the one before it (`u` user_input, `r` function_result). */
  places: string[];
  /** Where the function results are (each must answer an attested call). */
  resultsAt: number[];
}

/** The shape of steps[from..]: `from` is 0, or right after a model-authored step. */
export function shapeOf(steps: readonly StepRef[], from = 0): Shape {
  const shape: Shape = { modelAt: [], places: [], resultsAt: [] };
  let since = "";
  for (let i = from; i < steps.length; i++) {
    const type = steps[i]!.view.type;
    if (isModelAuthored(type)) {
      shape.modelAt.push(i);
      shape.places.push(since);
      since = "";
    } else {
      if (type === "function_result") shape.resultsAt.push(i);
      since += type === "user_input" ? "u" : "r";
    }
  }
  return shape;
}

/** A model step's canonical form, from its bytes (parsed again: only steps whose bytes changed, and this turn's, come here). */
export function canonicalOf(step: StepRef): string {
  return canonicalStep(JSON.parse(decodeUtf8(step.bytes)), step.bytes);
}

const encoder = new TextEncoder();

export function valueTag(key: CryptoKey, prev: string, place: string, canonical: string): Promise<string> {
  return mac(key, encoder.encode(`${DOMAIN}\nvalue\n${prev}\n${place}\n${canonical}`));
}

/**
 * The tag of the chain's end; with `caller` (TRANSCRIPT_BIND_CALLER), of its end for that caller (its
 * Caller.id): a message of its own kind, so neither spelling can stand for the other.
 */
export function endTag(key: CryptoKey, last: string, caller?: string): Promise<string> {
  const message = caller === undefined ? `${DOMAIN}\nend\n${last}` : `${DOMAIN}\nend for caller\n${caller}\n${last}`;
  return mac(key, encoder.encode(message));
}

/** What a block tag covers: the link its run hangs off, then each step's place, value tag and bytes. */
interface Span {
  prev: string;
  steps: { place: string; value: string; bytes: Uint8Array }[];
}

export function spanOf(chain: Chain, block: Block, steps: readonly StepRef[], shape: Shape): Span {
  const span: Span = { prev: prevOf(chain, block.start), steps: [] };
  for (let k = block.start; k < block.start + block.count; k++) {
    span.steps.push({ place: shape.places[k]!, value: chain.values[k]!, bytes: steps[shape.modelAt[k]!]!.bytes });
  }
  return span;
}

/**
 * The head of a block tag's message, before the steps' bytes (ASCII: one byte per character). v2
 * lists each step's place, value tag and length, so the bytes cannot be split otherwise; v1 (one
 * step per block) is its bytes tag's.
 */
function headOf(version: Claimed["version"], span: Span): string {
  if (version === "v1") return `${DOMAIN}\nbytes\n${span.prev}\n${span.steps[0]!.place}\n${span.steps[0]!.value}\n`;
  const steps = span.steps.map((step) => `${step.place}\n${step.value}\n${step.bytes.byteLength}\n`).join("");
  return `${DOMAIN}\nblock\n${span.prev}\n${span.steps.length}\n${steps}`;
}

/**
 * The block tags of many spans. Each message is written into one scratch buffer the size of the
 * largest: WebCrypto copies what it signs when called, so the buffer is free for the next block at
 * once, and a turn allocates one block's worth rather than the whole transcript's (at 10 MB, a
 * fresh 4 MB buffer per turn cost page faults and collections).
 */
export function blockTags(key: CryptoKey, version: Claimed["version"], spans: readonly Span[]): Promise<string[]> {
  const heads = spans.map((span) => headOf(version, span));
  const lengths = spans.map((span, n) => span.steps.reduce((sum, step) => sum + step.bytes.byteLength, heads[n]!.length));
  const scratch = new Uint8Array(lengths.reduce((largest, length) => Math.max(largest, length), 0));
  const signatures = spans.map((span, n) => {
    let at = encoder.encodeInto(heads[n]!, scratch).written;
    for (const step of span.steps) {
      scratch.set(step.bytes, at);
      at += step.bytes.byteLength;
    }
    return crypto.subtle.sign("HMAC", key, scratch.subarray(0, at));
  });
  return Promise.all(signatures).then(tagTexts);
}

/** HMAC-SHA-256, truncated to TAG_BYTES, as base64url text. */
async function mac(key: CryptoKey, message: Uint8Array): Promise<string> {
  return tagTexts([await crypto.subtle.sign("HMAC", key, message)])[0]!;
}

/** Bytes a tag takes in tagTexts' layout: the tag, then zeros up to a whole number of base64 groups (3 bytes, 4 characters). */
const TAG_SLOT_BYTES = Math.ceil(TAG_BYTES / 3) * 3;
const TAG_SLOT_CHARS = (TAG_SLOT_BYTES / 3) * 4;

/**
 * Signatures, truncated to TAG_BYTES, as base64url text, with one encoding for all of them (jose:
 * the runtime's native base64 where it has one): each tag is laid out in its own slot of whole
 * base64 groups, zero-filled after it, so its slot's text begins with exactly its own 22 characters.
 */
function tagTexts(signatures: readonly ArrayBuffer[]): string[] {
  const slots = new Uint8Array(signatures.length * TAG_SLOT_BYTES);
  signatures.forEach((signature, n) => slots.set(new Uint8Array(signature, 0, TAG_BYTES), n * TAG_SLOT_BYTES));
  const text = base64url.encode(slots);
  return signatures.map((_, n) => text.slice(n * TAG_SLOT_CHARS, n * TAG_SLOT_CHARS + TAG_CHARS));
}

/** Constant time over the tag's length, so a caller cannot learn a tag character by character from timings. */
export function equalTags(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface Keyring {
  signing: { id: string; key: CryptoKey };
  byId: Map<string, CryptoKey>;
}

/** Keys imported once per isolate and key setting (the config's key list is one object per isolate). Nothing of any request is kept. */
const keyrings = new WeakMap<readonly TranscriptKey[], Promise<Keyring>>();

export function keyring(keys: readonly TranscriptKey[]): Promise<Keyring> {
  let ring = keyrings.get(keys);
  if (!ring) {
    ring = importKeys(keys);
    keyrings.set(keys, ring);
  }
  return ring;
}

async function importKeys(keys: readonly TranscriptKey[]): Promise<Keyring> {
  const byId = new Map<string, CryptoKey>();
  for (const { id, secret } of keys) {
    byId.set(id, await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]));
  }
  const first = keys[0]!;
  return { signing: { id: first.id, key: byId.get(first.id)! }, byId };
}

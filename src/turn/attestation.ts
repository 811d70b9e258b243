/**
 * Tamper-evident transcripts (TRANSCRIPT_KEYS): the relay attests every model-authored step it
 * returns and, when the history comes back, checks that each one is a step it returned, unaltered,
 * in the same place, before anything goes upstream. Nothing is kept between requests: the
 * attestation travels beside the history, and the caller's own steps stay theirs to write.
 *
 * Each model-authored step k has a value tag (HMAC-SHA-256, truncated to 16 bytes), the chain's link:
 *
 *   value_k = HMAC(key, "value" ‖ value_{k-1} ‖ place_k ‖ canonical_k)
 *
 * - canonical_k: the step's JSON value in canonical form (json/canonical.ts), so re-serializing
 *   the transcript keeps it valid while any change of value breaks it;
 * - place_k: the kinds of the caller's steps since the previous model-authored step (`u` for
 *   user_input, `r` for function_result): their content is free, their number and kind are not;
 * - value_{k-1}: the previous link, so steps cannot be reordered, dropped from the middle or moved
 *   in from another conversation. The first link hangs off an anchor: zeros where the conversation
 *   starts, or value_m of the last step before a cut (see dropLeadingTurns in the client).
 *
 * Checking value tags means parsing every step again. So runs of consecutive model-authored steps,
 * about BLOCK_BYTES of them each, also get a block tag over the bytes the relay returned:
 *
 *   block = HMAC(key, "block" ‖ the link before the run ‖ each step's place, value tag and length ‖ their bytes)
 *
 * A run sent back byte for byte is verified by its block tag alone: one MAC over bytes already held,
 * no parse, no serialization (the common case). Only the steps of a run whose bytes changed are
 * parsed and checked one by one by their value tags, which name the first step that fails; a run
 * that passes that way is tagged again over the bytes it came with, so the next turn is cheap again.
 *
 * And the chain's end is tagged, `end = HMAC(key, "end" ‖ value_n)`, so model steps cannot be dropped
 * from the end of the last turn with the chain cut to match: a chain may only end where a response
 * of this relay ended it (a leading cut leaves the end as it was).
 *
 * The attestation is `v2.<key id>.<anchor><value_1>…<value_n>.<count>~<block>….<end>`, each tag as
 * 22 base64url characters, each block preceded by how many steps it covers. Blocks are counted back
 * from the last step, so a caller who drops leading steps cuts only the value tags (a block left
 * partly cut is checked by value). Keyed MACs only, nothing of the content. The first key of
 * TRANSCRIPT_KEYS signs, every key verifies, and a transcript verified with an older key is signed
 * again with the first.
 *
 * Version 1 (`v1.<key id>.<anchor><bytes_1><value_1>…`, a bytes tag per step, no end tag) is still
 * verified, as a block per step, and answered in version 2: its value tags are the same.
 */
import { base64url } from "jose";
import type { Config, TranscriptKey } from "../config";
import { RelayError, type ProblemItem } from "../errors";
import { canonicalStep } from "../json/canonical";
import { decodeUtf8 } from "../json/scan";
import { isModelAuthored, type StepRef } from "./history";
import type { Locate } from "./integrity";

/** The version this relay signs; it verifies "v1" too. */
const VERSION = "v2";
const DOMAIN = "gemini-relay transcript v1";
const TAG_BYTES = 16;
const TAG_CHARS = 22;
/**
 * One tag as this relay writes it: 22 base64url characters, the last with its four padding bits
 * clear. Tags are handled in this spelling throughout (the MAC messages hold it), so one that
 * decodes to the same bytes but is spelled otherwise is not one this relay issued.
 */
const TAG = `[A-Za-z0-9_-]{${TAG_CHARS - 1}}[AQgw]`;
/** v2: the anchor, then a value tag per model-authored step. */
const V2_VALUES = new RegExp(`^(?:${TAG})+$`);
/** v2: the tag of the chain's end. */
const V2_END = new RegExp(`^${TAG}$`);
/** v2: blocks, each as the number of steps it covers, `~`, and its tag. */
const V2_BLOCK = `([1-9][0-9]{0,5})~(${TAG})`;
const V2_BLOCKS = new RegExp(`^(?:${V2_BLOCK})*$`);
/** v1: the anchor, then a bytes tag and a value tag per model-authored step. */
const V1_TAGS = new RegExp(`^${TAG}(?:${TAG}${TAG})*$`);
/** The anchor where a conversation starts: 16 zero bytes. */
const ZERO_ANCHOR = "A".repeat(TAG_CHARS);
/**
 * Bytes of steps a block covers before the next starts: few MACs per transcript (per call, WebCrypto
 * costs about as much as hashing a few KB), and little to hash again when this turn's steps join the last block.
 */
const BLOCK_BYTES = 64 * 1024;
/** How far from its position a failing step is looked for, to tell "out of place" from "altered". */
const SEARCH_RADIUS = 8;
/** How many failing steps are looked for elsewhere (each search costs dozens of MACs over the step). */
const SEARCHED_FAILURES = 3;

export type TranscriptSettings = Config["transcript"];

/** What the relay concluded about the request's transcript, before the upstream call. */
export interface TranscriptCheck {
  /** The response's attestation for its whole history (the request's steps + this turn's); absent: none is given. */
  attest?: (history: readonly StepRef[]) => Promise<string>;
  /** verify mode, model-authored steps and no attestation: the Relay-Attestation-Warning header's value. */
  warning?: string;
}

/** The header that says a history's model-authored steps were not verified (verify mode, no attestation). */
export const ATTESTATION_WARNING_HEADER = "Relay-Attestation-Warning";

/**
 * Checks the model-authored steps of history ++ input against the attestation, or throws a 422
 * naming the first step that fails and why (unattested, altered, out of place).
 */
export async function checkTranscript(
  steps: readonly StepRef[],
  attestation: string | undefined,
  settings: TranscriptSettings,
  locate: Locate,
): Promise<TranscriptCheck> {
  if (settings.mode === "off") return {};
  const keys = await keyring(settings.keys);
  const shape = shapeOf(steps);
  const { modelAt } = shape;
  if (attestation === undefined) {
    if (modelAt.length === 0) return { attest: (history) => sign(keys.signing, { anchor: ZERO_ANCHOR, values: [], blocks: [] }, history) };
    if (settings.mode === "verify") return { warning: `unverified; ${modelAt.length} model-authored steps came without an attestation` };
    throw attestationFailed([
      {
        path: locate(modelAt[0]!),
        message:
          "is a model-authored step, and this request carries no `attestation` (this relay requires one: send back the `attestation` of the response that returned this history)",
      },
    ]);
  }

  const claimed = parseAttestation(attestation);
  const key = keys.byId.get(claimed.keyId);
  if (!key) {
    throw attestationFailed([
      {
        path: "/attestation",
        message: `is signed with key id "${claimed.keyId}", which this relay does not hold (TRANSCRIPT_KEYS): it was not issued here, or its key was retired`,
      },
    ]);
  }
  const { findings, verifiedBlocks } = await verify(steps, shape, claimed, key, locate);
  if (findings.length > 0) throw attestationFailed(findings);
  // Verified with the signing key: its value tags stand (every model-authored step has one), and so do the
  // v2 blocks verified by their bytes; the rest is tagged again. With an older key: all of it is signed again.
  if (key !== keys.signing.key)
    return { attest: (history) => sign(keys.signing, { anchor: claimed.anchor, values: [], blocks: [] }, history) };
  const known: Signed = { anchor: claimed.anchor, values: claimed.values, blocks: claimed.version === VERSION ? verifiedBlocks : [] };
  return { attest: (history) => sign(keys.signing, known, history, shape) };
}

/** The drop-in route cannot carry an attestation: in require mode it is refused unless the operator opted in. */
export function checkDropIn(settings: TranscriptSettings): void {
  if (settings.mode !== "require" || settings.allowDropIn) return;
  throw new RelayError(403, "attestation_required", {
    detail:
      "This relay requires attested transcripts (TRANSCRIPT_MODE=require), and the drop-in Interactions route has no field for an attestation: use POST /v1/turns. The operator can allow this route anyway with TRANSCRIPT_ALLOW_DROP_IN=true.",
  });
}

// ---------------------------------------------------------------------------------------------
// The attestation's text

/** A run of consecutive model-authored steps (by their index among them) and its tag. */
interface Block {
  start: number;
  count: number;
  tag: string;
}

/** The chain: an anchor, then the value tag of each model-authored step, as base64url text (see TAG). */
interface Chain {
  anchor: string;
  values: readonly string[];
}

/** The chain and the blocks over it, in order: what an attestation holds besides its version and key id. */
interface Signed extends Chain {
  /** v1's are one per step, tagged as v1's bytes tags were. */
  blocks: readonly Block[];
}

interface Claimed extends Signed {
  version: "v1" | "v2";
  keyId: string;
  /** v2: the tag of the chain's end. */
  end?: string;
}

/** The attestation's tags, read as text: they are compared and chained as text, never decoded. */
function parseAttestation(text: string): Claimed {
  const [version, keyId, ...parts] = text.split(".");
  const read = keyId === undefined ? undefined : version === "v2" ? readV2(parts) : version === "v1" ? readV1(parts) : undefined;
  if (!read) {
    throw attestationFailed([
      {
        path: "/attestation",
        message:
          "is not an attestation this relay issued (expected v2.<key id>.<tags>.<blocks>.<end>): send back the `attestation` of the last response, unchanged",
      },
    ]);
  }
  return { version: version as Claimed["version"], keyId: keyId!, ...read };
}

function readV2(parts: string[]): (Signed & { end: string }) | undefined {
  const [chain, blockText, end] = parts;
  if (parts.length !== 3 || !V2_VALUES.test(chain!) || !V2_BLOCKS.test(blockText!) || !V2_END.test(end!)) return undefined;
  const values = tagsOf(chain!.slice(TAG_CHARS), TAG_CHARS);
  // Blocks are counted back from the last step: a cut at the front leaves the others where they were.
  const counted = [...blockText!.matchAll(new RegExp(V2_BLOCK, "gy"))].map(([, count, tag]) => ({ count: Number(count), tag: tag! }));
  let blockEnd = values.length;
  const blocks = counted
    .reverse()
    .map(({ count, tag }) => ({ start: (blockEnd -= count), count, tag }))
    .reverse();
  return { anchor: chain!.slice(0, TAG_CHARS), values, blocks, end: end! };
}

function readV1(parts: string[]): Signed | undefined {
  const [tags] = parts;
  if (parts.length !== 1 || !V1_TAGS.test(tags!)) return undefined;
  const body = tags!.slice(TAG_CHARS);
  const values = tagsOf(body.slice(TAG_CHARS), 2 * TAG_CHARS);
  const blocks = tagsOf(body, 2 * TAG_CHARS).map((tag, k) => ({ start: k, count: 1, tag }));
  return { anchor: tags!.slice(0, TAG_CHARS), values, blocks };
}

/** The tags at every `stride` characters of `text`. */
function tagsOf(text: string, stride: number): string[] {
  const tags: string[] = [];
  for (let at = 0; at < text.length; at += stride) tags.push(text.slice(at, at + TAG_CHARS));
  return tags;
}

function writeAttestation(keyId: string, { anchor, values, blocks }: Signed, end: string): string {
  return `${VERSION}.${keyId}.${anchor}${values.join("")}.${blocks.map((block) => `${block.count}~${block.tag}`).join("")}.${end}`;
}

// ---------------------------------------------------------------------------------------------
// Verifying

async function verify(
  steps: readonly StepRef[],
  shape: Shape,
  claimed: Claimed,
  key: CryptoKey,
  locate: Locate,
): Promise<{ findings: ProblemItem[]; verifiedBlocks: Block[] }> {
  const { modelAt, places } = shape;
  const covered = Math.min(claimed.values.length, modelAt.length);
  // Blocks first, all at once: a run sent back byte for byte needs nothing else. Blocks a cut or a
  // dropped step left partly outside the transcript cannot match, and are not computed.
  const checkable = claimed.blocks.filter((block) => block.start >= 0 && block.start + block.count <= covered);
  const computed = await blockTags(
    key,
    claimed.version,
    checkable.map((block) => spanOf(claimed, block, steps, shape)),
  );
  const verifiedBlocks = checkable.filter((block, n) => equalTags(computed[n]!, block.tag));
  const valid = new Array<boolean>(covered).fill(false);
  for (const block of verifiedBlocks) valid.fill(true, block.start, block.start + block.count);
  // The other steps one by one, by value (each link on its own: one altered step is one finding).
  const unverified = valid.flatMap((ok, k) => (ok ? [] : [k]));
  await Promise.all(
    unverified.map(async (k) => {
      valid[k] = equalTags(await valueTag(key, prevOf(claimed, k), places[k]!, canonicalOf(steps[modelAt[k]!]!)), claimed.values[k]!);
    }),
  );
  const findings = await findingsOf(steps, shape, claimed, valid, key, locate);
  if (claimed.end !== undefined && !equalTags(await endTag(key, lastLink(claimed)), claimed.end)) {
    findings.push({
      path: "/attestation",
      message:
        "does not end where a response of this relay ended its chain: model-authored steps were dropped from the end of a turn, with the attestation cut to match (send back the `attestation` of the last response, unchanged)",
    });
  }
  return { findings, verifiedBlocks };
}

/** The findings of a verification, in transcript order: `valid` says which covered model-authored steps check out. */
async function findingsOf(
  steps: readonly StepRef[],
  shape: Shape,
  claimed: Claimed,
  valid: readonly boolean[],
  key: CryptoKey,
  locate: Locate,
): Promise<ProblemItem[]> {
  const { modelAt } = shape;
  const findings: { at: number; item: ProblemItem }[] = [];
  const attestedCalls = new Set<string>();
  let searched = 0;
  for (const [k, i] of modelAt.entries()) {
    const step = steps[i]!;
    if (k >= claimed.values.length) {
      findings.push({
        at: i,
        item: {
          path: locate(i),
          message: `is a model-authored step (${step.view.type}) that the attestation does not cover: this relay did not return it here (unattested)`,
        },
      });
    } else if (!valid[k]) {
      const search = searched++ < SEARCHED_FAILURES;
      const movedFrom = search ? await foundElsewhere(key, k, steps, shape, claimed) : undefined;
      const message = !search
        ? `is not the step this relay returned at this place (altered, or out of place: only the first ${SEARCHED_FAILURES} failing steps are told apart)`
        : movedFrom === undefined
          ? `is not the step this relay returned at this place: it was altered, or comes from another conversation (altered)`
          : movedFrom === k
            ? `is a step this relay returned, with different steps of yours before it: it was moved among your steps (out of place)`
            : `is a step this relay returned as model-authored step ${movedFrom + 1}, not ${k + 1}: steps were reordered (out of place)`;
      findings.push({ at: i, item: { path: locate(i), message } });
    } else if (step.view.type === "function_call") {
      attestedCalls.add(String(step.view.id));
    }
  }
  for (const i of shape.resultsAt) {
    const result = steps[i]!.view;
    if (!attestedCalls.has(String(result.call_id))) {
      findings.push({
        at: i,
        item: {
          path: `${locate(i)}/call_id`,
          message: `answers call "${String(result.call_id)}", but no attested function_call in this transcript made it (unattested call)`,
        },
      });
    }
  }
  // A cut transcript resumes at a turn boundary: a caller cannot start it inside one of the model's turns.
  if (claimed.anchor !== ZERO_ANCHOR && steps[0] !== undefined && steps[0].view.type !== "user_input") {
    findings.push({
      at: -1,
      item: {
        path: locate(0),
        message:
          "starts inside a turn: a transcript whose leading turns were dropped must start with the user_input step that follows a model step (out of place)",
      },
    });
  }
  findings.sort((a, b) => a.at - b.at);
  const items = findings.map((finding) => finding.item);
  if (claimed.values.length > modelAt.length) {
    items.push({
      path: "/attestation",
      message: `covers ${claimed.values.length} model-authored steps, but the transcript holds ${modelAt.length}: steps were dropped (drop whole leading turns only, with the client's dropLeadingTurns)`,
    });
  }
  return items;
}

/**
 * Where a step that failed at model position k is attested instead: at k with other steps of yours
 * before it, or at a nearby position (reordering). Only run on failure, within SEARCH_RADIUS.
 */
async function foundElsewhere(
  key: CryptoKey,
  k: number,
  steps: readonly StepRef[],
  shape: Shape,
  claimed: Claimed,
): Promise<number | undefined> {
  const { modelAt, places } = shape;
  const canonical = canonicalOf(steps[modelAt[k]!]!);
  for (let m = Math.max(0, k - SEARCH_RADIUS); m <= Math.min(claimed.values.length - 1, k + SEARCH_RADIUS); m++) {
    const prev = prevOf(claimed, m);
    for (const place of new Set([places[k]!, places[m] ?? "", "", "u", "r"])) {
      if (m === k && place === places[k]) continue;
      if (equalTags(await valueTag(key, prev, place, canonical), claimed.values[m]!)) return m;
    }
  }
  return undefined;
}

/** The link model-authored step k hangs off: the value tag of the step before it, or the anchor. */
function prevOf(chain: Chain, k: number): string {
  return k === 0 ? chain.anchor : chain.values[k - 1]!;
}

/** The chain's last link: the value tag of its last step, or the anchor. */
function lastLink(chain: Chain): string {
  return prevOf(chain, chain.values.length);
}

function attestationFailed(errors: ProblemItem[]): RelayError {
  return new RelayError(422, "attestation_failed", {
    detail: `The transcript's model-authored steps are not as this relay returned them (${errors.length} finding${errors.length > 1 ? "s" : ""}): ${errors[0]!.path} ${errors[0]!.message}. Nothing was sent to Gemini.`,
    errors,
  });
}

// ---------------------------------------------------------------------------------------------
// Signing

/**
 * The attestation of `history` with the signing key. `known` holds the verified value tags of its
 * first model-authored steps (those of `prior`, the shape of the history the request brought) and
 * the blocks that stand; the steps after them (this turn's) get value tags here, and every step
 * outside a standing block is covered by new blocks. The last block, while under BLOCK_BYTES, takes
 * this turn's steps in (tagged again with them) rather than standing.
 */
async function sign(signing: Keyring["signing"], known: Signed, history: readonly StepRef[], prior?: Shape): Promise<string> {
  const shape = prior ? extendShape(prior, history) : shapeOf(history);
  const values = [...known.values];
  const chain: Chain = { anchor: known.anchor, values };
  for (let k = values.length; k < shape.modelAt.length; k++) {
    values.push(await valueTag(signing.key, prevOf(chain, k), shape.places[k]!, canonicalOf(history[shape.modelAt[k]!]!)));
  }
  const standing = [...known.blocks];
  const last = standing.at(-1);
  if (last && last.start + last.count === known.values.length && bytesOf(last, history, shape) < BLOCK_BYTES) standing.pop();
  const { blocks, untagged } = layout(standing, values.length, history, shape);
  const spans = untagged.map((block) => spanOf(chain, block, history, shape));
  const tags = await blockTags(signing.key, VERSION, spans);
  untagged.forEach((block, n) => (block.tag = tags[n]!));
  return writeAttestation(signing.id, { ...chain, blocks }, await endTag(signing.key, lastLink(chain)));
}

/** The shape of the request's steps extended over `history`, which holds them and this turn's after them (signing reads no results). */
function extendShape(prior: Shape, history: readonly StepRef[]): Shape {
  const added = shapeOf(history, (prior.modelAt.at(-1) ?? -1) + 1);
  return { modelAt: [...prior.modelAt, ...added.modelAt], places: [...prior.places, ...added.places], resultsAt: [] };
}

/** The blocks of a chain of `total` steps: those that stand, and new ones (untagged yet) over every step outside them. */
function layout(
  standing: readonly Block[],
  total: number,
  history: readonly StepRef[],
  shape: Shape,
): { blocks: Block[]; untagged: Block[] } {
  const blocks: Block[] = [];
  const untagged: Block[] = [];
  let next = 0;
  const cover = (to: number) => {
    for (const run of runsOf(next, to, history, shape)) {
      blocks.push(run);
      untagged.push(run);
    }
  };
  for (const block of standing) {
    cover(block.start);
    blocks.push(block);
    next = block.start + block.count;
  }
  cover(total);
  return { blocks, untagged };
}

/** Model-authored steps [from, to) as blocks of about BLOCK_BYTES each (untagged yet). */
function runsOf(from: number, to: number, history: readonly StepRef[], shape: Shape): Block[] {
  const runs: Block[] = [];
  let bytes = 0;
  for (let k = from; k < to; k++) {
    if (bytes === 0) runs.push({ start: k, count: 0, tag: "" });
    runs.at(-1)!.count++;
    bytes += history[shape.modelAt[k]!]!.bytes.byteLength;
    if (bytes >= BLOCK_BYTES) bytes = 0;
  }
  return runs;
}

function bytesOf(block: Block, steps: readonly StepRef[], shape: Shape): number {
  let bytes = 0;
  for (let k = block.start; k < block.start + block.count; k++) bytes += steps[shape.modelAt[k]!]!.bytes.byteLength;
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Tags, places, keys

/** What the chain needs of a transcript's step types, read in one pass. */
interface Shape {
  /** Where the model-authored steps are. */
  modelAt: number[];
  /** For each of them: the kinds of the caller's steps since the one before it (`u` user_input, `r` function_result). */
  places: string[];
  /** Where the function results are (each must answer an attested call). */
  resultsAt: number[];
}

/** The shape of steps[from..]: `from` is 0, or right after a model-authored step. */
function shapeOf(steps: readonly StepRef[], from = 0): Shape {
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
function canonicalOf(step: StepRef): string {
  return canonicalStep(JSON.parse(decodeUtf8(step.bytes)), step.bytes);
}

const encoder = new TextEncoder();

function valueTag(key: CryptoKey, prev: string, place: string, canonical: string): Promise<string> {
  return mac(key, encoder.encode(`${DOMAIN}\nvalue\n${prev}\n${place}\n${canonical}`));
}

function endTag(key: CryptoKey, last: string): Promise<string> {
  return mac(key, encoder.encode(`${DOMAIN}\nend\n${last}`));
}

/** What a block tag covers: the link its run hangs off, then each step's place, value tag and bytes. */
interface Span {
  prev: string;
  steps: { place: string; value: string; bytes: Uint8Array }[];
}

function spanOf(chain: Chain, block: Block, steps: readonly StepRef[], shape: Shape): Span {
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
function blockTags(key: CryptoKey, version: Claimed["version"], spans: readonly Span[]): Promise<string[]> {
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
function equalTags(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

interface Keyring {
  signing: { id: string; key: CryptoKey };
  byId: Map<string, CryptoKey>;
}

/** Keys imported once per isolate and key setting (the config's key list is one object per isolate). Nothing of any request is kept. */
const keyrings = new WeakMap<readonly TranscriptKey[], Promise<Keyring>>();

function keyring(keys: readonly TranscriptKey[]): Promise<Keyring> {
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

/**
 * Tamper-evident transcripts (TRANSCRIPT_KEYS): the relay attests every model-authored step it
 * returns and, when the history comes back, checks that each one is a step it returned, unaltered,
 * in the same place, before anything goes upstream. Nothing is kept between requests: the
 * attestation travels beside the history, and the caller's own steps stay theirs to write.
 *
 * Each model-authored step k gets two 16-byte tags (HMAC-SHA-256, truncated):
 *
 *   value_k = HMAC(key, "value" ‖ value_{k-1} ‖ place_k ‖ canonical_k)
 *   bytes_k = HMAC(key, "bytes" ‖ value_{k-1} ‖ place_k ‖ value_k ‖ the step's bytes)
 *
 * - canonical_k: the step's JSON value in canonical form (json/canonical.ts), so re-serializing
 *   the transcript keeps it valid while any change of value breaks it;
 * - the step's bytes as the relay returned them: a step sent back byte for byte is checked with
 *   bytes_k alone (hashing bytes already held, no parse, no serialization: the common case is
 *   cheap); only a step whose bytes changed is parsed and checked by value_k;
 * - place_k: the kinds of the caller's steps since the previous model-authored step (`u` for
 *   user_input, `r` for function_result): their content is free, their number and kind are not;
 * - value_{k-1}: the previous link, so steps cannot be reordered, dropped from the middle or moved
 *   in from another conversation. The first link hangs off an anchor: zeros where the conversation
 *   starts, or value_m of the last step before a cut (see dropLeadingTurns in the client).
 *
 * The attestation is `v1.<key id>.<anchor><bytes_1><value_1>…<bytes_n><value_n>`, each tag as 22
 * base64url characters: keyed MACs only, nothing of the content. The first key of TRANSCRIPT_KEYS
 * signs, every key verifies, and a transcript verified with an older key is signed again with the first.
 */
import { base64url } from "jose";
import type { Config, TranscriptKey } from "../config";
import { RelayError, type ProblemItem } from "../errors";
import { canonicalStep } from "../json/canonical";
import { decodeUtf8 } from "../json/scan";
import { isModelAuthored, type StepRef } from "./history";
import type { Locate } from "./integrity";

const VERSION = "v1";
const DOMAIN = "gemini-relay transcript v1";
/** Tags per model-authored step: its bytes tag, then its value tag (the chain's link). */
const TAGS_PER_STEP = 2;
const TAG_BYTES = 16;
const TAG_CHARS = 22;
/**
 * One tag as this relay writes it: 22 base64url characters, the last with its four padding bits
 * clear. Tags are handled in this spelling throughout (the MAC messages hold it), so one that
 * decodes to the same bytes but is spelled otherwise is not one this relay issued.
 */
const TAG = `[A-Za-z0-9_-]{${TAG_CHARS - 1}}[AQgw]`;
/** The anchor, then two tags per model-authored step. */
const TAGS_BODY = new RegExp(`^${TAG}(?:${TAG}${TAG})*$`);
/** The anchor where a conversation starts: 16 zero bytes. */
const ZERO_ANCHOR = "A".repeat(TAG_CHARS);
/** How far from its position a failing step is looked for, to tell "out of place" from "altered". */
const SEARCH_RADIUS = 8;

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
    if (modelAt.length === 0) return { attest: (history) => sign(keys.signing, ZERO_ANCHOR, [], history, 0) };
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
  const findings = await findingsOf(steps, shape, claimed, key, locate);
  if (findings.length > 0) throw attestationFailed(findings);
  // Verified with the signing key: its tags stand (every model-authored step has one), and signing resumes after
  // the last of them. With an older key: the chain is signed again, from the same anchor.
  if (key !== keys.signing.key) return { attest: (history) => sign(keys.signing, claimed.anchor, [], history, 0) };
  const resumeAt = (modelAt.at(-1) ?? -1) + 1;
  return { attest: (history) => sign(keys.signing, claimed.anchor, claimed.tags, history, resumeAt) };
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
// Verifying

/** A model-authored step's tags, as base64url text (see TAG). */
interface StepTags {
  bytes: string;
  value: string;
}

interface Claimed {
  keyId: string;
  anchor: string;
  tags: StepTags[];
}

async function findingsOf(
  steps: readonly StepRef[],
  shape: Shape,
  claimed: Claimed,
  key: CryptoKey,
  locate: Locate,
): Promise<ProblemItem[]> {
  const { modelAt, places } = shape;
  const covered = modelAt.slice(0, claimed.tags.length);
  // Each link is checked on its own (the previous tag as claimed), so one altered step is one finding:
  // by its bytes when they are as returned (all of them at once), else by its value (a re-serialized transcript).
  const links = covered.map((i, k) => ({
    prev: prevOf(claimed, k),
    place: places[k]!,
    value: claimed.tags[k]!.value,
    bytes: steps[i]!.bytes,
  }));
  const valid = (await bytesTags(key, links)).map((tag, k) => equalTags(tag, claimed.tags[k]!.bytes));
  const changed = covered.flatMap((i, k) => (valid[k] ? [] : [{ i, k }]));
  await Promise.all(
    changed.map(async ({ i, k }) => {
      valid[k] = equalTags(await valueTag(key, links[k]!, canonicalOf(steps[i]!)), claimed.tags[k]!.value);
    }),
  );

  const findings: { at: number; item: ProblemItem }[] = [];
  const attestedCalls = new Set<string>();
  for (const [k, i] of modelAt.entries()) {
    const step = steps[i]!;
    if (k >= claimed.tags.length) {
      findings.push({
        at: i,
        item: {
          path: locate(i),
          message: `is a model-authored step (${step.view.type}) that the attestation does not cover: this relay did not return it here (unattested)`,
        },
      });
    } else if (!valid[k]) {
      const movedFrom = await foundElsewhere(key, k, modelAt, steps, places, claimed);
      const message =
        movedFrom === undefined
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
  if (claimed.tags.length > modelAt.length) {
    items.push({
      path: "/attestation",
      message: `covers ${claimed.tags.length} model-authored steps, but the transcript holds ${modelAt.length}: steps were dropped (drop whole leading turns only, with the client's dropLeadingTurns)`,
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
  modelAt: readonly number[],
  steps: readonly StepRef[],
  places: readonly string[],
  claimed: Claimed,
): Promise<number | undefined> {
  const canonical = canonicalOf(steps[modelAt[k]!]!);
  for (let m = Math.max(0, k - SEARCH_RADIUS); m <= Math.min(claimed.tags.length - 1, k + SEARCH_RADIUS); m++) {
    const prev = prevOf(claimed, m);
    for (const place of new Set([places[k]!, places[m] ?? "", "", "u", "r"])) {
      if (m === k && place === places[k]) continue;
      if (equalTags(await valueTag(key, { prev, place }, canonical), claimed.tags[m]!.value)) return m;
    }
  }
  return undefined;
}

/** The link model-authored step k hangs off, as claimed: the value tag of the step before it, or the anchor. */
function prevOf(claimed: Claimed, k: number): string {
  return k === 0 ? claimed.anchor : claimed.tags[k - 1]!.value;
}

/** The attestation's tags, read as text: they are compared and chained as text, never decoded. */
function parseAttestation(text: string): Claimed {
  const [version, keyId, body, ...rest] = text.split(".");
  if (version !== VERSION || keyId === undefined || body === undefined || rest.length > 0 || !TAGS_BODY.test(body)) {
    throw attestationFailed([
      {
        path: "/attestation",
        message:
          "is not an attestation this relay issued (expected v1.<key id>.<tags>): send back the `attestation` of the last response, unchanged",
      },
    ]);
  }
  const tags: StepTags[] = [];
  for (let at = TAG_CHARS; at < body.length; at += TAG_CHARS * TAGS_PER_STEP) {
    tags.push({ bytes: body.slice(at, at + TAG_CHARS), value: body.slice(at + TAG_CHARS, at + TAG_CHARS * TAGS_PER_STEP) });
  }
  return { keyId, anchor: body.slice(0, TAG_CHARS), tags };
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
 * The attestation of `history`, chained from `anchor` with the signing key: `known` holds the
 * (verified) tags of its model-authored steps before `resumeAt`; the ones from there on (this
 * turn's) are tagged here.
 */
async function sign(
  signing: Keyring["signing"],
  anchor: string,
  known: readonly StepTags[],
  history: readonly StepRef[],
  resumeAt: number,
): Promise<string> {
  const tags = [...known];
  const { modelAt, places } = shapeOf(history, resumeAt);
  for (const [n, i] of modelAt.entries()) {
    const step = history[i]!;
    const link = { prev: tags.at(-1)?.value ?? anchor, place: places[n]! };
    const value = await valueTag(signing.key, link, canonicalOf(step));
    const [bytes] = await bytesTags(signing.key, [{ ...link, value, bytes: step.bytes }]);
    tags.push({ bytes: bytes!, value });
  }
  return `${VERSION}.${signing.id}.${anchor}${tags.map((tag) => tag.bytes + tag.value).join("")}`;
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

/** Where a step sits in the chain: the previous value tag (or the anchor) and the caller's steps since. */
interface Link {
  prev: string;
  place: string;
}

const encoder = new TextEncoder();

function valueTag(key: CryptoKey, link: Link, canonical: string): Promise<string> {
  return mac(key, encoder.encode(`${DOMAIN}\nvalue\n${link.prev}\n${link.place}\n${canonical}`));
}

/** A step's place in the chain, its value tag and its bytes: what its bytes tag covers. */
interface BytesLink extends Link {
  value: string;
  bytes: Uint8Array;
}

/**
 * The bytes tags of many steps. Each message (its head as ASCII, one byte per character, then the
 * step's bytes) is written into one scratch buffer the size of the largest: WebCrypto copies what
 * it signs when called, so the buffer is free for the next step at once, and a turn allocates one
 * step's worth rather than the whole transcript's (at 10 MB, a fresh 4 MB buffer per turn cost page
 * faults and collections).
 */
function bytesTags(key: CryptoKey, links: readonly BytesLink[]): Promise<string[]> {
  const heads = links.map((link) => `${DOMAIN}\nbytes\n${link.prev}\n${link.place}\n${link.value}\n`);
  let largest = 0;
  links.forEach((link, n) => (largest = Math.max(largest, heads[n]!.length + link.bytes.byteLength)));
  const scratch = new Uint8Array(largest);
  const signatures = links.map((link, n) => {
    const head = encoder.encodeInto(heads[n]!, scratch).written;
    scratch.set(link.bytes, head);
    return crypto.subtle.sign("HMAC", key, scratch.subarray(0, head + link.bytes.byteLength));
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

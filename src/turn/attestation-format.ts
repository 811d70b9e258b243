/**
 * The attestation's text (see attestation.ts for what it attests): its versions, how its tags are
 * spelled, read and written, and the refusal of one that fails.
 */
import { RelayError, type ProblemItem } from "../errors";

/** The version this relay signs; it verifies "v1" too. */
export const VERSION = "v2";

export const TAG_CHARS = 22;
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
export const ZERO_ANCHOR = "A".repeat(TAG_CHARS);

/** A run of consecutive model-authored steps (by their index among them) and its tag. */
export interface Block {
  start: number;
  count: number;
  tag: string;
}

/** The chain: an anchor, then the value tag of each model-authored step, as base64url text (see TAG). */
export interface Chain {
  anchor: string;
  values: readonly string[];
}

/** The chain and the blocks over it, in order: what an attestation holds besides its version and key id. */
export interface Signed extends Chain {
  /** v1's are one per step, tagged as v1's bytes tags were. */
  blocks: readonly Block[];
}

export interface Claimed extends Signed {
  version: "v1" | "v2";
  keyId: string;
  /** v2: the tag of the chain's end. */
  end?: string;
  /** v2: the end tag binds the caller it was issued to (TRANSCRIPT_BIND_CALLER), as its `.caller` suffix says. */
  bound?: boolean;
}

/** The last part of a v2 attestation whose end tag binds its caller. It names no one: the caller is in the MAC only. */
export const BOUND_SUFFIX = "caller";

/** The attestation's tags, read as text: they are compared and chained as text, never decoded. */
export function parseAttestation(text: string): Claimed {
  const [version, keyId, ...parts] = text.split(".");
  const read = keyId === undefined ? undefined : version === "v2" ? readV2(parts) : version === "v1" ? readV1(parts) : undefined;
  if (!read) {
    throw attestationFailed([
      {
        path: "/attestation",
        message:
          "is not an attestation this relay issued (expected v2.<key id>.<tags>.<blocks>.<end>, or that and `.caller`): send back the `attestation` of the last response, unchanged",
      },
    ]);
  }
  return { version: version as Claimed["version"], keyId: keyId!, ...read };
}

function readV2(parts: string[]): (Signed & { end: string; bound: boolean }) | undefined {
  const [chain, blockText, end, suffix] = parts;
  const bound = parts.length === 4 && suffix === BOUND_SUFFIX;
  if ((parts.length !== 3 && !bound) || !V2_VALUES.test(chain!) || !V2_BLOCKS.test(blockText!) || !V2_END.test(end!)) return undefined;
  const values = tagsOf(chain!.slice(TAG_CHARS), TAG_CHARS);
  // Blocks are counted back from the last step: a cut at the front leaves the others where they were.
  const counted = [...blockText!.matchAll(new RegExp(V2_BLOCK, "gy"))].map(([, count, tag]) => ({ count: Number(count), tag: tag! }));
  let blockEnd = values.length;
  const blocks = counted
    .reverse()
    .map(({ count, tag }) => ({ start: (blockEnd -= count), count, tag }))
    .reverse();
  return { anchor: chain!.slice(0, TAG_CHARS), values, blocks, end: end!, bound };
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

/** The attestation's text; `bound`: its end tag binds a caller (see endTag). */
export function writeAttestation(keyId: string, { anchor, values, blocks }: Signed, end: string, bound: boolean): string {
  const text = `${VERSION}.${keyId}.${anchor}${values.join("")}.${blocks.map((block) => `${block.count}~${block.tag}`).join("")}.${end}`;
  return bound ? `${text}.${BOUND_SUFFIX}` : text;
}

/** The link model-authored step k hangs off: the value tag of the step before it, or the anchor. */
export function prevOf(chain: Chain, k: number): string {
  return k === 0 ? chain.anchor : chain.values[k - 1]!;
}

/** The chain's last link: the value tag of its last step, or the anchor. */
export function lastLink(chain: Chain): string {
  return prevOf(chain, chain.values.length);
}

export function attestationFailed(errors: ProblemItem[]): RelayError {
  return new RelayError(422, "attestation_failed", {
    detail: `The transcript's model-authored steps are not as this relay returned them (${errors.length} finding${errors.length > 1 ? "s" : ""}): ${errors[0]!.path} ${errors[0]!.message}. Nothing was sent to Gemini.`,
    errors,
  });
}

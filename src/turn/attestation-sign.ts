/**
 * Signing a history (see attestation.ts): value tags for the steps not yet chained, blocks over every
 * step outside those that stand, and the chain's end.
 */
import { VERSION, lastLink, prevOf, writeAttestation, type Block, type Chain, type Signed } from "./attestation-format";
import { blockTags, canonicalOf, endTag, shapeOf, spanOf, valueTag, type Keyring, type Shape } from "./attestation-tags";
import type { StepRef } from "../steps";

/**
 * Bytes of steps a block covers before the next starts: few MACs per transcript (per call, WebCrypto
 * costs about as much as hashing a few KB), and little to hash again when this turn's steps join the last block.
 */
const BLOCK_BYTES = 64 * 1024;

/**
 * The attestation of `history` with the signing key. `known` holds the verified value tags of its
 * first model-authored steps (those of `prior`, the shape of the history the request brought) and
 * the blocks that stand; the steps after them (this turn's) get value tags here, and every step
 * outside a standing block is covered by new blocks. The last block, while under BLOCK_BYTES, takes
 * this turn's steps in (tagged again with them) rather than standing. With `caller`, the chain's end
 * is tagged for that caller (TRANSCRIPT_BIND_CALLER).
 */
export async function sign(
  signing: Keyring["signing"],
  known: Signed,
  history: readonly StepRef[],
  prior: Shape | undefined,
  caller: string | undefined,
): Promise<string> {
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
  return writeAttestation(signing.id, { ...chain, blocks }, await endTag(signing.key, lastLink(chain), caller), caller !== undefined);
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

/**
 * Verifying a transcript against its attestation (see attestation.ts): blocks first, the other steps
 * by value, the chain's end, and findings that name each failing step and why.
 */
import type { ProblemItem } from "../errors";
import { ZERO_ANCHOR, lastLink, prevOf, type Block, type Claimed } from "./attestation-format";
import { blockTags, canonicalOf, endTag, equalTags, spanOf, valueTag, type Shape } from "./attestation-tags";
import type { StepRef } from "../steps";
import type { Locate } from "./integrity";

/** How far from its position a failing step is looked for, to tell "out of place" from "altered". */
const SEARCH_RADIUS = 8;
/** How many failing steps are looked for elsewhere (each search costs dozens of MACs over the step). */
const SEARCHED_FAILURES = 3;

export async function verify(
  steps: readonly StepRef[],
  shape: Shape,
  claimed: Claimed,
  key: CryptoKey,
  locate: Locate,
  caller?: string,
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
  // Not v1's: its value tags are v2's, and it has no end tag, so a v2 attestation rewritten as v1
  // with junk bytes tags would pass with its last steps dropped (a downgrade). A v1 step holds by its bytes tag alone.
  const unverified = claimed.version === "v1" ? [] : valid.flatMap((ok, k) => (ok ? [] : [k]));
  await Promise.all(
    unverified.map(async (k) => {
      valid[k] = equalTags(await valueTag(key, prevOf(claimed, k), places[k]!, canonicalOf(steps[modelAt[k]!]!)), claimed.values[k]!);
    }),
  );
  const findings = await findingsOf(steps, shape, claimed, valid, key, locate);
  if (claimed.bound && !(caller !== undefined && equalTags(await endTag(key, lastLink(claimed), caller), claimed.end!))) {
    findings.push({ path: "/attestation", message: OTHER_CALLER });
  } else if (!claimed.bound && claimed.end !== undefined && !equalTags(await endTag(key, lastLink(claimed)), claimed.end)) {
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
    } else if (!valid[k] && claimed.version === "v1") {
      findings.push({ at: i, item: { path: locate(i), message: V1_MISMATCH } });
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

/** Why a bound attestation fails its end tag: the usual reason first (a tag cut at the end fails the same way). */
const OTHER_CALLER =
  "was attested for another caller: this relay binds a transcript to the caller it was issued to (TRANSCRIPT_BIND_CALLER), and this request's credential is not that caller's. Continue it with the credential it was issued to (or, if model-authored steps were dropped from the end of a turn with the attestation cut to match, send back the `attestation` of the last response, unchanged)";

/** Why a step fails a v1 attestation: it is checked by its bytes tag alone (see verify). */
const V1_MISMATCH =
  "does not match its v1 bytes tag: a v1 attestation (issued by earlier releases) holds only for the steps' bytes exactly as they were returned with it, since its value tags are also v2's and it has no end tag (a v2 attestation rewritten as v1 would let steps be dropped: downgrade). Send back the `attestation` of the last response, unchanged, with the history as it came";

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

/**
 * Warming a worker up to its steady state before it is measured. A fresh workerd process pays for
 * memory the first times it touches it: page faults, handled by the kernel on the main thread's
 * clock, worth several ms per 1 MB turn over its first hundred or so turns, and more or less of them
 * at any moment depending on the process's history. A Worker's isolate in production runs in a
 * long-lived process that has paid them. So each measured worker first gets the turn it will be
 * measured on, in blocks, until a block touches almost no new memory.
 */
import { minorFaults } from "./procfs";

/** Faults per turn (4 KiB pages) under which a block counts as steady: 256 KiB of new memory per turn. */
const STEADY_FAULTS_PER_TURN = 64;
const BLOCK = 10;

/** Runs `turn` until two blocks in a row are steady, or `maxTurns`; returns the turns it took and whether it got there. */
export async function warmUntilSteady(
  pid: number,
  turn: () => Promise<unknown>,
  maxTurns: number,
): Promise<{ turns: number; steady: boolean }> {
  let turns = 0;
  let calm = 0;
  while (calm < 2 && turns < maxTurns) {
    const before = minorFaults(pid);
    const block = Math.min(BLOCK, maxTurns - turns);
    for (let i = 0; i < block; i++) await turn();
    turns += block;
    calm = (minorFaults(pid) - before) / block < STEADY_FAULTS_PER_TURN ? calm + 1 : 0;
  }
  return { turns, steady: calm >= 2 };
}

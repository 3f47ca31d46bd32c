/**
 * Holding labelled faces out of training, one rule for the two splits that do it:
 *
 * - splitForEvaluation (src-main/engine/tuning/labelled-faces.ts): the faces the before/after figures of a
 *   tuning run are measured on. Made once per run from the user's confirmed faces; never trained on.
 * - splitForValidation (below): the faces the trainer sets aside, from what it was given to train on, to
 *   measure each epoch for early stopping (the "held-out VAL" of its progress). Capped, because it is
 *   measured every epoch.
 *
 * The two are nested (validation comes out of the evaluation split's training part) and deliberately
 * separate: the before/after figures must not rest on faces that chose the stopping epoch.
 *
 * The rule: an identity with fewer than MIN_FACES_TO_HOLD_OUT faces stays entirely in training; from the
 * others, round(fraction · count) faces chosen at random (seeded), but at least 2 (a lone face gives no
 * same-identity pair) and at most count - 3 (leaving a few to learn from).
 */
import type { Rng } from '../src-shared/random.js';

export const MIN_FACES_TO_HOLD_OUT = 5;

/** How many of an identity's `faces` faces are held out at `fraction` (0 for no split at all). */
export function heldOutCount(faces: number, fraction: number): number {
  if (fraction <= 0 || faces < MIN_FACES_TO_HOLD_OUT) return 0;
  return Math.min(Math.max(2, Math.round(fraction * faces)), faces - 3);
}

/**
 * One identity's faces split by the rule: a shuffled copy, cut after heldOutCount faces. Uses the RNG only
 * when something is held out, so identities that stay whole do not shift the others' choices.
 */
export function holdOutOf<T>(faces: readonly T[], fraction: number, rng: Rng): { heldOut: T[]; train: T[] } {
  const k = heldOutCount(faces.length, fraction);
  if (k === 0) return { heldOut: [], train: [...faces] };
  const shuffled = rng.shuffled(faces);
  return { heldOut: shuffled.slice(0, k), train: shuffled.slice(k) };
}

/**
 * The trainer's early-stopping split of face indices by identity (`ids` as encodeLabels gives them):
 * identities in order of first appearance, the fraction reduced so that the set stays under `cap` faces.
 * Both lists are in index order.
 */
export function splitForValidation(
  ids: Int32Array,
  fraction: number,
  cap: number,
  rng: Rng,
): { train: number[]; heldOut: number[] } {
  const groups = new Map<number, number[]>();
  ids.forEach((l, i) => {
    const g = groups.get(l);
    if (g) g.push(i);
    else groups.set(l, [i]);
  });
  const f = Math.min(fraction, cap / Math.max(1, ids.length));
  const held = new Set<number>();
  for (const faces of groups.values()) for (const i of holdOutOf(faces, f, rng).heldOut) held.add(i);
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < ids.length; i++) (held.has(i) ? heldOut : train).push(i);
  return { train, heldOut };
}

/**
 * How much held-out before/after figures rest on: the words shown next to them wherever they are shown
 * ("from 12 held-out faces of 4 people") and whether the sample is too small to mean much, so that the app and
 * the CLI say the same thing.
 *
 * Too small below 30 held-out faces (one face then moves a rate by more than 3 points) or 3 people (every
 * different-person pair then comes from a single pair of people).
 */
import { plural } from './words.js';

export const MEANINGFUL_HELD_OUT = Object.freeze({ faces: 30, people: 3 });

export interface HeldOutSample {
  /** "from 12 held-out faces of 4 people". */
  words: string;
  tooSmall: boolean;
  /** The plain warning when tooSmall, else null. */
  caution: string | null;
}

export function heldOutSample(labels: { heldOutFaces: number; heldOutPeople: number }): HeldOutSample {
  const words = `from ${plural(labels.heldOutFaces, 'held-out face')} of ${plural(labels.heldOutPeople, 'person', 'people')}`;
  const tooSmall = labels.heldOutFaces < MEANINGFUL_HELD_OUT.faces || labels.heldOutPeople < MEANINGFUL_HELD_OUT.people;
  const caution = tooSmall
    ? `too few to mean much (a reliable figure needs at least ${MEANINGFUL_HELD_OUT.faces} held-out faces of ${MEANINGFUL_HELD_OUT.people} people)`
    : null;
  return { words, tooSmall, caution };
}

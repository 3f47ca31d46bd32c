/**
 * How many confirmed faces a training run needs before it may start, and the refusal in words.
 *
 * Defaults, and why:
 * - 2 people with at least 5 confirmed faces each: the before/after figures come from faces held out of
 *   training, and splitForEvaluation (labelled-faces.ts) holds faces out only of people with 5 or more (2 at
 *   least, so there are same-person pairs). With fewer than two such people there are no different-person
 *   pairs, and "100% → 100%" from 2 held-out faces of one person says nothing.
 * - 20 confirmed faces in all: after the held-out 20%, at least 16 remain to learn from, so that every
 *   identity-balanced batch holds several people and the trainer can still set a few faces aside for early
 *   stopping (training/held-out.ts splitForValidation takes them only from people with 5 or more training faces).
 *   Below that a run learns from a handful of triplets and mostly moves faces at random.
 * Tests use smaller libraries and lower the numbers through TuningServiceOptions.
 */
import { MIN_FACES_TO_HOLD_OUT } from '../../../training/held-out.js';
import type { LabelledFace } from './labelled-faces.js';
import { plural } from '../../../src-shared/words.js';

export interface LabelRequirements {
  /** Confirmed faces in all. */
  faces: number;
  /** People with at least `facesPerPerson` confirmed faces. */
  people: number;
  facesPerPerson: number;
}

export const DEFAULT_LABEL_REQUIREMENTS: Readonly<LabelRequirements> = Object.freeze({
  faces: 20,
  people: 2,
  facesPerPerson: MIN_FACES_TO_HOLD_OUT,
});

export interface LabelCounts {
  faces: number;
  people: number;
  /** People with at least `facesPerPerson` confirmed faces. */
  peopleWithEnough: number;
}

export function countLabels(labelled: readonly LabelledFace[], req: LabelRequirements): LabelCounts {
  const perPerson = new Map<number, number>();
  for (const f of labelled) perPerson.set(f.personId, (perPerson.get(f.personId) ?? 0) + 1);
  let peopleWithEnough = 0;
  for (const n of perPerson.values()) if (n >= req.facesPerPerson) peopleWithEnough++;
  return { faces: labelled.length, people: perPerson.size, peopleWithEnough };
}

/** What is missing, in words the user can act on; null when a run may start. */
export function missingLabels(counts: LabelCounts, req: LabelRequirements): string | null {
  if (counts.faces >= req.faces && counts.peopleWithEnough >= req.people) return null;
  const have =
    `${plural(counts.faces, 'confirmed face')} of ${plural(counts.people, 'person', 'people')}, ` +
    `${counts.peopleWithEnough} of them with ${req.facesPerPerson} or more`;
  const need =
    `at least ${req.faces} confirmed faces in all, ` +
    `with at least ${req.facesPerPerson} each for at least ${plural(req.people, 'person', 'people')}`;
  return `not enough confirmed faces to learn from (${have}): training needs ${need}`;
}

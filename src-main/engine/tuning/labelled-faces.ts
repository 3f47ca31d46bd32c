/**
 * The user's confirmed labels as training data: every face with a 'confirmed' decision (features + person),
 * of one pipeline model, and the split into faces the run trains on and faces held out for the before/after
 * figures (never trained on; the tuner carves its own early-stopping split out of the training part, with the
 * same rule: training/held-out.ts).
 */
import { fromBlob } from '../storage/blob.js';
import type { EmbeddingRepository } from '../storage/embedding-repository.js';
import { Rng } from '../../../src-shared/random.js';
import { holdOutOf } from '../../../training/held-out.js';

export interface LabelledFace {
  faceId: number;
  personId: number;
  features: Float32Array;
}

/** Confirmed faces of `modelVersion` whose features are `dim`-D; a face confirmed twice counts for its latest. */
export function confirmedFaces(embeddings: EmbeddingRepository, modelVersion: string, dim: number): LabelledFace[] {
  const rows = embeddings.confirmedFeatures(modelVersion);
  const byFace = new Map<number, LabelledFace>();
  for (const r of rows) {
    const features = fromBlob(r.features);
    if (features.length !== dim) continue;
    byFace.set(r.id, { faceId: r.id, personId: r.person_id, features });
  }
  return [...byFace.values()];
}

/**
 * The before/after split of a tuning run: per person (in id order), the faces training/held-out.ts's rule
 * holds out at `fraction` (none of people with fewer than 5 confirmed faces, else round(fraction · count) but
 * at least 2, so there are same-person pairs), chosen at random (seeded), are held out of training; the rest
 * is training data. The trainer then sets its own early-stopping faces aside from the training part
 * (splitForValidation, same rule), so the figures never rest on faces that picked the stopping epoch.
 */
export function splitForEvaluation(
  faces: readonly LabelledFace[],
  seed: number,
  fraction = 0.2,
): { train: LabelledFace[]; heldOut: LabelledFace[] } {
  const byPerson = new Map<number, LabelledFace[]>();
  for (const f of faces) byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), f]);
  const rng = new Rng(seed);
  const train: LabelledFace[] = [];
  const heldOut: LabelledFace[] = [];
  for (const person of [...byPerson.keys()].sort((a, b) => a - b)) {
    const split = holdOutOf(byPerson.get(person) as LabelledFace[], fraction, rng);
    heldOut.push(...split.heldOut);
    train.push(...split.train);
  }
  return { train, heldOut };
}

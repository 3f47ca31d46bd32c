/**
 * The user's confirmed labels as training data: every face with a 'confirmed' decision (features + person),
 * of one pipeline model, and the split into faces the run trains on and faces held out for the before/after
 * figures (never trained on; the tuner carves its own early-stopping split out of the training part).
 */
import { fromBlob } from '../storage/blob.js';
import type { Db } from '../storage/database.js';
import { Rng } from '../../../src-shared/random.js';

export interface LabelledFace {
  faceId: number;
  personId: number;
  features: Float32Array;
}

/** Confirmed faces of `modelVersion` whose features are `dim`-D; a face confirmed twice counts for its latest. */
export function confirmedFaces(db: Db, modelVersion: string, dim: number): LabelledFace[] {
  const rows = db
    .prepare(
      `SELECT f.id, f.features, d.person_id FROM face_decisions d JOIN faces f ON f.id = d.face_id
       WHERE d.decision = 'confirmed' AND f.model_version = ? ORDER BY f.id, d.decided_at, d.id`,
    )
    .all(modelVersion) as { id: number; features: Buffer; person_id: number }[];
  const byFace = new Map<number, LabelledFace>();
  for (const r of rows) {
    const features = fromBlob(r.features);
    if (features.length !== dim) continue;
    byFace.set(r.id, { faceId: r.id, personId: r.person_id, features });
  }
  return [...byFace.values()];
}

/**
 * Per person with at least `minFaces` confirmed faces, `fraction` of them (at least 2, so there are
 * same-person pairs) are held out at random (seeded); everything else is training data.
 */
export function splitForEvaluation(
  faces: readonly LabelledFace[],
  seed: number,
  fraction = 0.2,
  minFaces = 5,
): { train: LabelledFace[]; heldOut: LabelledFace[] } {
  const byPerson = new Map<number, LabelledFace[]>();
  for (const f of faces) byPerson.set(f.personId, [...(byPerson.get(f.personId) ?? []), f]);
  const rng = new Rng(seed);
  const train: LabelledFace[] = [];
  const heldOut: LabelledFace[] = [];
  for (const person of [...byPerson.keys()].sort((a, b) => a - b)) {
    const list = byPerson.get(person) as LabelledFace[];
    if (list.length < minFaces) {
      train.push(...list);
      continue;
    }
    const k = Math.max(2, Math.round(fraction * list.length));
    const shuffled = rng.shuffle([...list]);
    heldOut.push(...shuffled.slice(0, k));
    train.push(...shuffled.slice(k));
  }
  return { train, heldOut };
}

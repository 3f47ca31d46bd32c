/**
 * "How many faces would change person": every face of the model is given the person of its nearest confirmed
 * face (squared L2), once with each layer; the count of faces whose person differs. A cheap, deterministic
 * stand-in for re-running assignment (which also depends on the threshold and the clustering).
 */
import { fromBlob } from '../library/blob.js';
import type { Db } from '../library/database.js';
import type { EmbeddingLayer } from '../../training/embedding-layer.js';
import { nearestLabelled } from '../../training/evaluate.js';
import { packFeatures } from '../../training/features.js';
import type { LabelledFace } from './labelled-faces.js';

const CHUNK = 2000;

export function libraryChanges(
  db: Db,
  modelVersion: string,
  before: EmbeddingLayer,
  after: EmbeddingLayer,
  labelled: readonly LabelledFace[],
): { faces: number; wouldChangePerson: number } {
  if (labelled.length === 0) return { faces: 0, wouldChangePerson: 0 };
  const refLabels = Int32Array.from(labelled, (f) => f.personId);
  const refFeatures = packFeatures(labelled.map((f) => f.features));
  const refBefore = before.forward(refFeatures).u;
  const refAfter = after.forward(refFeatures).u;
  const select = db.prepare(
    `SELECT id, features FROM faces WHERE model_version = ? AND id > ? ORDER BY id LIMIT ${CHUNK}`,
  );
  let last = 0;
  let faces = 0;
  let changed = 0;
  for (;;) {
    const rows = select.all(modelVersion, last) as { id: number; features: Buffer }[];
    if (rows.length === 0) break;
    last = (rows[rows.length - 1] as { id: number }).id;
    const usable = rows.filter((r) => r.features.byteLength === before.inDim * 4);
    if (usable.length === 0) continue;
    const x = packFeatures(usable.map((r) => fromBlob(r.features)));
    const nb = nearestLabelled(before.forward(x).u, refBefore, refLabels, before.outDim);
    const na = nearestLabelled(after.forward(x).u, refAfter, refLabels, after.outDim);
    faces += usable.length;
    for (let i = 0; i < usable.length; i++) if (nb[i] !== na[i]) changed++;
  }
  return { faces, wouldChangePerson: changed };
}

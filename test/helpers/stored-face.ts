/**
 * A face row as the indexer would store it, without running the pipeline: for libraries built from stored
 * features (tuning tests and benchmarks) where only the embedding and the features matter.
 */
import type { Library } from '../../src-main/engine/storage/library.js';
import type { Box, FivePoints } from '../../src-shared/geometry.js';

/** Inserts a face with `box` (landmarks at plausible spots inside it) and returns its id. */
export function insertStoredFace(
  lib: Library,
  photoId: number,
  face: { box: Box; embedding: Float32Array; features: Float32Array },
  modelVersion: string,
  now = Date.now(),
): number {
  const { x, y, width: w, height: h } = face.box;
  const landmarks = [
    [0.3, 0.4],
    [0.7, 0.4],
    [0.5, 0.55],
    [0.35, 0.75],
    [0.65, 0.75],
  ].map(([fx, fy]) => ({ x: x + (fx as number) * w, y: y + (fy as number) * h })) as FivePoints;
  return lib.faces.insert(
    photoId,
    { box: face.box, landmarks, score: 0.99, quality: 0.9, embedding: face.embedding, features: face.features },
    modelVersion,
    now,
  );
}

/** The user confirms `faceId` as `personId`: the assignment and the decision, as PeopleService records them. */
export function confirmStoredFace(lib: Library, faceId: number, personId: number, now = Date.now()): void {
  lib.faces.setPerson(faceId, personId, 'confirmed');
  lib.decisions.record(faceId, personId, 'confirmed', now);
}

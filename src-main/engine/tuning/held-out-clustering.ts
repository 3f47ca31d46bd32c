/**
 * Do the right people end up together: BCubed F of clustering held-out confirmed faces with the people
 * module's clusterer at the library's threshold, no constraints, against their confirmed persons. The same
 * figure test/bench/tune-protocol.bench.ts reports for issue 5's protocol.
 */
import { bcubedScores } from '../../../src-shared/cluster-metrics.js';
import type { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { FaceClusterer } from '../people/clusterer.js';

export function heldOutClusterF(
  layer: EmbeddingLayer,
  features: readonly Float32Array[],
  personIds: readonly number[],
  threshold: number,
): number {
  const faces = layer.embedEach(features).map((embedding, id) => ({ id, embedding }));
  const { labels } = new FaceClusterer({ threshold }).fit(faces);
  return bcubedScores(labels.map(Number), [...personIds]).f;
}

/**
 * How close is the scalable kNN-graph clustering to exact agglomerative clustering on the same faces?
 * Both run with the same threshold, linkage and constraints; the exact partition plays ground truth in the
 * pairwise and BCubed scores (src-shared/cluster-metrics.ts). Raw partitions are compared (before the
 * minimum-size filter), so small clusters count too.
 */
import { clusterScores, type ClusterScores } from '../../src-shared/cluster-metrics.js';
import {
  FaceClusterer,
  type ClusteringResult,
  type FaceClustererOptions,
} from '../../src-main/engine/people/clusterer.js';
import type { ClusterConstraints } from '../../src-main/engine/people/constraints.js';
import type { FaceRecord } from '../../src-main/engine/people/faces.js';

export interface GraphVsExact {
  graph: ClusteringResult;
  exact: ClusteringResult;
  /** Graph labels scored against exact labels. */
  scores: ClusterScores;
  /** True when the two partitions are identical. */
  identical: boolean;
  seconds: { graph: number; exact: number };
}

export function compareGraphWithExact(
  faces: readonly FaceRecord[],
  options: Omit<FaceClustererOptions, 'algorithm'> = {},
  constraints: ClusterConstraints = {},
): GraphVsExact {
  let t0 = performance.now();
  const graph = new FaceClusterer({ ...options, algorithm: 'knn-graph' }).fit(faces, constraints);
  const tGraph = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const exact = new FaceClusterer({ ...options, algorithm: 'exact' }).fit(faces, constraints);
  const tExact = (performance.now() - t0) / 1000;
  const scores = clusterScores(graph.labels, exact.labels);
  return {
    graph,
    exact,
    scores,
    identical: scores.pairwise.f === 1 && scores.clusters === scores.classes,
    seconds: { graph: tGraph, exact: tExact },
  };
}

/**
 * People: clustering faces into people, honouring the user's decisions, and placing new faces.
 *
 * - faces.ts: FaceRecord, ids, canonical order (determinism).
 * - knn.ts: exact blocked brute-force k-NN (memory O(n·k)).
 * - ivf-knn.ts: approximate k-NN (inverted file over a spherical k-means) for large libraries.
 * - constraints.ts: must-link / cannot-link / named people / same photo.
 * - hac-exact.ts: exact agglomerative clustering (reference, O(n^2) memory).
 * - hac-graph.ts: agglomerative clustering on the kNN graph (scalable default).
 * - clusterer.ts: FaceClusterer (constructor options, fit()), quality floor, Unsorted pool.
 * - assign.ts: FaceAssigner (k-NN vote: where a face goes when the user takes it out of a person).
 */
export * from './agglomeration.js';
export * from './assign.js';
export * from './clusterer.js';
export * from './constraints.js';
export * from './faces.js';
export * from './hac-exact.js';
export * from './hac-graph.js';
export * from './ivf-knn.js';
export * from './knn.js';

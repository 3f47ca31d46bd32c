import { describe, expect, it } from 'vitest';
import { packFaces } from '../../../../src-main/engine/people/faces.js';
import { IvfKnn } from '../../../../src-main/engine/people/ivf-knn.js';
import { BruteForceKnn, type KnnGraph } from '../../../../src-main/engine/people/knn.js';
import { withKnnRunner } from '../../../../src-main/engine/people/knn-threads.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';

/** The graph as plain arrays (typed arrays in shared memory compare like any other). */
const plain = (g: KnnGraph) => ({
  k: g.k,
  indices: Array.from(g.indices),
  distances: Array.from(g.distances),
  counts: Array.from(g.counts),
});

describe('kNN graphs on worker threads', () => {
  // Noisy identities (same-person distance ~0.99) so that the IVF search misses neighbours and refinement works.
  const p = packFaces(syntheticIdentities({ identities: 120, perIdentity: 15, sigma: 0.09, seed: 5 }).faces);

  it('start under the test runner (sources through tsx)', () => {
    expect(withKnnRunner(2, (runner) => runner.threads)).toBe(2);
  });

  it('build the same exact graph in this thread and on 3 worker threads', () => {
    const graphs = [0, 3].map((workers) => plain(new BruteForceKnn({ k: 12, workers }).fit(p.vectors, p.dim)));
    for (const g of graphs.slice(1)) expect(g).toEqual(graphs[0]);
    // Every row full.
    expect(graphs[0]?.counts.every((c) => c === 12)).toBe(true);
  });

  it('build the same IVF graph in this thread and on 2 and 3 worker threads', () => {
    const fit = (workers: number) =>
      plain(new IvfKnn({ k: 12, lists: 40, probes: 2, refineRounds: 4, workers }).fit(p.vectors, p.dim));
    const graphs = [0, 2, 3].map(fit);
    for (const g of graphs.slice(1)) expect(g).toEqual(graphs[0]);
  });
});

import { describe, expect, it } from 'vitest';
import { clusterScores } from '../../../../src-shared/cluster-metrics.js';
import { FaceClusterer } from '../../../../src-main/engine/people/clusterer.js';
import type { AdaptiveCriterion } from '../../../../src-main/engine/people/agglomeration.js';
import { compareGraphWithExact } from '../../../helpers/compare-clustering.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';
import { circleFaces, partition } from '../../../helpers/circle-faces.js';
import { Rng } from '../../../../src-shared/random.js';

// Angles 0, 20, 45, 100 degrees. D = 2 - 2 cos: A-B 0.1206, B-C 0.1874, A-C 0.5858, C-D 0.8528,
// B-D 1.6527, A-D 2.3473.
const faces = circleFaces([0, 20, 45, 100]);
const ids = faces.map((f) => f.id);
// Plain linkage (no adaptive criterion): these cases check the linkages themselves.
const run = (o: ConstructorParameters<typeof FaceClusterer>[0]): string[] =>
  partition(new FaceClusterer({ minClusterSize: 1, adaptive: {}, ...o }).fit(faces).labels, ids);

describe.each(['exact', 'knn-graph'] as const)('agglomerative clustering (%s)', (algorithm) => {
  it('single linkage chains A-B-C at 0.3 (B-C = 0.187)', () => {
    expect(run({ algorithm, linkage: 'single', threshold: 0.3 })).toEqual(['0,1,2', '3']);
  });

  it('complete linkage stops at 0.3 because A-C = 0.586', () => {
    expect(run({ algorithm, linkage: 'complete', threshold: 0.3 })).toEqual(['0,1', '2', '3']);
    expect(run({ algorithm, linkage: 'complete', threshold: 0.6 })).toEqual(['0,1,2', '3']);
  });

  it('average linkage merges {A,B} with C at their mean distance (0.5858 + 0.1873) / 2 = 0.3866', () => {
    expect(run({ algorithm, threshold: 0.386 })).toEqual(['0,1', '2', '3']);
    expect(run({ algorithm, threshold: 0.387 })).toEqual(['0,1,2', '3']);
    // {A,B,C}-D: (2.3473 + 1.6527 + 0.8528) / 3 = 1.6176.
    expect(run({ algorithm, threshold: 1.617 })).toEqual(['0,1,2', '3']);
    expect(run({ algorithm, threshold: 1.618 })).toEqual(['0,1,2,3']);
  });

  it('names clusters by their smallest member id and reports raw labels in input order', () => {
    const r = new FaceClusterer({ algorithm, threshold: 0.387, minClusterSize: 1 }).fit([...faces].reverse());
    expect(r.labels).toEqual([3, 0, 0, 0]);
    expect(r.clusters.map((c) => [c.id, c.faces])).toEqual([
      [0, [0, 1, 2]],
      [3, [3]],
    ]);
  });
});

describe('kNN graph versus exact HAC', () => {
  it('recovers 40 well-separated identities perfectly and agrees with exact HAC', () => {
    const s = syntheticIdentities({ identities: 40, perIdentity: 10, seed: 11 });
    const r = compareGraphWithExact(s.faces, { threshold: 1.1 });
    expect(r.identical).toBe(true);
    const truth = clusterScores(r.graph.labels, s.truth);
    expect(truth.pairwise.f).toBe(1);
    expect(truth.bcubed.f).toBe(1);
    expect(r.graph.clusters).toHaveLength(40);
  });

  it.each(['average', 'single', 'complete'] as const)(
    'stays within pairwise F >= 0.99 of exact HAC on noisy identities near the threshold (%s)',
    (linkage) => {
      // sigma 0.09: same-identity distances ~0.99, close to the 1.1 threshold, so merges are contested.
      const s = syntheticIdentities({ identities: 40, perIdentity: 10, sigma: 0.09, seed: 3 });
      const r = compareGraphWithExact(s.faces, { threshold: 1.1, linkage, k: 10 });
      expect(r.scores.pairwise.f).toBeGreaterThanOrEqual(0.99);
      expect(r.scores.bcubed.f).toBeGreaterThanOrEqual(0.99);
    },
  );
});

describe('determinism', () => {
  it('gives the same partition and cluster ids whatever the input order', () => {
    const s = syntheticIdentities({ identities: 15, perIdentity: 8, sigma: 0.09, seed: 21 });
    // String ids exercise the canonical string order too.
    const named = s.faces.map((f, i) => ({ ...f, id: `face-${String(i).padStart(3, '0')}` }));
    const fit = (fs: typeof named) => {
      const r = new FaceClusterer({ threshold: 1.0, k: 8 }).fit(fs);
      return { clusters: r.clusters, unsorted: r.unsorted };
    };
    const reference = fit(named);
    expect(reference.clusters.length).toBeGreaterThan(5);
    for (const seed of [1, 2, 3]) expect(fit(new Rng(seed).shuffled(named))).toEqual(reference);
  });
});

describe.each(['exact', 'knn-graph'] as const)('adaptive merge criterion (%s)', (algorithm) => {
  // Two pairs on the circle: A = {0°, 20°}, B = {40°, 60°}; inside each pair D = 0.1206. Plain average
  // linkage A-B: (0.4679 + 1 + 0.1206 + 0.4679) / 4 = 0.5141. Each pair's spread (mean squared distance to
  // its centroid) is 0.1206 / 4 = 0.0302.
  const pairs = circleFaces([0, 20, 40, 60]);
  const pairIds = pairs.map((f) => f.id);
  const fitPairs = (threshold: number, adaptive: { spread?: number; sizeSlack?: number }, confirmed: number[] = []) =>
    partition(
      new FaceClusterer({ threshold, algorithm, minClusterSize: 1, adaptive }).fit(
        pairs,
        confirmed.length ? { people: [{ personId: 'P', confirmed }] } : {},
      ).labels,
      pairIds,
    );

  it('spread judges two diffuse groups by their centroids: 0.5141 - 1 x (0.0302 + 0.0302) = 0.4538', () => {
    expect(fitPairs(0.5, {})).toEqual(['0,1', '2,3']);
    expect(fitPairs(0.5, { spread: 1 })).toEqual(['0,1,2,3']);
    expect(fitPairs(0.45, { spread: 1 })).toEqual(['0,1', '2,3']);
  });

  it('a negative size slack makes joining two groups stricter: 0.5141 / (1 - 0.2 x (1 - 1/2)) = 0.5712', () => {
    expect(fitPairs(0.55, {})).toEqual(['0,1,2,3']);
    expect(fitPairs(0.55, { sizeSlack: -0.2 })).toEqual(['0,1', '2,3']);
    expect(fitPairs(0.572, { sizeSlack: -0.2 })).toEqual(['0,1,2,3']);
  });

  it('a single face attaching is judged by its plain linkage, whatever the size slack', () => {
    // {0°, 20°} and a face at 40°: (0.4679 + 0.1206) / 2 = 0.2943.
    const three = circleFaces([0, 20, 40]);
    const fit3 = (sizeSlack: number) =>
      new FaceClusterer({ threshold: 0.3, algorithm, minClusterSize: 1, adaptive: { sizeSlack } }).fit(three).clusters
        .length;
    expect(fit3(-0.5)).toBe(1);
    expect(fit3(2)).toBe(1);
  });

  it('singleSpread credits a single face joining a group of singleSpreadFrom faces or more, and no smaller group', () => {
    // G = {0°, 10°, 20°} (spread 0.0202) and a face at 40°: plain linkage 0.2855, less G's whole spread 0.2653
    // (its distance to G's centroid). G forms first (0° with 10°, then 20° joins the pair at 0.0755).
    const four = circleFaces([0, 10, 20, 40]);
    const groups = (adaptive: AdaptiveCriterion) =>
      new FaceClusterer({ threshold: 0.275, algorithm, minClusterSize: 1, adaptive }).fit(four).clusters.length;
    expect(groups({ spread: 0 })).toBe(2);
    expect(groups({ spread: 0, singleSpread: 1, singleSpreadFrom: 3 })).toBe(1);
    expect(groups({ spread: 0, singleSpread: 1, singleSpreadFrom: 4 })).toBe(2);
    expect(() => groups({ singleSpread: 1.5 })).toThrow(RangeError);
    expect(() => groups({ singleSpreadFrom: 1 })).toThrow(RangeError);
  });

  it('a person (confirmed faces) gains a group only within the plain threshold of what was confirmed', () => {
    // With 0° and 20° confirmed, the spread discount does not apply: B stays apart at 0.5 (plain 0.5141).
    expect(fitPairs(0.5, { spread: 1 }, [0, 1])).toEqual(['0,1', '2,3']);
    expect(fitPairs(0.52, { spread: 1 }, [0, 1])).toEqual(['0,1,2,3']);
  });

  it('rejects settings outside the ranges', () => {
    expect(() => fitPairs(0.5, { spread: 1.5 })).toThrow(RangeError);
    expect(() => fitPairs(0.5, { sizeSlack: -0.6 })).toThrow(RangeError);
  });
});

describe('adaptive criterion: kNN graph versus exact', () => {
  it('with every face a neighbour, the graph gives exactly the exact partition', () => {
    const s = syntheticIdentities({ identities: 15, perIdentity: 8, dim: 32, sigma: 0.1, seed: 7 });
    const ids = s.faces.map((f) => f.id);
    for (const adaptive of [
      { spread: 0.5, sizeSlack: -0.3 },
      { spread: 1, sizeSlack: 0.5, spreadCap: 0.1 },
    ]) {
      for (const threshold of [0.3, 0.6, 0.9]) {
        const fit = (algorithm: 'exact' | 'knn-graph') =>
          partition(
            new FaceClusterer({ threshold, algorithm, k: ids.length - 1, minClusterSize: 1, adaptive }).fit(s.faces)
              .labels,
            ids,
          );
        expect(fit('knn-graph'), `${JSON.stringify(adaptive)} at ${threshold}`).toEqual(fit('exact'));
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { FaceClusterer } from '../../../../src-main/engine/people/clusterer.js';
import { compareGraphWithExact } from '../../../helpers/compare-clustering.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';
import { circleFaces, partition } from '../../../helpers/circle-faces.js';
import { Rng } from '../../../../src-shared/random.js';

// Two tight groups on the circle: {0,1,2} around 0-10 degrees and {3,4} around 90 degrees.
// Within a group D <= 0.031; across groups D >= 1.65.
const degrees = [0, 5, 10, 90, 95];

describe.each(['exact', 'knn-graph'] as const)('constraints (%s)', (algorithm) => {
  const fit = (
    faces = circleFaces(degrees),
    constraints: Parameters<FaceClusterer['fit']>[1] = {},
    options: ConstructorParameters<typeof FaceClusterer>[0] = {},
  ) => new FaceClusterer({ algorithm, threshold: 1.0, minClusterSize: 1, k: 4, ...options }).fit(faces, constraints);
  const parts = (r: ReturnType<typeof fit>) =>
    partition(
      r.labels,
      circleFaces(degrees).map((f) => f.id),
    );

  it('baseline: two groups', () => {
    expect(parts(fit())).toEqual(['0,1,2', '3,4']);
  });

  it('must-link keeps far faces together', () => {
    // Face 4 (95 deg) must go with face 0 (0 deg). {1,2} then joins {0,4} at mean D 0.966 <= 1.0, and face 3
    // stays out: its mean D to {0,1,2,4} is (2 + 1.83 + 1.65 + 0.0076) / 4 = 1.37.
    expect(parts(fit(undefined, { mustLink: [[0, 4]] }))).toEqual(['0,1,2,4', '3']);
  });

  it('cannot-link is cluster-level: the blocked pair never shares a cluster, even through a third face', () => {
    const r = parts(fit(undefined, { cannotLink: [[0, 2]] }));
    // 1 is 5 degrees from both 0 and 2, so it joins one of them; the other stays alone.
    expect(r).toHaveLength(3);
    expect(r).toContain('3,4');
    expect(r.some((g) => g.includes('0') && g.includes('2'))).toBe(false);
    expect(r.some((g) => g.split(',').length === 2 && g.includes('1'))).toBe(true);
  });

  it('faces of the same photo never merge unless must-linked', () => {
    const extra = [{ photoId: 'p' }, {}, { photoId: 'p' }, {}, {}];
    expect(parts(fit(circleFaces(degrees, extra)))).toEqual(['0,1', '2', '3,4']);
    expect(parts(fit(circleFaces(degrees, extra), { mustLink: [[0, 2]] }))).toEqual(['0,1,2', '3,4']);
    // Turned off explicitly:
    expect(parts(fit(circleFaces(degrees, extra), { samePhotoCannotLink: false }))).toEqual(['0,1,2', '3,4']);
  });

  it('named people are never dissolved, never merged together, and rejected faces never join them', () => {
    const r = fit(
      undefined,
      {
        people: [
          { personId: 'alice', confirmed: [0], rejected: [2] },
          { personId: 'bob', confirmed: [1] },
        ],
      },
      { minClusterSize: 3 },
    );
    // Alice and Bob are 5 degrees apart but both named: they stay apart. 2 is rejected for Alice, so it
    // joins Bob. Alice has one face, below minClusterSize 3, yet she stays a person.
    expect(r.clusters.map((c) => [c.personId, c.faces])).toEqual([
      ['alice', [0]],
      ['bob', [1, 2]],
    ]);
    expect(r.unsorted).toEqual([3, 4]); // {3,4} is an unnamed cluster smaller than 3
  });

  it('must-link wins over a contradicting cannot-link, and the conflict is reported', () => {
    const r = fit(undefined, { mustLink: [[0, 1]], cannotLink: [[1, 0]] });
    expect(parts(r)).toContain('0,1,2');
    expect(r.conflicts).toEqual([[1, 0]]);
  });

  it('throws when two people share a confirmed face', () => {
    expect(() =>
      fit(undefined, {
        people: [
          { personId: 'a', confirmed: [0] },
          { personId: 'b', confirmed: [0] },
        ],
      }),
    ).toThrow(/share confirmed faces/);
  });
});

describe('Unsorted pool', () => {
  it('sends low-quality faces and small clusters to Unsorted, but keeps confirmed low-quality faces', () => {
    const extra = [{ quality: 0.9 }, { quality: 0.1 }, { quality: 0.9 }, { quality: 0.05 }, { quality: 0.9 }];
    const faces = circleFaces([0, 5, 10, 90, 200], extra);
    const options = { threshold: 1.0, minQuality: 0.2, minClusterSize: 2, belowFloor: 'unsorted' as const };
    const r = new FaceClusterer(options).fit(faces);
    expect(r.clusters.map((c) => c.faces)).toEqual([[0, 2]]);
    expect(r.unsorted).toEqual([1, 3, 4]); // 1, 3: quality floor; 4: a cluster of one
    expect(r.labels).toEqual([0, 1, 0, 3, 4]);
    // By default a face below the floor joins the group it sits in (1, at 5 degrees), never a far one (3).
    const attached = new FaceClusterer({ ...options, belowFloor: undefined }).fit(faces);
    expect(attached.clusters.map((c) => c.faces)).toEqual([[0, 1, 2]]);
    expect(attached.unsorted).toEqual([3, 4]);
    const confirmed = new FaceClusterer({ threshold: 1.0, minQuality: 0.2 }).fit(faces, {
      people: [{ personId: 'p', confirmed: [1] }],
    });
    expect(confirmed.clusters).toEqual([{ id: 0, faces: [0, 1, 2], personId: 'p' }]);
  });

  it('documents its defaults', () => {
    const c = new FaceClusterer();
    expect([
      c.threshold,
      c.linkage,
      c.algorithm,
      c.k,
      c.minClusterSize,
      c.minQuality,
      c.belowFloor,
      c.adaptive,
    ]).toEqual([
      0.11125,
      'average',
      'knn-graph',
      16,
      2,
      0.2,
      'attach',
      { spread: 0.55, sizeSlack: -0.35, singleSpread: 0.85, singleSpreadFrom: 15 },
    ]);
    expect(() => new FaceClusterer({ threshold: 5 })).toThrow(RangeError);
  });
});

describe('constraints on synthetic identities', () => {
  it('graph and exact agree under constraints, and the result does not depend on input order', () => {
    const s = syntheticIdentities({ identities: 20, perIdentity: 8, sigma: 0.09, seed: 9 });
    // Photos of 4 faces from different identities, plus one photo holding two faces of identity 0.
    const faces = s.faces.map((f, i) => ({ ...f, photoId: i < 2 ? 'dup' : `p${i % 40}` }));
    const constraints = {
      people: [
        { personId: 'zoe', confirmed: [0, 8], rejected: [2] },
        { personId: 'yann', confirmed: [16] },
      ],
      cannotLink: [[24, 25]] as [number, number][],
    };
    const cmp = compareGraphWithExact(faces, { threshold: 1.1, k: 8 }, constraints);
    expect(cmp.scores.pairwise.f).toBeGreaterThanOrEqual(0.99);
    const r = cmp.graph;
    const clusterOf = (id: number) => r.labels[faces.findIndex((f) => f.id === id)];
    // zoe's two confirmed faces (identity 0 and identity 1) stay together; the rejected face does not join.
    expect(clusterOf(0)).toBe(clusterOf(8));
    expect(clusterOf(2)).not.toBe(clusterOf(0));
    // Same photo 'dup' (faces 0 and 1): apart. Cannot-link 24-25: apart.
    expect(clusterOf(1)).not.toBe(clusterOf(0));
    expect(clusterOf(24)).not.toBe(clusterOf(25));
    expect(r.clusters.filter((c) => c.personId !== undefined).map((c) => c.personId)).toEqual(['zoe', 'yann']);
    const again = new FaceClusterer({ threshold: 1.1, k: 8 }).fit(new Rng(4).shuffled(faces), constraints);
    expect(again.clusters).toEqual(r.clusters);
    expect(again.unsorted).toEqual(r.unsorted);
  });
});

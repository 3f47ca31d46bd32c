/**
 * The evaluation references: exact (plain) average-linkage HAC cut from one dendrogram must equal a fresh exact run
 * at every threshold, and DBSCAN must follow its definition (core faces, border faces, noise).
 */
import { describe, expect, it } from 'vitest';
import { FaceClusterer } from '../../../../src-main/engine/people/clusterer.js';
import { dbscanCuts, exactAverageCuts } from '../../../../src-main/app/evaluation/references.js';
import type { EmbeddedFace } from '../../../../src-main/app/evaluation/cluster.js';
import { onCircle, partition } from '../../../helpers/circle-faces.js';
import { syntheticIdentities } from '../../../helpers/synthetic-identities.js';

const embedded = (vectors: Float32Array[]): EmbeddedFace[] =>
  vectors.map((embedding, i) => ({ id: `f${String(i).padStart(3, '0')}`, identity: 'x', embedding, quality: 1 }));

describe('exact average-linkage cuts', () => {
  it('every cut of the one dendrogram equals an exact run at that threshold', () => {
    const s = syntheticIdentities({ identities: 12, perIdentity: 6, dim: 32, sigma: 0.12, seed: 3 });
    const faces = embedded(s.faces.map((f) => f.embedding as Float32Array));
    const ids = faces.map((f) => f.id);
    const cut = exactAverageCuts(faces, 2);
    for (const t of [0.2, 0.5, 0.8, 1.0, 1.2, 1.6, 2]) {
      const exact = new FaceClusterer({
        algorithm: 'exact',
        adaptive: {},
        threshold: t,
        minClusterSize: 1,
        minQuality: 0,
      }).fit(faces.map((f) => ({ id: f.id, embedding: f.embedding })));
      expect(partition(cut(t), ids), `threshold ${t}`).toEqual(partition(exact.labels, ids));
    }
  });
});

describe('DBSCAN', () => {
  // Angles (degrees): a tight run 0, 5, 10 (D between neighbours 0.0076), a face at 20 (0.0304 from 10),
  // and a lone face at 90.
  const faces = embedded([0, 5, 10, 20, 90].map(onCircle));
  const ids = faces.map((f) => f.id);
  const cut = dbscanCuts(faces, 4, 3);

  it('core faces join, a border face joins its nearest core face, a lone face stays alone', () => {
    // eps 0.01: 5 has 0 and 10 within eps (3 with itself): core; 0 and 10 are border faces of it.
    expect(partition(cut(0.01), ids)).toEqual(['f000,f001,f002', 'f003', 'f004']);
    // eps 0.031: 10 is core too (5 and 20), 20 is a border face of 10.
    expect(partition(cut(0.031), ids)).toEqual(['f000,f001,f002,f003', 'f004']);
    // eps 0.005: nobody has a neighbour: all noise.
    expect(partition(cut(0.005), ids)).toEqual(['f000', 'f001', 'f002', 'f003', 'f004']);
  });

  it('min points 2 makes every pair within eps a cluster', () => {
    expect(partition(dbscanCuts(faces, 4, 2)(0.031), ids)).toEqual(['f000,f001,f002,f003', 'f004']);
    expect(partition(dbscanCuts(faces, 4, 2)(0.008), ids)).toEqual(['f000,f001,f002', 'f003', 'f004']);
  });
});

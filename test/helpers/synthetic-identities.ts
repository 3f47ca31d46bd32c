/**
 * Seeded synthetic embeddings for tests and benchmarks (not shipped): identities are random unit centres, faces are
 * centres plus isotropic Gaussian noise, re-normalised. With noise sigma per dimension in d dimensions, two
 * faces of one identity are about 2·s/(1 + s) apart (s = sigma^2·d) and two identities about 2 apart
 * (random directions in high dimension are nearly orthogonal), e.g. d = 128, sigma = 0.06 gives ~0.63.
 */
import type { FaceRecord } from '../../src-main/engine/people/faces.js';
import { Rng } from '../../src-shared/random.js';

export interface SyntheticOptions {
  identities: number;
  perIdentity: number;
  /** Embedding dimension (default 128). */
  dim?: number;
  /** Noise standard deviation per dimension before re-normalisation (default 0.06). */
  sigma?: number;
  seed?: number;
}

export interface SyntheticSet {
  faces: FaceRecord[];
  /** Identity of each face (same order as faces). */
  truth: number[];
  /** Unit centres, identities x dim. */
  centres: Float32Array;
}

function normalizeInto(v: Float64Array, out: Float32Array, offset: number): void {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  for (let t = 0; t < v.length; t++) out[offset + t] = (v[t] as number) / n;
}

/** Faces are numbered 0.. in identity-major order; ids are numbers, photoIds are left unset. */
export function syntheticIdentities(options: SyntheticOptions): SyntheticSet {
  const dim = options.dim ?? 128;
  const sigma = options.sigma ?? 0.06;
  const rng = new Rng(options.seed ?? 1);
  const g = () => rng.normal();
  const centres = new Float32Array(options.identities * dim);
  const tmp = new Float64Array(dim);
  for (let c = 0; c < options.identities; c++) {
    for (let t = 0; t < dim; t++) tmp[t] = g();
    normalizeInto(tmp, centres, c * dim);
  }
  const n = options.identities * options.perIdentity;
  const all = new Float32Array(n * dim);
  const faces: FaceRecord[] = [];
  const truth: number[] = [];
  for (let c = 0; c < options.identities; c++) {
    for (let s = 0; s < options.perIdentity; s++) {
      const i = faces.length;
      for (let t = 0; t < dim; t++) tmp[t] = (centres[c * dim + t] as number) + sigma * g();
      normalizeInto(tmp, all, i * dim);
      faces.push({ id: i, embedding: all.subarray(i * dim, (i + 1) * dim) });
      truth.push(c);
    }
  }
  return { faces, truth, centres };
}

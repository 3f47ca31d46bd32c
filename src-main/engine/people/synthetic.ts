/**
 * Seeded synthetic embeddings for tests and benchmarks: identities are random unit centres, faces are
 * centres plus isotropic Gaussian noise, re-normalised. With noise sigma per dimension in d dimensions, two
 * faces of one identity are about 2·s/(1 + s) apart (s = sigma^2·d) and two identities about 2 apart
 * (random directions in high dimension are nearly orthogonal), e.g. d = 128, sigma = 0.06 gives ~0.63.
 */
import type { FaceRecord } from './faces.js';

/** mulberry32: small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box-Muller) from a uniform source. */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - rand(); // (0, 1]: log(u) is finite
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

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
  const g = gaussian(mulberry32(options.seed ?? 1));
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

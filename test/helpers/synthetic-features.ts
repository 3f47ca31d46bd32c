/**
 * Synthetic "stored features" for training tests and the tuning benchmark: each identity is a point in a
 * low-dimensional identity subspace; every face adds strong nuisance (pose, light: a random mix of a few
 * high-variance directions shared by all identities) and weak isotropic noise. A random layer, like a
 * shipped layer that was never trained on this family, mixes the nuisance into the embedding and confuses
 * identities; a layer that suppresses the nuisance directions separates them.
 */
import { selectRows, type FeatureMatrix } from '../../training/features.js';
import { Rng } from '../../src-shared/random.js';

export interface SyntheticOptions {
  identities: number;
  facesPerIdentity: number | ((identity: number) => number);
  dim?: number;
  identityDims?: number;
  nuisanceDims?: number;
  /** Nuisance standard deviation relative to the identity signal. */
  nuisance?: number;
  noise?: number;
  /** Within-identity spread inside the identity subspace, relative to the identity signal. */
  spread?: number;
  seed?: number;
}

export function syntheticFaces(o: SyntheticOptions): { features: FeatureMatrix; labels: number[] } {
  const dim = o.dim ?? 256;
  const idDims = o.identityDims ?? 16;
  const nuDims = o.nuisanceDims ?? 32;
  const nuisance = o.nuisance ?? 3;
  const noise = o.noise ?? 0.1;
  const spread = o.spread ?? 0.25;
  const rng = new Rng(o.seed ?? 1);
  const dirs = (k: number) =>
    Array.from({ length: k }, () => Float64Array.from({ length: dim }, () => rng.normal() / Math.sqrt(dim)));
  const idBasis = dirs(idDims);
  const nuBasis = dirs(nuDims);
  const labels: number[] = [];
  const rows: Float64Array[] = [];
  for (let id = 0; id < o.identities; id++) {
    const centre = Float64Array.from({ length: idDims }, () => rng.normal());
    const count = typeof o.facesPerIdentity === 'number' ? o.facesPerIdentity : o.facesPerIdentity(id);
    for (let f = 0; f < count; f++) {
      const v = new Float64Array(dim);
      for (let k = 0; k < idDims; k++) {
        const c = (centre[k] as number) + spread * rng.normal();
        const b = idBasis[k] as Float64Array;
        for (let j = 0; j < dim; j++) v[j] = (v[j] as number) + c * (b[j] as number);
      }
      for (let k = 0; k < nuDims; k++) {
        const c = nuisance * rng.normal();
        const b = nuBasis[k] as Float64Array;
        for (let j = 0; j < dim; j++) v[j] = (v[j] as number) + c * (b[j] as number);
      }
      for (let j = 0; j < dim; j++) v[j] = (v[j] as number) + (noise / Math.sqrt(dim)) * rng.normal();
      rows.push(v);
      labels.push(id);
    }
  }
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => data.set(r, i * dim));
  return { features: { data, rows: rows.length, cols: dim }, labels };
}

/**
 * Splits faces made with a fixed `facesPerIdentity` (identity-major order) into the first `trainPerIdentity`
 * faces of every identity (the "confirmed labels") and the rest (held out for before/after figures).
 */
export function splitPerIdentity(
  data: { features: FeatureMatrix; labels: number[] },
  facesPerIdentity: number,
  trainPerIdentity: number,
): { train: { features: FeatureMatrix; labels: number[] }; test: { features: FeatureMatrix; labels: number[] } } {
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  data.labels.forEach((_, i) => (i % facesPerIdentity < trainPerIdentity ? trainIdx : testIdx).push(i));
  const part = (rows: number[]) => ({
    features: selectRows(data.features, rows),
    labels: rows.map((i) => data.labels[i] as number),
  });
  return { train: part(trainIdx), test: part(testIdx) };
}

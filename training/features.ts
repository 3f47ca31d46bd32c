/**
 * Feature matrices: the stored pre-embedding vectors of many faces, packed row-major into one typed array
 * (rows = faces, cols = feature dimension) so the training loops can walk them without indirection.
 */
import type { FloatArray } from './linalg.js';

export interface FeatureMatrix {
  data: FloatArray;
  rows: number;
  cols: number;
}

/** Accepts an array of per-face vectors or an already packed matrix; validates the shape. */
export function packFeatures(features: readonly ArrayLike<number>[] | FeatureMatrix): FeatureMatrix {
  if (!Array.isArray(features)) {
    const m = features as FeatureMatrix;
    if (m.data.length !== m.rows * m.cols)
      throw new RangeError(`packed features: ${m.data.length} != ${m.rows}x${m.cols}`);
    return m;
  }
  const list = features as readonly ArrayLike<number>[];
  const rows = list.length;
  if (rows === 0) throw new RangeError('no features');
  const cols = (list[0] as ArrayLike<number>).length;
  const data = new Float32Array(rows * cols);
  list.forEach((v, i) => {
    if (v.length !== cols) throw new RangeError(`feature ${i} has ${v.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) data[i * cols + j] = v[j] as number;
  });
  return { data, rows, cols };
}

/** A new matrix holding the given rows, in that order (Float32Array unless the source is float64). */
export function selectRows(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const out =
    m.data instanceof Float64Array ? new Float64Array(rows.length * m.cols) : new Float32Array(rows.length * m.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: rows.length, cols: m.cols };
}

/** Maps arbitrary labels to dense integer ids 0..k-1 (in order of first appearance). */
export function encodeLabels(labels: readonly (string | number)[]): { ids: Int32Array; names: (string | number)[] } {
  const index = new Map<string | number, number>();
  const ids = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    let id = index.get(l);
    if (id === undefined) {
      id = index.size;
      index.set(l, id);
    }
    ids[i] = id;
  });
  return { ids, names: [...index.keys()] };
}

/**
 * Dense row-major matrix kernels for the training loop. Loop orders are chosen so that the innermost loop
 * walks contiguous memory (i-k-j for A·B, row·row for A·B^T); sums are accumulated in float64 (JavaScript
 * numbers) whatever the storage type.
 */

/** Float32Array for storage and speed, Float64Array for exact checks (gradient check). */
export type FloatArray = Float32Array | Float64Array;

/**
 * out[n x m] = A[n x k] · B[k x m] (+ bias[m] on every row). `out` may be any float array of n*m values;
 * each output row is accumulated in a float64 scratch row and written once.
 */
export function matmul(
  a: FloatArray,
  n: number,
  k: number,
  b: FloatArray,
  m: number,
  out: FloatArray,
  bias?: FloatArray,
): FloatArray {
  const acc = new Float64Array(m);
  const k4 = k - (k % 4);
  for (let i = 0; i < n; i++) {
    if (bias) for (let j = 0; j < m; j++) acc[j] = bias[j] as number;
    else acc.fill(0);
    const rowA = i * k;
    // Four rows of B per sweep over the accumulator: a quarter of the loads and stores of acc.
    for (let kk = 0; kk < k4; kk += 4) {
      const x0 = a[rowA + kk] as number;
      const x1 = a[rowA + kk + 1] as number;
      const x2 = a[rowA + kk + 2] as number;
      const x3 = a[rowA + kk + 3] as number;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue; // ReLU-pooled features are often 0.
      const r0 = kk * m;
      const r1 = r0 + m;
      const r2 = r1 + m;
      const r3 = r2 + m;
      for (let j = 0; j < m; j++) {
        acc[j] =
          (acc[j] as number) +
          x0 * (b[r0 + j] as number) +
          x1 * (b[r1 + j] as number) +
          x2 * (b[r2 + j] as number) +
          x3 * (b[r3 + j] as number);
      }
    }
    for (let kk = k4; kk < k; kk++) {
      const x = a[rowA + kk] as number;
      const rowB = kk * m;
      for (let j = 0; j < m; j++) acc[j] = (acc[j] as number) + x * (b[rowB + j] as number);
    }
    const rowOut = i * m;
    for (let j = 0; j < m; j++) out[rowOut + j] = acc[j] as number;
  }
  return out;
}

/**
 * out[k x m] += A^T · G for A[n x k] and G[n x m] (the weight gradient of a linear layer: features^T times
 * output gradients). Walks A and G row by row, four rows at a time, so both are read contiguously; `out`
 * is accumulated in place.
 */
export function addMatmulTransposedA(
  a: FloatArray,
  n: number,
  k: number,
  g: FloatArray,
  m: number,
  out: Float64Array,
): Float64Array {
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    const g0 = i * m;
    const g1 = g0 + m;
    const g2 = g1 + m;
    const g3 = g2 + m;
    for (let kk = 0; kk < k; kk++) {
      const x0 = a[a0 + kk] as number;
      const x1 = a[a1 + kk] as number;
      const x2 = a[a2 + kk] as number;
      const x3 = a[a3 + kk] as number;
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const o = kk * m;
      for (let j = 0; j < m; j++) {
        out[o + j] =
          (out[o + j] as number) +
          x0 * (g[g0 + j] as number) +
          x1 * (g[g1 + j] as number) +
          x2 * (g[g2 + j] as number) +
          x3 * (g[g3 + j] as number);
      }
    }
  }
  for (let i = n4; i < n; i++) {
    const rowA = i * k;
    const rowG = i * m;
    for (let kk = 0; kk < k; kk++) {
      const x = a[rowA + kk] as number;
      if (x === 0) continue;
      const rowOut = kk * m;
      for (let j = 0; j < m; j++) out[rowOut + j] = (out[rowOut + j] as number) + x * (g[rowG + j] as number);
    }
  }
  return out;
}

/**
 * Squared L2 distances between the rows of unit-length matrices A[n x d] and B[m x d] via the inner
 * product, D = 2 - 2·a·b clamped to [0, 4] (exact for unit vectors up to rounding). Returns n x m, row-major.
 * When A and B are the same array the matrix is symmetric and only half of it is computed.
 */
export function unitDistanceMatrix(a: FloatArray, n: number, b: FloatArray, m: number, d: number): Float64Array {
  const out = new Float64Array(n * m);
  const same = a === b && n === m;
  const put = (i: number, j: number, dot: number) => {
    let v = 2 - 2 * dot;
    v = v < 0 ? 0 : v > 4 ? 4 : v;
    out[i * m + j] = v;
    if (same) out[j * m + i] = v;
  };
  for (let i = 0; i < n; i++) {
    const ra = i * d;
    let j = same ? i + 1 : 0;
    // Four rows of B against one row of A per sweep: each A value is loaded once for four products.
    for (; j + 3 < m; j += 4) {
      const r0 = j * d;
      const r1 = r0 + d;
      const r2 = r1 + d;
      const r3 = r2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0; t < d; t++) {
        const x = a[ra + t] as number;
        s0 += x * (b[r0 + t] as number);
        s1 += x * (b[r1 + t] as number);
        s2 += x * (b[r2 + t] as number);
        s3 += x * (b[r3 + t] as number);
      }
      put(i, j, s0);
      put(i, j + 1, s1);
      put(i, j + 2, s2);
      put(i, j + 3, s3);
    }
    for (; j < m; j++) {
      const rb = j * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += (a[ra + t] as number) * (b[rb + t] as number);
      put(i, j, s);
    }
    if (same) out[i * m + i] = 0;
  }
  return out;
}

/** The transpose of an n x m row-major matrix. */
export function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j] as number;
  return out;
}

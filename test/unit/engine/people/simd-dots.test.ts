/**
 * The kNN graph's dot products: the WebAssembly SIMD kernel, its plain-JS stand-in and the single-pair dotF32
 * must agree to the bit on any rows (otherwise a pair's distance would depend on which task or thread computed
 * it, and the graph on the thread count), and stay within float32 rounding of the exact dot product.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockDots, dotF32 } from '../../../../src-main/engine/people/simd-dots.js';

/** Rows of width dim from fast-check's floats, scaled like embedding values. */
const blocks = fc
  .record({
    dim: fc.integer({ min: 1, max: 140 }),
    qn: fc.integer({ min: 1, max: 11 }),
    cn: fc.integer({ min: 1, max: 9 }),
  })
  .chain(({ dim, qn, cn }) =>
    fc.record({
      dim: fc.constant(dim),
      qn: fc.constant(qn),
      cn: fc.constant(cn),
      values: fc.array(fc.float({ min: -1, max: 1, noNaN: true }), {
        minLength: (qn + cn) * dim,
        maxLength: (qn + cn) * dim,
      }),
    }),
  );

function blockOf(dots: BlockDots, rows: Float32Array, qn: number, cn: number): number[] {
  dots.reserve(qn, cn);
  for (let a = 0; a < qn; a++) dots.setQuery(a, rows, a);
  for (let b = 0; b < cn; b++) dots.setCandidate(b, rows, qn + b);
  const { out, width } = dots.compute(qn, cn);
  const result: number[] = [];
  for (let a = 0; a < qn; a++) for (let b = 0; b < cn; b++) result.push(out[a * width + b] as number);
  return result;
}

describe('dot products of the kNN graph', () => {
  it('run in the WebAssembly SIMD kernel on this runtime (Node and Electron both have it)', () => {
    expect(new BlockDots(128).simd).toBe(true);
  });

  it('give the same bits in the SIMD kernel, in plain JS and pair by pair, for any rows', () => {
    fc.assert(
      fc.property(blocks, ({ dim, qn, cn, values }) => {
        const rows = Float32Array.from(values);
        const pairByPair: number[] = [];
        for (let a = 0; a < qn; a++)
          for (let b = 0; b < cn; b++) pairByPair.push(dotF32(rows, a * dim, rows, (qn + b) * dim, dim));
        expect(blockOf(new BlockDots(dim), rows, qn, cn)).toEqual(pairByPair);
        expect(blockOf(new BlockDots(dim, { simd: false }), rows, qn, cn)).toEqual(pairByPair);
      }),
      { numRuns: 200 },
    );
  });

  it('stay within float32 rounding of the exact dot product', () => {
    fc.assert(
      fc.property(blocks, ({ dim, qn, values }) => {
        const rows = Float32Array.from(values);
        let exact = 0;
        let magnitude = 0;
        for (let t = 0; t < dim; t++) {
          exact += (rows[t] as number) * (rows[qn * dim + t] as number);
          magnitude += Math.abs((rows[t] as number) * (rows[qn * dim + t] as number));
        }
        // Each of the at most 2·dim + 2 roundings errs by at most 2^-24 of a partial sum bounded by `magnitude`,
        // or by half the smallest subnormal float32 where the result underflows.
        expect(Math.abs(dotF32(rows, 0, rows, qn * dim, dim) - exact)).toBeLessThanOrEqual(
          (2 * dim + 2) * (2 ** -24 * magnitude + 2 ** -150),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('regrow for larger blocks, and give the same results after', () => {
    const dim = 4;
    const dots = new BlockDots(dim);
    const rows = Float32Array.from({ length: 600 * dim }, (_, i) => ((i * 37) % 11) / 11 - 0.5);
    const small = blockOf(dots, rows, 3, 5);
    const large = blockOf(dots, rows, 300, 300);
    expect(large[300 * 300 - 1]).toBe(dotF32(rows, 299 * dim, rows, 599 * dim, dim));
    expect(blockOf(dots, rows, 3, 5)).toEqual(small);
    expect(() => dots.compute(301, 2)).toThrow(/reserve/);
  });
});

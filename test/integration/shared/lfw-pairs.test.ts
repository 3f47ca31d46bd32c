import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lfwImagePath, parseLfwPairs } from '../../../src-shared/lfw-pairs.js';

function view1(n: number): string {
  const lines = [String(n)];
  for (let i = 0; i < n; i++) lines.push(`Same_${i}\t1\t2`);
  for (let i = 0; i < n; i++) lines.push(`A_${i}\t1\tB_${i}\t3`);
  return lines.join('\n') + '\n';
}

describe('LFW pairs parser', () => {
  it('builds image paths with 4-digit numbers', () => {
    expect(lfwImagePath('George_W_Bush', 7)).toBe('George_W_Bush/George_W_Bush_0007.jpg');
    expect(lfwImagePath('X', 12345)).toBe('X/X_12345.jpg');
  });

  it('parses a View 1 file and spreads same and different pairs evenly over 10 folds', () => {
    const p = parseLfwPairs(view1(20));
    expect(p.format).toBe('view1');
    expect(p.folds).toBe(10);
    expect(p.pairs).toHaveLength(40);
    expect(p.pairs[0]).toEqual({
      a: { name: 'Same_0', index: 1, path: 'Same_0/Same_0_0001.jpg' },
      b: { name: 'Same_0', index: 2, path: 'Same_0/Same_0_0002.jpg' },
      same: true,
      fold: 0,
      line: 2,
    });
    expect(p.pairs[20]).toMatchObject({
      a: { name: 'A_0', index: 1 },
      b: { name: 'B_0', index: 3 },
      same: false,
      fold: 0,
    });
    // Contiguous runs: same pairs 0,1 -> fold 0, 2,3 -> fold 1, ..., 18,19 -> fold 9; the same for different.
    expect(p.pairs.slice(0, 20).map((x) => x.fold)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
    ]);
    for (let f = 0; f < 10; f++) {
      const inFold = p.pairs.filter((x) => x.fold === f);
      expect(inFold.filter((x) => x.same)).toHaveLength(2);
      expect(inFold.filter((x) => !x.same)).toHaveLength(2);
    }
  });

  it('keeps folds within one pair of each other when N is not a multiple of 10', () => {
    const p = parseLfwPairs(view1(13));
    const sizes = Array.from({ length: 10 }, (_, f) => p.pairs.filter((x) => x.same && x.fold === f).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(13);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('parses View 2 "F N" headers with space or tab separators and CRLF', () => {
    const text = ['2 1', 'Ann 1 2', 'Ann 1 Bob 1', 'Cy\t3\t4', 'Cy\t3\tDee\t10', ''].join('\r\n');
    const p = parseLfwPairs(text);
    expect(p.format).toBe('view2');
    expect(p.folds).toBe(2);
    expect(p.pairs.map((x) => [x.same, x.fold, x.a.path, x.b.path])).toEqual([
      [true, 0, 'Ann/Ann_0001.jpg', 'Ann/Ann_0002.jpg'],
      [false, 0, 'Ann/Ann_0001.jpg', 'Bob/Bob_0001.jpg'],
      [true, 1, 'Cy/Cy_0003.jpg', 'Cy/Cy_0004.jpg'],
      [false, 1, 'Cy/Cy_0003.jpg', 'Dee/Dee_0010.jpg'],
    ]);
  });

  it('rejects malformed files naming the line', () => {
    expect(() => parseLfwPairs('')).toThrow(/empty/);
    expect(() => parseLfwPairs('2\nA 1 2\nB 1 C 2\n')).toThrow(/expected 4 pair lines/);
    expect(() => parseLfwPairs('1\nA 1 B 2\nC 1 D 2\n')).toThrow(/line 2: expected a same pair/);
    expect(() => parseLfwPairs('1\nA 1 2\nC 1 2\n')).toThrow(/line 3: expected a different pair/);
    expect(() => parseLfwPairs('1\nA x 2\nC 1 D 2\n')).toThrow(/line 2: image number "x"/);
    expect(() => parseLfwPairs('1 2 3\n')).toThrow(/header/);
  });
});

// The shared data set sits beside the repository and is not part of a clean clone: skip (visibly) without it.
const realPairs = new URL('../../../../shared/lfw-dev/pairs.txt', import.meta.url);

describe('LFW pairs parser on the real View 1 file', () => {
  it.skipIf(!existsSync(realPairs))('parses ../shared/lfw-dev/pairs.txt into 10 folds of 50 + 50', () => {
    const p = parseLfwPairs(readFileSync(realPairs, 'utf8'));
    expect(p.pairs).toHaveLength(1000);
    for (let f = 0; f < 10; f++) {
      expect(p.pairs.filter((x) => x.fold === f && x.same)).toHaveLength(50);
      expect(p.pairs.filter((x) => x.fold === f && !x.same)).toHaveLength(50);
    }
    expect(p.pairs[0]?.a.path).toBe('Abdullah_Gul/Abdullah_Gul_0013.jpg');
  });
});

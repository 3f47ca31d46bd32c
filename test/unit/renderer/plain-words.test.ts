/**
 * Issue 13: plain words first for settings and figures with technical names (src-renderer/logic/plain-words.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatThreshold } from '../../../src-renderer/logic/format.js';
import {
  detectorWords,
  embedderWords,
  gpuMode,
  oneIn,
  operatingPointWords,
  providersFor,
} from '../../../src-renderer/logic/plain-words.js';

describe('plain words', () => {
  it('names the face finders and recognition models in words, unknown ones as they are', () => {
    expect(detectorWords('blazeface-full')).toBe('Accurate (recommended)');
    expect(detectorWords('blazeface-short')).toBe('Fast, for close-up faces');
    expect(embedderWords('dlib')).toBe('Standard (recommended)');
    expect(detectorWords('future-model')).toBe('future-model');
  });

  it('"Use the graphics card" maps onto the stored providers without changing their format', () => {
    expect(gpuMode(['cuda', 'dml', 'coreml', 'cpu'])).toBe('automatic');
    expect(gpuMode(['coreml', 'cpu'])).toBe('automatic');
    expect(gpuMode(['cpu'])).toBe('off');
    expect(providersFor('off', ['cuda', 'cpu'])).toEqual(['cpu']);
    expect(providersFor('automatic', ['cpu'])).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    // A choice made in Details is kept while the graphics card stays on.
    expect(providersFor('automatic', ['dml', 'cpu'])).toEqual(['dml', 'cpu']);
  });

  it('says VAL and FAR in words', () => {
    expect(oneIn(0.001)).toBe('1 in 1,000');
    expect(oneIn(0.02)).toBe('1 in 50');
    expect(operatingPointWords({ val: 0.928, far: 0.001 })).toBe(
      'Correct matches: 92.8% of same-person pairs · 1 in 1,000 pairs of different people wrongly grouped',
    );
    expect(operatingPointWords({ val: 1, far: 0 })).toBe(
      'Correct matches: 100.0% of same-person pairs · no wrong matches',
    );
  });
});

describe('formatThreshold', () => {
  it('shows two decimals, or up to five when the threshold has them', () => {
    expect(formatThreshold(0.25)).toBe('0.25');
    expect(formatThreshold(0.3)).toBe('0.30');
    expect(formatThreshold(0.1125)).toBe('0.1125');
    expect(formatThreshold(0.11125)).toBe('0.11125');
    expect(formatThreshold(0.115)).toBe('0.115');
    expect(formatThreshold(0.11 + 0.01)).toBe('0.12');
  });
});

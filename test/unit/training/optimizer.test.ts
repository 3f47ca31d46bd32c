import { describe, expect, it } from 'vitest';
import { AdaGrad, EarlyStopping } from '../../../training/optimizer.js';

describe('AdaGrad', () => {
  it('applies w -= lr · g / sqrt(sum g^2) with the learning rate halving every half-life steps', () => {
    const opt = new AdaGrad({ learningRate: 0.05, learningRateHalfLife: 2, epsilon: 0 });
    const w = Float64Array.from([1, 1, 1]);
    opt.step(w, Float64Array.from([2, -0.5, 0]));
    // First step: every non-zero gradient moves its weight by exactly lr, whatever its size.
    expect(Array.from(w)).toEqual([0.95, 1.05, 1]);
    opt.endStep();
    opt.endStep();
    expect(opt.currentLearningRate()).toBeCloseTo(0.025, 15);
    opt.step(w, Float64Array.from([2, 0, 0]));
    // Accumulated G = 4 + 4 = 8: step = 0.025 · 2 / sqrt(8).
    expect(w[0]).toBeCloseTo(0.95 - (0.025 * 2) / Math.sqrt(8), 15);
    expect(w[1]).toBe(1.05);
  });
});

describe('EarlyStopping', () => {
  it('keeps the best epoch (lexicographic score) and stops after `patience` epochs without improvement', () => {
    const s = new EarlyStopping<string>({ patience: 2 });
    expect(s.observe(0, [0.1, 0.5], () => 'e0')).toBe(true);
    expect(s.observe(1, [0.1, 0.6], () => 'e1')).toBe(true); // tie on the first figure, better second
    expect(s.observe(2, [0.1, 0.6], () => 'e2')).toBe(false); // equal is not better
    expect(s.shouldStop).toBe(false);
    expect(s.observe(3, [0.05, 0.9], () => 'e3')).toBe(false);
    expect(s.shouldStop).toBe(true);
    expect(s.best?.value).toBe('e1');
    expect(s.best?.epoch).toBe(1);
  });
});

import type { FivePoints } from '../../src-shared/geometry.js';
import type { AnalyzedFace } from '../../src-shared/analysis.js';

/** A synthetic AnalyzedFace with a square box at (x, y). */
export function fakeFace(x: number, y: number, size = 20, seed = 1): AnalyzedFace {
  const embedding = new Float32Array(8).map((_, i) => Math.sin(seed + i));
  const n = Math.hypot(...embedding);
  const landmarks = Array.from({ length: 5 }, (_, i) => ({ x: x + i, y: y + i })) as FivePoints;
  return {
    box: { x, y, width: size, height: size },
    score: 0.9,
    landmarks,
    quality: 0.8,
    embedding: embedding.map((v) => v / n),
    features: new Float32Array([1, 2, 3]),
  };
}

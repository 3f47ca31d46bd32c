/**
 * LFW-protocol verification evaluation of the full pipeline (decode, detect, align, embed) on a pairs
 * file: 10-fold accuracy with the threshold chosen on nine folds, VAL at FAR = 1e-3, throughput.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseLfwPairs } from '../../../src-shared/lfw-pairs.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import { squaredL2 } from '../../../src-shared/vectors.js';
import { bestAccuracyThreshold, kFoldAccuracy, valAtFar } from '../../../src-shared/verification.js';
import type { FaceAnalyzer } from '../../engine/vision/pipeline.js';
import type { EmbeddingCache } from './embedding-cache.js';
import { embedPrimaryFace } from './primary-embedding.js';

export interface LfwEvaluation {
  accuracy: number;
  accuracyStdErr: number;
  valAtFar1e3: number;
  /** Threshold chosen on all pairs (squared L2). */
  threshold: number;
  pairs: number;
  images: number;
  /** Images where no face was found even at the lowest fallback score; their pairs count as errors. */
  detectFailures: number;
  /** Images whose face needed a fallback (lower) detector threshold. */
  lowScoreDetections: number;
  facesPerSecond: number;
  seconds: number;
  folds: Array<{ fold: number; threshold: number; accuracy: number }>;
  /** Pairs on the wrong side of `threshold`, for error analysis. */
  misclassified: Array<{ a: string; b: string; same: boolean; distance: number }>;
  modelVersion: string;
}

export async function evaluateLfw(
  analyzer: FaceAnalyzer,
  pairsFile: string,
  imagesDir: string,
  onProgress?: (done: number, total: number) => void,
  /** Optional per-photo cache (open it with primaryFaceCacheKey(analyzer)): a re-run costs no inference. */
  cache?: EmbeddingCache,
): Promise<LfwEvaluation> {
  const parsed = parseLfwPairs(readFileSync(pairsFile, 'utf8'));
  const paths = [...new Set(parsed.pairs.flatMap((p) => [p.a.path, p.b.path]))].sort();
  const embeddings = new Map<string, Float32Array | null>();
  let lowScoreDetections = 0;
  const started = performance.now();
  // One image in flight per core (ONNX sessions use one thread per call; see src-main/engine/vision/onnx-session.ts).
  let done = 0;
  await forEachBounded(paths, Math.max(2, cpus().length), async (relative) => {
    const face = await embedPrimaryFace(analyzer, join(imagesDir, relative), cache);
    if (face?.fallback) lowScoreDetections++;
    embeddings.set(relative, face?.embedding ?? null);
    onProgress?.(++done, paths.length);
  });
  const seconds = (performance.now() - started) / 1000;
  // A pair with a missing face is scored at the maximum distance: a wrong answer for same pairs.
  const labelled = parsed.pairs.map((p) => {
    const a = embeddings.get(p.a.path);
    const b = embeddings.get(p.b.path);
    return { distance: a && b ? squaredL2(a, b) : 4, same: p.same, fold: p.fold };
  });
  const kfold = kFoldAccuracy(labelled);
  const same = labelled.filter((p) => p.same).map((p) => p.distance);
  const different = labelled.filter((p) => !p.same).map((p) => p.distance);
  const detectFailures = [...embeddings.values()].filter((e) => e === null).length;
  const threshold = bestAccuracyThreshold(same, different).threshold;
  const misclassified = parsed.pairs
    .map((p, i) => ({ a: p.a.path, b: p.b.path, same: p.same, distance: labelled[i]!.distance }))
    .filter((p) => p.same !== p.distance <= threshold);
  return {
    accuracy: kfold.accuracy,
    accuracyStdErr: kfold.accuracyStdErr,
    valAtFar1e3: valAtFar(same, different, 1e-3).val,
    threshold,
    pairs: labelled.length,
    images: paths.length,
    detectFailures,
    lowScoreDetections,
    facesPerSecond: (paths.length - detectFailures) / seconds,
    seconds,
    folds: kfold.folds.map((f) => ({ fold: f.fold, threshold: f.threshold, accuracy: f.accuracy })),
    misclassified,
    modelVersion: analyzer.modelVersion,
  };
}

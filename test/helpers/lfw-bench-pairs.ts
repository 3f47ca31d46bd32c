/**
 * What the LFW pair benchmarks share: the pairs file named on the command line (default: the development
 * pairs, `../shared/lfw-dev/pairsDevTrain.txt`), its images, and each image's primary face found as
 * `facenet eval lfw` finds it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseLfwPairs, type LfwPair } from '../../src-shared/lfw-pairs.js';
import { squaredL2 } from '../../src-shared/vectors.js';
import { evaluatePairs } from '../../src-shared/verification.js';
import { detectPrimaryFace } from '../../src-main/app/evaluation/primary-embedding.js';
import { decodePhoto } from '../../src-main/engine/vision/decode.js';
import type { DetectedFace, FaceAnalyzer } from '../../src-main/engine/vision/pipeline.js';
import type { RgbImage } from '../../src-main/engine/vision/types.js';
import { SHARED_DIR } from './shared.js';

export interface BenchPairs {
  pairsFile: string;
  /** The folder of the images the pairs name. */
  images: string;
  pairs: LfwPair[];
  /** Every image the pairs name, once, sorted. */
  paths: string[];
}

export function benchPairs(pairsFile = join(SHARED_DIR, 'lfw-dev', 'pairsDevTrain.txt')): BenchPairs {
  const pairs = parseLfwPairs(readFileSync(pairsFile, 'utf8')).pairs;
  const paths = [...new Set(pairs.flatMap((p) => [p.a.path, p.b.path]))].sort();
  return { pairsFile, images: join(dirname(pairsFile), 'images'), pairs, paths };
}

/**
 * Each image decoded, with its primary face's detection; images where none is found (even at the fallback
 * scores) are left out, and a pair naming one counts as the largest distance, as in `facenet eval lfw`.
 */
export async function* primaryFaces(
  analyzer: FaceAnalyzer,
  { images, paths }: BenchPairs,
): AsyncGenerator<{ path: string; image: RgbImage; face: DetectedFace }> {
  for (const path of paths) {
    const photo = await decodePhoto(join(images, path));
    const found = await detectPrimaryFace(analyzer, photo.image);
    if (found) yield { path, image: photo.image, face: found.face };
  }
}

/** Squared L2 of each pair (4, the largest, where either image has no face: as `facenet eval lfw` counts it). */
export function pairDistances({ pairs }: BenchPairs, vectorOf: (path: string) => Float32Array | undefined): number[] {
  return pairs.map((p) => {
    const a = vectorOf(p.a.path);
    const b = vectorOf(p.b.path);
    return a && b ? squaredL2(a, b) : 4;
  });
}

/** The CLI's figures for the pairs at these distances: 10-fold accuracy, its standard error, VAL at FAR 1e-3. */
export function pairScores(
  { pairs }: BenchPairs,
  distances: readonly number[],
): { accuracy: number; accuracyStdErr: number; valAtFar1e3: number } {
  const r = evaluatePairs(pairs.map((p, i) => ({ distance: distances[i]!, same: p.same, fold: p.fold })));
  return { accuracy: r.accuracy, accuracyStdErr: r.accuracyStdErr, valAtFar1e3: r.valAtFar.val };
}

/**
 * What the LFW pair benchmarks share: the pairs file named on the command line (default: the development
 * pairs, `../shared/lfw-dev/pairsDevTrain.txt`), its images, and each image's primary face found as
 * `facenet eval lfw` finds it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseLfwPairs, type LfwPair } from '../../src-shared/lfw-pairs.js';
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

/**
 * The embedding of a single-subject photo's primary face (LFW-style evaluation): detect at the pipeline's
 * score, then at the fallback scores if nothing was found, pick the primary face (primary-face.ts) and embed
 * only that one (evaluateLfw and eval cluster both use it, so they share cache entries). Results go through an optional EmbeddingCache.
 * `withPrimaryFaceAnalyzer` loads the models and opens that cache for an evaluation (`facenet eval`).
 */
import { decodePhoto } from '../../engine/vision/decode.js';
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import type { DetectedFace, FaceAnalyzer } from '../../engine/vision/pipeline.js';
import type { RgbImage } from '../../engine/vision/types.js';
import { createFaceAnalyzer } from '../../engine/vision/registry.js';
import type { AnalyzerOptions, PipelineChoice } from '../pipeline-choice.js';
import { EmbeddingCache, pipelineCacheKey, type CachedFace } from './embedding-cache.js';
import { primaryFaceIndex } from './primary-face.js';

/** Detector thresholds tried in turn for a photo where no face was found (LFW always has one). */
export const FALLBACK_SCORES = [0.2, 0.05];

/** Cache key for results of `embedPrimaryFace` with this analyzer. */
export function primaryFaceCacheKey(analyzer: FaceAnalyzer): string {
  return pipelineCacheKey({
    modelVersion: analyzer.modelVersion,
    minScore: analyzer.options.minScore,
    minFaceSize: analyzer.options.minFaceSize,
    selection: `primary-v1/fallback=${FALLBACK_SCORES.join(',')}`,
  });
}

export interface PrimaryFace extends AnalyzedFace {
  /** Faces detected in the photo at the detector score that found the primary one. */
  faces: number;
  /** Found only at one of FALLBACK_SCORES. */
  fallback: boolean;
}

/** The primary face of a single-subject photo, analysed in full (embedding and pre-embedding features). */
export async function analyzePrimaryFace(analyzer: FaceAnalyzer, path: string): Promise<PrimaryFace | null> {
  const photo = await decodePhoto(path);
  const found = await detectPrimaryFace(analyzer, photo.image);
  if (!found) return null;
  const [face] = await analyzer.embedDetections(photo.image, [found.face]);
  return { ...face!, faces: found.faces, fallback: found.fallback };
}

/**
 * The primary face's detection (before embedding), at the analyzer's score or else at the first fallback score
 * that finds one; with the count of faces found at that score.
 */
export async function detectPrimaryFace(
  analyzer: FaceAnalyzer,
  image: RgbImage,
): Promise<{ face: DetectedFace; faces: number; fallback: boolean } | null> {
  for (const minScore of [analyzer.options.minScore, ...FALLBACK_SCORES]) {
    const faces = await analyzer.detect(image, minScore);
    const index = primaryFaceIndex(
      faces.map((f) => f.box),
      image.width,
      image.height,
    );
    if (index >= 0)
      return { face: faces[index]!, faces: faces.length, fallback: minScore !== analyzer.options.minScore };
  }
  return null;
}

export async function embedPrimaryFace(
  analyzer: FaceAnalyzer,
  path: string,
  cache?: EmbeddingCache,
): Promise<CachedFace | null> {
  const cached = cache?.get(path);
  if (cached !== undefined) return cached;
  const face = await analyzePrimaryFace(analyzer, path);
  const result: CachedFace | null = face && {
    embedding: face.embedding,
    score: face.score,
    quality: face.quality,
    faces: face.faces,
    fallback: face.fallback,
  };
  cache?.set(path, result);
  return result;
}

/**
 * Runs `evaluate` with the analyzer for `choice` and the primary-face cache of that analyzer under `cacheDir`
 * (undefined: DEFAULT_CACHE_DIR; null: no cache); the models are released afterwards.
 */
export async function withPrimaryFaceAnalyzer<T>(
  choice: PipelineChoice,
  options: AnalyzerOptions,
  cacheDir: string | null | undefined,
  evaluate: (analyzer: FaceAnalyzer, cache: EmbeddingCache | undefined) => Promise<T>,
): Promise<T> {
  const analyzer = await createFaceAnalyzer(choice, options);
  try {
    const cache = cacheDir === null ? undefined : EmbeddingCache.open(primaryFaceCacheKey(analyzer), cacheDir);
    return await evaluate(analyzer, cache);
  } finally {
    await analyzer.dispose();
  }
}

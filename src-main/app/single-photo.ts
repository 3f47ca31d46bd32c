/**
 * The face pipeline on photos outside any library (`facenet detect`, `facenet verify`): the faces of one
 * photo, and whether the main faces of two photos are the same person. Each call loads the models for the
 * choice, uses them and releases them. Photos are read as indexing reads them (decode.ts openPixels: each
 * stage decodes only the resolution it needs), so these commands find what indexing finds.
 */
import { ApiError } from '../../src-shared/api.js';
import type { Box, Point } from '../../src-shared/geometry.js';
import { squaredL2 } from '../../src-shared/vectors.js';
import { openPixels } from '../engine/vision/decode.js';
import type { FaceAnalyzer } from '../engine/vision/pipeline.js';
import { createFaceAnalyzer, verificationThreshold } from '../engine/vision/registry.js';
import { primaryFaceIndex } from './evaluation/primary-face.js';
import type { AnalyzerOptions, PipelineChoice } from './pipeline-choice.js';

export interface PhotoFaces {
  /** Size of the EXIF-oriented photo at full resolution; boxes and landmarks are in its pixels. */
  width: number;
  height: number;
  faces: Array<{ box: Box; score: number; landmarks: Point[] }>;
  /** Time the detection took, with the decoding it needs (model loading not included). */
  seconds: number;
}

/** Boxes, five landmarks and scores of the faces in the photo at `path`. Throws PhotoError for a bad file. */
export async function detectPhotoFaces(
  path: string,
  choice: PipelineChoice,
  options: AnalyzerOptions = {},
): Promise<PhotoFaces> {
  const analyzer = await createFaceAnalyzer(choice, options);
  try {
    const photo = await openPixels(path);
    const started = performance.now();
    const faces = await analyzer.detectIn(photo.pixels);
    const seconds = (performance.now() - started) / 1000;
    return {
      width: photo.width,
      height: photo.height,
      faces: faces.map((f) => ({ box: f.box, score: f.score, landmarks: f.landmarks })),
      seconds,
    };
  } finally {
    await analyzer.dispose();
  }
}

export interface PhotoVerification {
  /** Squared L2 distance between the two main faces' embeddings (0..4). */
  distance: number;
  threshold: number;
  same: boolean;
}

/**
 * FaceNet's squared L2 distance between the main faces (primary-face.ts) of two photos, and the verdict at
 * `threshold` (default: the one measured for the choice, with or without flip). A photo without a face is
 * refused ('bad-request', naming it).
 */
export async function verifyPhotos(
  paths: [string, string],
  choice: PipelineChoice,
  options: AnalyzerOptions = {},
  threshold?: number,
): Promise<PhotoVerification> {
  const analyzer = await createFaceAnalyzer(choice, options);
  try {
    const limit = threshold ?? verificationThreshold(choice, analyzer.options.flip);
    // Both photos at once; the models are released only once neither uses them (then the first failure).
    const settled = await Promise.allSettled(paths.map((p) => mainFaceEmbedding(analyzer, p)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [a, b] = settled.map((r) => (r as PromiseFulfilledResult<Float32Array>).value);
    const distance = squaredL2(a!, b!);
    return { distance, threshold: limit, same: distance <= limit };
  } finally {
    await analyzer.dispose();
  }
}

async function mainFaceEmbedding(analyzer: FaceAnalyzer, path: string): Promise<Float32Array> {
  const photo = await openPixels(path);
  const faces = await analyzer.detectIn(photo.pixels);
  const index = primaryFaceIndex(
    faces.map((f) => f.box),
    photo.width,
    photo.height,
  );
  if (index < 0) throw new ApiError('bad-request', `no face found in ${path}`);
  const [face] = await analyzer.embedIn(photo.pixels, [faces[index]!]);
  return face!.embedding;
}

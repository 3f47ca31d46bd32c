/**
 * Contracts between the vision stages. Each model wrapper (detector, landmarks, embedder) owns its
 * pre- and post-processing as separate pure functions and exposes one batched `run`-style method.
 */
import type { Box, Point } from '../../../src-shared/geometry.js';

/** Interleaved 8-bit RGB pixels, row-major, no padding. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A detection in the coordinates of the image that was given to the detector. */
export interface RawDetection {
  box: Box;
  score: number;
  /** Model-specific keypoints (BlazeFace: 6, SSD: none). */
  keypoints: Point[];
}

export interface DetectorModel {
  readonly id: string;
  /** The square (or rectangular) size the network takes; callers resize or tile to this. */
  readonly inputWidth: number;
  readonly inputHeight: number;
  /**
   * Detects faces in images that are exactly inputWidth x inputHeight. Returns, per image, the
   * detections above `minScore` after non-maximum suppression, in input pixel coordinates.
   */
  detect(images: RgbImage[], minScore: number): Promise<RawDetection[][]>;
  dispose(): Promise<void>;
}

export interface LandmarkModel {
  readonly id: string;
  readonly inputSize: number;
  /** Given square crops exactly inputSize x inputSize, returns 68 landmarks per crop in crop pixels. */
  landmarks(crops: RgbImage[]): Promise<Point[][]>;
  dispose(): Promise<void>;
}

export interface EmbeddingResult {
  /** Unit-length embedding (L2 norm 1). */
  embedding: Float32Array;
  /** The pre-embedding feature vector that feeds the final (embedding) layer. */
  features: Float32Array;
}

export interface EmbedderModel {
  readonly id: string;
  /** Aligned crops must be exactly inputSize x inputSize. */
  readonly inputSize: number;
  readonly dimension: number;
  embed(aligned: RgbImage[]): Promise<EmbeddingResult[]>;
  dispose(): Promise<void>;
}

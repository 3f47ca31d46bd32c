/**
 * What the vision pipeline finds in one photo, as plain data: the engine's storage keeps it as-is, so both
 * sides share this one definition (src-main/engine/vision produces it; src-main/engine/storage stores it).
 */
import type { Box, FivePoints } from './geometry.js';

export interface AnalyzedFace {
  /** Box in the pixels of the EXIF-oriented image (what the user sees). */
  box: Box;
  /** Detector confidence 0..1. */
  score: number;
  /** Five alignment landmarks (see FivePoints) in oriented-image pixels. */
  landmarks: FivePoints;
  /** 0..1, higher is better: combines face size, sharpness and pose (see src-main/engine/vision/quality.ts). */
  quality: number;
  /** Unit-length embedding. */
  embedding: Float32Array;
  /** Pre-embedding features (input of the embedding layer), kept for fine-tuning. */
  features: Float32Array;
}

export interface PhotoAnalysis {
  /** Oriented (displayed) size. */
  width: number;
  height: number;
  faces: AnalyzedFace[];
  /** Identifies detector + embedder + settings; embeddings from different versions are not mixed blindly. */
  modelVersion: string;
}

/** Why a photo could not be analysed; recorded by the indexer, never thrown past it. */
export type PhotoErrorReason = 'unreadable' | 'unsupported' | 'corrupt' | 'too-large' | 'empty';

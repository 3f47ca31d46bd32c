/**
 * The face pipeline's interface and its one error; what it returns for a photo is plain data
 * (src-shared/analysis.ts), which the indexer stores as-is.
 */
import type { PhotoAnalysis, PhotoErrorReason } from '../../../src-shared/analysis.js';

export class PhotoError extends Error {
  constructor(
    readonly path: string,
    readonly reason: PhotoErrorReason,
    readonly detail: string,
  ) {
    super(`${path}: ${reason}: ${detail}`);
    this.name = 'PhotoError';
  }
}

export interface FacePipeline {
  readonly modelVersion: string;
  /** Decodes, detects, aligns and embeds every face of one photo. Throws PhotoError for bad input. */
  analyzePhoto(path: string): Promise<PhotoAnalysis>;
  dispose(): Promise<void>;
}

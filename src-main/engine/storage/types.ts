/** Row types the library repositories return. Timestamps are epoch milliseconds. */
import type { Box, FivePoints } from '../../../src-shared/geometry.js';
import type { PhotoErrorReason } from '../../../src-shared/analysis.js';

export type PhotoStatus = 'pending' | 'done' | 'error';
export type Decision = 'confirmed' | 'rejected';
export type Assignment = 'auto' | 'confirmed';

export interface LibraryFolder {
  id: number;
  path: string;
  addedAt: number;
}

export interface Photo {
  id: number;
  folderId: number;
  path: string;
  size: number;
  mtimeMs: number;
  contentHash: string | null;
  width: number | null;
  height: number | null;
  /** EXIF DateTimeOriginal as 'YYYY-MM-DDTHH:MM:SS' (camera local time, no zone), or null. */
  takenAt: string | null;
  status: PhotoStatus;
  errorReason: PhotoErrorReason | null;
  errorDetail: string | null;
  indexedAt: number | null;
  modelVersion: string | null;
}

export interface Face {
  id: number;
  photoId: number;
  box: Box;
  landmarks: FivePoints;
  score: number;
  quality: number;
  embedding: Float32Array;
  features: Float32Array;
  modelVersion: string;
  personId: number | null;
  assignment: Assignment | null;
}

/** A face without its vectors, for lists. */
export type FaceSummary = Omit<Face, 'embedding' | 'features'>;

export interface Person {
  id: number;
  name: string | null;
  hidden: boolean;
  coverFaceId: number | null;
  createdAt: number;
}

export interface FaceDecision {
  id: number;
  faceId: number;
  personId: number;
  decision: Decision;
  decidedAt: number;
}

export type OrphanReason = 'photo-deleted' | 'face-not-found-after-reindex' | 'photo-unreadable-after-edit';

export interface OrphanedDecision {
  id: number;
  personId: number;
  decision: Decision;
  decidedAt: number;
  contentHash: string | null;
  photoPath: string;
  box: Box;
  embedding: Float32Array | null;
  modelVersion: string | null;
  orphanedAt: number;
  reason: OrphanReason;
}

/** Row types the library repositories return. Timestamps are epoch milliseconds. */
import type { Box, FivePoints } from '../../../src-shared/geometry.js';
import type { PhotoErrorReason } from '../../../src-shared/analysis.js';

export type PhotoStatus = 'pending' | 'done' | 'error';

/**
 * Where a face that left the library was (kept by orphaned separations and ignores): its photo's content
 * hash and path, and its box. The same content analysed again finds the face by box.
 */
export interface FacePlace {
  contentHash: string;
  photoPath: string;
  box: Box;
}

/** A FacePlace as the six columns orphan tables store it: content hash, path, box x, y, width, height. */
export function placeColumns(p: FacePlace): [string, string, number, number, number, number] {
  return [p.contentHash, p.photoPath, p.box.x, p.box.y, p.box.width, p.box.height];
}

/** The FacePlace of those six columns. */
export function placeOf(contentHash: string, photoPath: string, x: number, y: number, w: number, h: number): FacePlace {
  return { contentHash, photoPath, box: { x, y, width: w, height: h } };
}
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

/** Which analysed photos to list, newest first (PhotoRepository.listByCapture). */
export interface PhotoQuery {
  folderId?: number;
  /** Only photos where every one of these people appears (one face each at least). */
  personIds?: readonly number[];
  offset: number;
  limit: number;
}

/** One photo of a listing: what a grid cell needs, without the path. */
export interface PhotoListing {
  id: number;
  width: number;
  height: number;
  /** EXIF DateTimeOriginal ('YYYY-MM-DDTHH:MM:SS', camera local time), or null. */
  takenAt: string | null;
  /** What the listing is sorted by: takenAt, else the file's mtime in the same form (UTC). */
  capturedAt: string;
  /** Faces of the photo, less those the user said are not faces. */
  faceCount: number;
}

/** A page of a listing and how many photos the whole listing has. */
export interface PhotoPage {
  total: number;
  photos: PhotoListing[];
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

/** Faces per person, and how many of them the user confirmed. */
export interface PersonCounts {
  personId: number;
  faces: number;
  confirmed: number;
}

/** A face's id, photo, quality and embedding: the clustering input. */
export interface FaceVector {
  id: number;
  photoId: number;
  quality: number;
  embedding: Float32Array;
  personId: number | null;
  assignment: Assignment | null;
  /**
   * What the face is, independent of when it was indexed: its photo's content hash and its box. Clustering
   * orders faces by this key, so the same photos give the same people whatever order they were indexed in.
   */
  contentKey: string;
}

/** A face as lists show it (no vectors, no landmarks). */
export interface FaceRow {
  id: number;
  photoId: number;
  box: Box;
  score: number;
  quality: number;
  personId: number | null;
  assignment: Assignment | null;
}

// Exact rows for undo snapshots and remembered groupings: column names as stored, so that a restore writes
// back precisely what was read.

export interface PersonRowSnapshot {
  id: number;
  name: string | null;
  hidden: number;
  cover_face_id: number | null;
  created_at: number;
}

export interface FaceAssignmentSnapshot {
  id: number;
  person_id: number | null;
  assignment: Assignment | null;
}

export interface DecisionRowSnapshot {
  id: number;
  face_id: number;
  person_id: number;
  decision: Decision;
  decided_at: number;
}

/** An orphaned decision's id and the person it names (all an undo of a merge needs to put back). */
export interface OrphanPersonSnapshot {
  id: number;
  person_id: number;
}

/**
 * Faces as the people module sees them, and the canonical order that makes clustering deterministic.
 *
 * Every algorithm here first sorts faces by id (compareFaceIds) and works on indices into that order. Ties
 * between equal distances are broken by those indices, and clusters are named by their smallest member, so
 * the result depends only on the set of faces, never on the order in which they were indexed or passed in.
 */
import { sharedFloat32 } from './shared-arrays.js';

/** A face's stable id (the library's primary key). */
export type FaceId = string | number;
export type PhotoId = string | number;
export type PersonId = string | number;

export interface FaceRecord {
  id: FaceId;
  /** Unit-length embedding (FaceNet distance = squared L2 between these). */
  embedding: ArrayLike<number>;
  /** Faces of the same photo are never clustered together unless the user links them. */
  photoId?: PhotoId;
  /** Detection/alignment quality, higher is better (the vision module's score; 0..1). */
  quality?: number;
  /**
   * Canonical position, when ids depend on history (a library's ids follow indexing order): faces sort by
   * this key first, then by id. The library passes the photo's content hash and the face's box.
   */
  orderKey?: string;
}

/**
 * Total, locale-independent order on ids: numbers before strings, numbers ascending, strings by UTF-16 code
 * units (not localeCompare, whose result depends on the machine's locale).
 */
export function compareFaceIds(a: FaceId, b: FaceId): number {
  if (typeof a === 'number') {
    if (typeof b === 'number') return a - b;
    return -1;
  }
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOrderKeys(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Faces in canonical (orderKey, id) order with their embeddings packed row-major into one Float32Array. */
export interface PackedFaces {
  ids: FaceId[];
  dim: number;
  /** n * dim floats, row i = face ids[i]. */
  vectors: Float32Array;
  photoIds: (PhotoId | undefined)[];
  quality: (number | undefined)[];
  /** Canonical index of each id. */
  indexOf: Map<FaceId, number>;
}

/** Largest tolerated deviation of an embedding's norm from 1 (float32 rounding is far below this). */
export const UNIT_TOLERANCE = 1e-3;

/**
 * Sort faces into canonical order and pack them. Throws on duplicate ids, mixed dimensions, or embeddings
 * that are not unit length (distances from dot products assume unit vectors).
 */
export function packFaces(faces: readonly FaceRecord[]): PackedFaces {
  const sorted = [...faces].sort((a, b) => compareOrderKeys(a.orderKey, b.orderKey) || compareFaceIds(a.id, b.id));
  const n = sorted.length;
  const dim = n > 0 ? (sorted[0] as FaceRecord).embedding.length : 0;
  // Shared memory: the kNN graph's worker threads read the vectors in place (knn-threads.ts).
  const vectors = sharedFloat32(n * dim);
  const indexOf = new Map<FaceId, number>();
  sorted.forEach((f, i) => {
    if (indexOf.has(f.id)) throw new RangeError(`duplicate face id ${String(f.id)}`);
    indexOf.set(f.id, i);
    const e = f.embedding;
    if (e.length !== dim) throw new RangeError(`face ${String(f.id)} has dimension ${e.length}, expected ${dim}`);
    let sq = 0;
    for (let t = 0; t < dim; t++) {
      const v = e[t] as number;
      vectors[i * dim + t] = v;
      sq += v * v;
    }
    if (!(Math.abs(Math.sqrt(sq) - 1) <= UNIT_TOLERANCE)) {
      throw new RangeError(`face ${String(f.id)} embedding is not unit length (norm ${Math.sqrt(sq)})`);
    }
  });
  return {
    ids: sorted.map((f) => f.id),
    dim,
    vectors,
    photoIds: sorted.map((f) => f.photoId),
    quality: sorted.map((f) => f.quality),
    indexOf,
  };
}

/** Squared L2 between rows i and j of a packed matrix (computed from differences: exact, symmetric). */
export function rowDistance(vectors: Float32Array, dim: number, i: number, j: number): number {
  const a = i * dim;
  const b = j * dim;
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const d = (vectors[a + t] as number) - (vectors[b + t] as number);
    s += d * d;
  }
  return s;
}

/**
 * The faces' vectors as tuning reads and writes them (table `faces`): the embedding, the pipeline's own
 * embedding kept aside while a tuned version is applied (`base_embedding`), the version that made the
 * embedding, and the pre-embedding features a layer is applied to.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** A face's stored vectors, as bytes: what a snapshot keeps and restores exactly. */
export interface EmbeddingRow {
  id: number;
  embedding: Buffer;
  base_embedding: Buffer | null;
  embedding_version: number;
}

/** A face's features with its vectors: what re-embedding reads. */
export interface FeatureRow {
  id: number;
  features: Buffer;
  embedding: Buffer;
  base_embedding: Buffer | null;
}

export class EmbeddingRepository {
  private update?: Statement<[Buffer | Uint8Array, Buffer | Uint8Array | null, number, number]>;

  constructor(private readonly db: Db) {}

  /** Every face of a pipeline model, by id. */
  snapshot(modelVersion: string): EmbeddingRow[] {
    return this.db
      .prepare('SELECT id, embedding, base_embedding, embedding_version FROM faces WHERE model_version = ? ORDER BY id')
      .all(modelVersion) as EmbeddingRow[];
  }

  /** Puts rows back (faces deleted since are skipped: the UPDATE finds nothing). Call inside a transaction. */
  restore(rows: readonly EmbeddingRow[]): void {
    for (const r of rows) this.write(r.id, r.embedding, r.base_embedding, r.embedding_version);
  }

  /**
   * The next `limit` faces of a model after id `after`, by id; with `staleFor`, only those whose embedding was
   * not made by that version.
   */
  featurePage(modelVersion: string, after: number, limit: number, staleFor?: number): FeatureRow[] {
    const stale = staleFor === undefined ? '' : 'AND embedding_version != ?';
    const select = this.db.prepare(
      `SELECT id, features, embedding, base_embedding FROM faces
       WHERE model_version = ? AND id > ? ${stale} ORDER BY id LIMIT ?`,
    );
    return (
      staleFor === undefined ? select.all(modelVersion, after, limit) : select.all(modelVersion, after, staleFor, limit)
    ) as FeatureRow[];
  }

  write(id: number, embedding: Buffer | Uint8Array, base: Buffer | Uint8Array | null, version: number): void {
    // Prepared once: re-embedding writes every face of a library through here.
    this.update ??= this.db.prepare(
      'UPDATE faces SET embedding = ?, base_embedding = ?, embedding_version = ? WHERE id = ?',
    );
    this.update.run(embedding, base, version, id);
  }

  /**
   * Every 'confirmed' decision on a face of `modelVersion`, with the face's features, oldest decision first.
   * Ignored faces are no labels (a face the user called "not a face" or a stranger teaches nothing).
   */
  confirmedFeatures(modelVersion: string): { id: number; features: Buffer; person_id: number }[] {
    return this.db
      .prepare(
        `SELECT f.id, f.features, d.person_id FROM face_decisions d JOIN faces f ON f.id = d.face_id
         WHERE d.decision = 'confirmed' AND f.model_version = ?
         AND f.id NOT IN (SELECT face_id FROM ignored_faces) ORDER BY f.id, d.decided_at, d.id`,
      )
      .all(modelVersion) as { id: number; features: Buffer; person_id: number }[];
  }
}

/**
 * The stored vectors of a model's faces (embedding, the pipeline's own kept aside, and the version that made
 * it), taken before a recognition switch so that undoing the switch puts back exactly these bytes. Re-embedding
 * with the previous version would not always do: faces indexed since the last switch may still carry another
 * version's vectors until syncEmbeddings runs, and faces without usable features are never re-embedded.
 */
import type { Db } from '../storage/database.js';

export interface EmbeddingRow {
  id: number;
  embedding: Buffer;
  base_embedding: Buffer | null;
  embedding_version: number;
}

export function takeEmbeddings(db: Db, modelVersion: string): EmbeddingRow[] {
  return db
    .prepare('SELECT id, embedding, base_embedding, embedding_version FROM faces WHERE model_version = ? ORDER BY id')
    .all(modelVersion) as EmbeddingRow[];
}

/** Puts the rows back (faces deleted since are skipped: the UPDATE finds nothing). Call inside a transaction. */
export function restoreEmbeddings(db: Db, rows: readonly EmbeddingRow[]): void {
  const update = db.prepare('UPDATE faces SET embedding = ?, base_embedding = ?, embedding_version = ? WHERE id = ?');
  for (const r of rows) update.run(r.embedding, r.base_embedding, r.embedding_version, r.id);
}

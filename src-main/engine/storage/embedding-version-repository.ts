/**
 * Embedding versions (table `embedding_versions`, migration v3): every layer trained from the user's labels,
 * kept for rollback. Version 0 is the shipped layer and has no row; at most one row is active (none = 0).
 */
import type { Db } from './database.js';
import { freshId } from './fresh-id.js';

export interface EmbeddingVersion {
  id: number;
  createdAt: number;
  /** The version it was trained from (0 = shipped). */
  parent: number;
  harmonic: boolean;
  /** The pipeline model whose features it reads (faces.model_version). */
  modelVersion: string;
  active: boolean;
  metrics: unknown;
}

interface VersionRow {
  id: number;
  created_at: number;
  parent: number;
  harmonic: number;
  model_version: string;
  metrics: string;
  active: number;
}

const toVersion = (r: VersionRow): EmbeddingVersion => ({
  id: r.id,
  createdAt: r.created_at,
  parent: r.parent,
  harmonic: r.harmonic === 1,
  modelVersion: r.model_version,
  active: r.active === 1,
  metrics: JSON.parse(r.metrics) as unknown,
});

const COLUMNS = 'id, created_at, parent, harmonic, model_version, metrics, active';
const MAX_ID_KEY = 'embeddingVersions.maxId';

export class EmbeddingVersionRepository {
  constructor(private readonly db: Db) {}

  /** Stores a layer under a version number never used before in this library (src-main/engine/storage/fresh-id.ts). */
  insert(
    v: { parent: number; harmonic: boolean; modelVersion: string; layer: Uint8Array; metrics: unknown },
    now = Date.now(),
  ): number {
    const id = freshId(this.db, 'embedding_versions', MAX_ID_KEY);
    this.db
      .prepare(
        `INSERT INTO embedding_versions (id, created_at, parent, harmonic, model_version, layer, metrics, active)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
      )
      .run(id, now, v.parent, v.harmonic ? 1 : 0, v.modelVersion, Buffer.from(v.layer), JSON.stringify(v.metrics));
    return id;
  }

  /** Deletes a stored version (the caller makes sure it is not the active one). True when a row went. */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM embedding_versions WHERE id = ?').run(id).changes > 0;
  }

  list(): EmbeddingVersion[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM embedding_versions ORDER BY id`).all() as VersionRow[]).map(
      toVersion,
    );
  }

  get(id: number): EmbeddingVersion | undefined {
    const r = this.db.prepare(`SELECT ${COLUMNS} FROM embedding_versions WHERE id = ?`).get(id) as
      VersionRow | undefined;
    return r && toVersion(r);
  }

  layer(id: number): Uint8Array | undefined {
    const r = this.db.prepare('SELECT layer FROM embedding_versions WHERE id = ?').get(id) as
      { layer: Buffer } | undefined;
    return r && new Uint8Array(r.layer);
  }

  /** The active version id (0 = the shipped layer). */
  active(): number {
    const r = this.db.prepare('SELECT id FROM embedding_versions WHERE active = 1').get() as { id: number } | undefined;
    return r?.id ?? 0;
  }

  setActive(id: number): void {
    this.db.prepare('UPDATE embedding_versions SET active = (id = ?)').run(id);
  }
}

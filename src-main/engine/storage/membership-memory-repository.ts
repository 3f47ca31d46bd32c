import type { Box } from '../../../src-shared/geometry.js';
import type { Db } from './database.js';

/** The person a face of a photo belonged to when the photo left the library. */
export interface RememberedMembership {
  id: number;
  personId: number;
  contentHash: string;
  box: Box;
}

interface Row {
  id: number;
  person_id: number;
  content_hash: string;
  box_x: number;
  box_y: number;
  box_w: number;
  box_h: number;
}

/**
 * Which person each face of a removed photo was in (grouped automatically; confirmed faces are remembered
 * as orphaned decisions). When the same photo comes back (a folder removed and added again, a drive
 * reconnected), its faces start in their old people, so re-grouping gives the people back under the same
 * ids instead of numbering them anew. Keyed by content hash and box, like orphaned decisions.
 */
export class MembershipMemoryRepository {
  constructor(private readonly db: Db) {}

  remember(personId: number, contentHash: string, photoPath: string, box: Box, now = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO orphaned_memberships (person_id, content_hash, photo_path, box_x, box_y, box_w, box_h, orphaned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(personId, contentHash, photoPath, box.x, box.y, box.width, box.height, now);
  }

  byHash(contentHash: string): RememberedMembership[] {
    const rows = this.db
      .prepare('SELECT * FROM orphaned_memberships WHERE content_hash = ? ORDER BY id')
      .all(contentHash) as Row[];
    return rows.map((r) => ({
      id: r.id,
      personId: r.person_id,
      contentHash: r.content_hash,
      box: { x: r.box_x, y: r.box_y, width: r.box_w, height: r.box_h },
    }));
  }

  forget(id: number): void {
    this.db.prepare('DELETE FROM orphaned_memberships WHERE id = ?').run(id);
  }

  /** People some remembered face belongs to: kept (empty) until their photos come back. */
  people(): Set<number> {
    const rows = this.db.prepare('SELECT DISTINCT person_id FROM orphaned_memberships').all() as {
      person_id: number;
    }[];
    return new Set(rows.map((r) => r.person_id));
  }
}

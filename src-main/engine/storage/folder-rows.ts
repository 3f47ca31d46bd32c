/**
 * The rows a library folder owns, copied exactly (ids, embeddings, features, decisions), so that removing
 * the folder can be undone: the undo puts back the very rows it took, not a re-analysis of the photos.
 */
import type { Db } from './database.js';

type Row = Record<string, unknown>;

export interface FolderRows {
  folder: Row;
  photos: Row[];
  faces: Row[];
  decisions: Row[];
  separations: Row[];
  ignored: Row[];
  /** Largest orphaned-decision id before the removal (the removal adds more, and undo deletes those). */
  orphansBefore: number;
  /** Largest orphaned-separation id before the removal (likewise). */
  separationOrphansBefore: number;
  /** Largest orphaned-ignore id before the removal (likewise). */
  ignoreOrphansBefore: number;
}

const inList = 'IN (SELECT value FROM json_each(?))';

/**
 * Copies every row of folder `folderId` and its photos, faces and the user's decisions about those faces
 * (decisions, separations, ignores).
 */
export function copyFolderRows(db: Db, folderId: number): FolderRows {
  const folder = db.prepare('SELECT * FROM library_folders WHERE id = ?').get(folderId) as Row | undefined;
  if (!folder) throw new RangeError(`no library folder ${folderId}`);
  const photos = db.prepare('SELECT * FROM photos WHERE folder_id = ? ORDER BY id').all(folderId) as Row[];
  const photoIds = JSON.stringify(photos.map((p) => p.id));
  const faces = db.prepare(`SELECT * FROM faces WHERE photo_id ${inList} ORDER BY id`).all(photoIds) as Row[];
  const faceIds = JSON.stringify(faces.map((f) => f.id));
  const decisions = db
    .prepare(`SELECT * FROM face_decisions WHERE face_id ${inList} ORDER BY id`)
    .all(faceIds) as Row[];
  const separations = db
    .prepare(`SELECT * FROM face_separations WHERE face_a ${inList} OR face_b ${inList}`)
    .all(faceIds, faceIds) as Row[];
  const ignored = db
    .prepare(`SELECT * FROM ignored_faces WHERE face_id ${inList} ORDER BY face_id`)
    .all(faceIds) as Row[];
  const maxId = (table: string): number =>
    (db.prepare(`SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    folder,
    photos,
    faces,
    decisions,
    separations,
    ignored,
    orphansBefore: maxId('orphaned_decisions'),
    separationOrphansBefore: maxId('orphaned_separations'),
    ignoreOrphansBefore: maxId('orphaned_ignores'),
  };
}

function insertAll(db: Db, table: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as Row);
  const insert = db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  for (const r of rows) insert.run(r);
}

/**
 * Puts the rows back (call inside a transaction). The decisions that went to orphaned_decisions (and the
 * separations and ignores that went to orphaned_separations and orphaned_ignores) with the removal are
 * deleted again, since their faces are back. Fails, changing nothing, when the library has since taken one of
 * the ids (for example the folder was indexed again).
 */
export function restoreFolderRows(db: Db, rows: FolderRows): void {
  const removedPaths = JSON.stringify(rows.photos.map((p) => p.path));
  db.prepare(`DELETE FROM orphaned_decisions WHERE id > ? AND photo_path ${inList}`).run(
    rows.orphansBefore,
    removedPaths,
  );
  db.prepare(`DELETE FROM orphaned_memberships WHERE photo_path ${inList}`).run(removedPaths);
  db.prepare(`DELETE FROM orphaned_separations WHERE id > ? AND (path_a ${inList} OR path_b ${inList})`).run(
    rows.separationOrphansBefore,
    removedPaths,
    removedPaths,
  );
  db.prepare(`DELETE FROM orphaned_ignores WHERE id > ? AND photo_path ${inList}`).run(
    rows.ignoreOrphansBefore,
    removedPaths,
  );
  insertAll(db, 'library_folders', [rows.folder]);
  insertAll(db, 'photos', rows.photos);
  // A person deleted since (emptied by a re-grouping and then undone) is back before this runs; any other
  // missing person leaves the face unassigned rather than failing the undo.
  const people = new Set((db.prepare('SELECT id FROM people').all() as { id: number }[]).map((p) => p.id));
  insertAll(
    db,
    'faces',
    rows.faces.map((f) =>
      f.person_id !== null && !people.has(f.person_id as number) ? { ...f, person_id: null, assignment: null } : f,
    ),
  );
  insertAll(db, 'face_decisions', rows.decisions);
  insertAll(db, 'face_separations', rows.separations);
  insertAll(db, 'ignored_faces', rows.ignored);
}

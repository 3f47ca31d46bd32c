/**
 * Versioned schema migrations. The schema version lives in PRAGMA user_version; each migration runs in its
 * own transaction together with the version bump, so a crash leaves the database at a whole version.
 * Append new migrations to the end of the list; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';

export type Migration = (db: Database.Database) => void;

const v1: Migration = (db) => {
  db.exec(`
    CREATE TABLE library_folders (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      added_at INTEGER NOT NULL
    );

    CREATE TABLE photos (
      id INTEGER PRIMARY KEY,
      folder_id INTEGER NOT NULL REFERENCES library_folders(id) ON DELETE RESTRICT,
      path TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      mtime_ms INTEGER NOT NULL,
      content_hash TEXT,
      width INTEGER,
      height INTEGER,
      taken_at TEXT,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'error')),
      error_reason TEXT,
      error_detail TEXT,
      indexed_at INTEGER,
      model_version TEXT
    );
    CREATE INDEX photos_content_hash ON photos(content_hash);
    CREATE INDEX photos_folder ON photos(folder_id);
    CREATE INDEX photos_status ON photos(status);

    CREATE TABLE people (
      id INTEGER PRIMARY KEY,
      name TEXT,
      hidden INTEGER NOT NULL DEFAULT 0,
      cover_face_id INTEGER REFERENCES faces(id) ON DELETE SET NULL,
      created_at INTEGER NOT NULL
    );

    -- Faces go with their photo (CASCADE) but never take the user's decisions with them: face_decisions
    -- references faces with RESTRICT, so deleting a decided face fails unless its decisions were first
    -- carried over or moved to orphaned_decisions (see photo-lifecycle.ts).
    CREATE TABLE faces (
      id INTEGER PRIMARY KEY,
      photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
      box_x REAL NOT NULL,
      box_y REAL NOT NULL,
      box_w REAL NOT NULL,
      box_h REAL NOT NULL,
      landmarks TEXT NOT NULL,
      score REAL NOT NULL,
      quality REAL NOT NULL,
      embedding BLOB NOT NULL,
      features BLOB NOT NULL,
      model_version TEXT NOT NULL,
      person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
      assignment TEXT CHECK (assignment IN ('auto', 'confirmed')),
      created_at INTEGER NOT NULL
    );
    CREATE INDEX faces_photo ON faces(photo_id);
    CREATE INDEX faces_person ON faces(person_id);

    CREATE TABLE face_decisions (
      id INTEGER PRIMARY KEY,
      face_id INTEGER NOT NULL REFERENCES faces(id) ON DELETE RESTRICT,
      person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
      decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
      decided_at INTEGER NOT NULL,
      UNIQUE (face_id, person_id)
    );
    CREATE INDEX face_decisions_person ON face_decisions(person_id);

    -- Decisions whose face no longer exists (photo deleted, or edited so that no new face overlaps the old
    -- box). Kept with enough to restore them: the photo's content hash and the old box. They come back
    -- automatically when a photo with that content is indexed again (folder re-added, file restored).
    CREATE TABLE orphaned_decisions (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
      decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
      decided_at INTEGER NOT NULL,
      content_hash TEXT,
      photo_path TEXT NOT NULL,
      box_x REAL NOT NULL,
      box_y REAL NOT NULL,
      box_w REAL NOT NULL,
      box_h REAL NOT NULL,
      embedding BLOB,
      model_version TEXT,
      orphaned_at INTEGER NOT NULL,
      reason TEXT NOT NULL
    );
    CREATE INDEX orphaned_decisions_hash ON orphaned_decisions(content_hash);
  `);
};

/**
 * v2: the people service's own state. `settings` holds the user's clustering and model settings (JSON values
 * by key); `dismissed_suggestions` remembers merge suggestions the user dismissed (a pair of people, smaller
 * id first), and goes with either person.
 */
const v2: Migration = (db) => {
  db.exec(`
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE dismissed_suggestions (
      person_a INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      person_b INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      dismissed_at INTEGER NOT NULL,
      PRIMARY KEY (person_a, person_b),
      CHECK (person_a < person_b)
    );
  `);
};

/**
 * v3: fine-tuned embedding layers (src-main/engine/tuning/). `embedding_versions` keeps every layer trained from the
 * user's labels (binary FNEL layer, before/after metrics as JSON, the version it was trained from); at most
 * one is active, none active = version 0, the shipped layer. `faces.embedding_version` says which version
 * produced `faces.embedding`; `faces.base_embedding` keeps the pipeline's own (version 0) embedding while a
 * tuned version is applied, so rolling back to version 0 restores it exactly (NULL: `embedding` is it).
 */
const v3: Migration = (db) => {
  db.exec(`
    CREATE TABLE embedding_versions (
      id INTEGER PRIMARY KEY CHECK (id > 0),
      created_at INTEGER NOT NULL,
      parent INTEGER NOT NULL DEFAULT 0,
      harmonic INTEGER NOT NULL DEFAULT 0,
      model_version TEXT NOT NULL,
      layer BLOB NOT NULL,
      metrics TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 0
    );
    ALTER TABLE faces ADD COLUMN embedding_version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE faces ADD COLUMN base_embedding BLOB;
  `);
};

/**
 * v4: `face_separations`: pairs of faces the user said are not one person, recorded when they reject a face
 * for a person that has no confirmed faces (separation-repository.ts). A pair goes with either face.
 * `orphaned_memberships`: the person each automatically grouped face of a removed photo was in, so that the
 * photo's return restores the people under their old ids (membership-memory-repository.ts).
 */
const v4: Migration = (db) => {
  db.exec(`
    CREATE TABLE face_separations (
      face_a INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
      face_b INTEGER NOT NULL REFERENCES faces(id) ON DELETE CASCADE,
      decided_at INTEGER NOT NULL,
      PRIMARY KEY (face_a, face_b),
      CHECK (face_a < face_b)
    );
    CREATE INDEX face_separations_b ON face_separations(face_b);

    CREATE TABLE orphaned_memberships (
      id INTEGER PRIMARY KEY,
      person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      content_hash TEXT NOT NULL,
      photo_path TEXT NOT NULL,
      box_x REAL NOT NULL,
      box_y REAL NOT NULL,
      box_w REAL NOT NULL,
      box_h REAL NOT NULL,
      orphaned_at INTEGER NOT NULL
    );
    CREATE INDEX orphaned_memberships_hash ON orphaned_memberships(content_hash);
  `);
};

/**
 * v5: `ignored_faces`: faces the user took out of the people altogether (ignored-face-repository.ts), with why:
 * 'not-a-face' (a false detection: a dog, a poster, a pattern) or 'stranger' (a real face nobody wants named).
 * The two are kept apart because export and tuning may treat them differently. A row goes with its face; a
 * re-analysed photo hands it to the new face (photo-lifecycle.ts), as it does with decisions.
 */
const v5: Migration = (db) => {
  db.exec(`
    CREATE TABLE ignored_faces (
      face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,
      reason TEXT NOT NULL CHECK (reason IN ('not-a-face', 'stranger')),
      ignored_at INTEGER NOT NULL
    );
  `);
};

/**
 * v6: the Photos view pages through the analysed photos newest first (photo-repository.ts `listByCapture`):
 * capture date (EXIF, camera local time), else the file's mtime in the same text form (UTC), then id. These
 * partial indexes hold that order over the whole library and per folder, so a page at any offset is read
 * from the index (no sort of 100,000 rows per page). The query must use this exact expression to use them.
 */
const v6: Migration = (db) => {
  db.exec(`
    CREATE INDEX photos_captured ON photos(
      COALESCE(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000.0, 'unixepoch')) DESC, id DESC
    ) WHERE status = 'done';
    CREATE INDEX photos_folder_captured ON photos(
      folder_id, COALESCE(taken_at, strftime('%Y-%m-%dT%H:%M:%S', mtime_ms / 1000.0, 'unixepoch')) DESC, id DESC
    ) WHERE status = 'done';
  `);
};

/**
 * v7: `orphaned_separations`: a separation (face_separations) whose face left the library with its photo (a
 * folder removed, a file deleted, a face edited away), each side kept as its photo's content hash and path and
 * the face's box, like orphaned decisions. When both faces are in the library again the pair is put back
 * (photo-lifecycle.ts), so "not this person" holds after the photos return, as the decision itself does.
 */
const v7: Migration = (db) => {
  db.exec(`
    CREATE TABLE orphaned_separations (
      id INTEGER PRIMARY KEY,
      hash_a TEXT NOT NULL,
      path_a TEXT NOT NULL,
      box_a_x REAL NOT NULL,
      box_a_y REAL NOT NULL,
      box_a_w REAL NOT NULL,
      box_a_h REAL NOT NULL,
      hash_b TEXT NOT NULL,
      path_b TEXT NOT NULL,
      box_b_x REAL NOT NULL,
      box_b_y REAL NOT NULL,
      box_b_w REAL NOT NULL,
      box_b_h REAL NOT NULL,
      decided_at INTEGER NOT NULL,
      orphaned_at INTEGER NOT NULL
    );
    CREATE INDEX orphaned_separations_a ON orphaned_separations(hash_a);
    CREATE INDEX orphaned_separations_b ON orphaned_separations(hash_b);
  `);
};

/**
 * v8: `orphaned_ignores`: an ignore (ignored_faces) whose face left the library with its photo (a folder
 * removed, a file deleted, a face edited away), kept with its reason and time as the photo's content hash and
 * path and the face's box. When the same content is analysed again the face it matches is ignored again
 * (photo-lifecycle.ts), so "not a face" and "stranger" hold after the photo returns, as decisions do.
 */
const v8: Migration = (db) => {
  db.exec(`
    CREATE TABLE orphaned_ignores (
      id INTEGER PRIMARY KEY,
      content_hash TEXT NOT NULL,
      photo_path TEXT NOT NULL,
      box_x REAL NOT NULL,
      box_y REAL NOT NULL,
      box_w REAL NOT NULL,
      box_h REAL NOT NULL,
      reason TEXT NOT NULL CHECK (reason IN ('not-a-face', 'stranger')),
      ignored_at INTEGER NOT NULL,
      orphaned_at INTEGER NOT NULL
    );
    CREATE INDEX orphaned_ignores_hash ON orphaned_ignores(content_hash);
  `);
};

/** Ordered: index i migrates from user_version i to i + 1. */
export const migrations: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8];

export const SCHEMA_VERSION = migrations.length;

/** Brings the database up to the latest schema version; refuses a database written by a newer app. */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > list.length) {
    throw new Error(`library schema version ${current} is newer than this app supports (${list.length})`);
  }
  for (let version = current; version < list.length; version++) {
    const step = list[version]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return list.length;
}

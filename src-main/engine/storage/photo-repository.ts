import { sep } from 'node:path';
import type { PhotoErrorReason } from '../../../src-shared/analysis.js';
import type { Db } from './database.js';
import type { Photo, PhotoListing, PhotoPage, PhotoQuery, PhotoStatus } from './types.js';

interface PhotoRow {
  id: number;
  folder_id: number;
  path: string;
  size: number;
  mtime_ms: number;
  content_hash: string | null;
  width: number | null;
  height: number | null;
  taken_at: string | null;
  status: PhotoStatus;
  error_reason: PhotoErrorReason | null;
  error_detail: string | null;
  indexed_at: number | null;
  model_version: string | null;
}

const toPhoto = (r: PhotoRow): Photo => ({
  id: r.id,
  folderId: r.folder_id,
  path: r.path,
  size: r.size,
  mtimeMs: r.mtime_ms,
  contentHash: r.content_hash,
  width: r.width,
  height: r.height,
  takenAt: r.taken_at,
  status: r.status,
  errorReason: r.error_reason,
  errorDetail: r.error_detail,
  indexedAt: r.indexed_at,
  modelVersion: r.model_version,
});

export interface FileFacts {
  folderId: number;
  path: string;
  size: number;
  mtimeMs: number;
}

export interface AnalysedFacts {
  contentHash: string;
  width: number;
  height: number;
  takenAt: string | null;
  modelVersion: string;
  indexedAt: number;
}

export interface FailedFacts {
  contentHash: string | null;
  reason: PhotoErrorReason;
  detail: string;
  modelVersion: string;
  indexedAt: number;
}

/**
 * The sort key of the Photos view: the capture date, else the file's mtime as the same text (UTC: the
 * camera's zone is unknown, so an undated photo may sit a few hours off). Written exactly as in the v6
 * migration's indexes (migrations.ts), which SQLite uses only for this very expression.
 */
const CAPTURED = "COALESCE(p.taken_at, strftime('%Y-%m-%dT%H:%M:%S', p.mtime_ms / 1000.0, 'unixepoch'))";

export type StatusCounts = Record<PhotoStatus, number> & { total: number };

export class PhotoRepository {
  constructor(private readonly db: Db) {}

  get(id: number): Photo | undefined {
    const r = this.db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as PhotoRow | undefined;
    return r && toPhoto(r);
  }

  getByPath(path: string): Photo | undefined {
    const r = this.db.prepare('SELECT * FROM photos WHERE path = ?').get(path) as PhotoRow | undefined;
    return r && toPhoto(r);
  }

  listByHash(contentHash: string): Photo[] {
    return (
      this.db.prepare('SELECT * FROM photos WHERE content_hash = ? ORDER BY id').all(contentHash) as PhotoRow[]
    ).map(toPhoto);
  }

  /**
   * One photo with this content already analysed with this model (a copy whose faces can be reused), other
   * than the one at `exceptPath`. One indexed lookup, however many copies there are: listing them all for
   * every new copy made indexing N identical files quadratic.
   */
  findAnalysedCopy(contentHash: string, modelVersion: string, exceptPath: string): Photo | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM photos WHERE content_hash = ? AND status = 'done' AND model_version = ? AND width IS NOT NULL
           AND path != ? ORDER BY id LIMIT 1`,
      )
      .get(contentHash, modelVersion, exceptPath) as PhotoRow | undefined;
    return r && toPhoto(r);
  }

  /** How many photos are stored at or under this path. */
  /** Id and path of every photo stored at `path` or under it (a folder). */
  listUnder(path: string): { id: number; path: string }[] {
    const prefix = path.endsWith(sep) ? path : path + sep;
    return this.db
      .prepare('SELECT id, path FROM photos WHERE path = ? OR substr(path, 1, ?) = ?')
      .all(path, prefix.length, prefix) as { id: number; path: string }[];
  }

  countUnder(path: string): number {
    const prefix = path.endsWith(sep) ? path : path + sep;
    return (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM photos WHERE path = ? OR substr(path, 1, ?) = ?')
        .get(path, prefix.length, prefix) as { n: number }
    ).n;
  }

  listByFolder(folderId: number): Photo[] {
    return (this.db.prepare('SELECT * FROM photos WHERE folder_id = ? ORDER BY path').all(folderId) as PhotoRow[]).map(
      toPhoto,
    );
  }

  list(options: { status?: PhotoStatus; limit?: number; offset?: number } = {}): Photo[] {
    const where = options.status ? 'WHERE status = @status' : '';
    const sql = `SELECT * FROM photos ${where} ORDER BY path LIMIT @limit OFFSET @offset`;
    return (
      this.db
        .prepare(sql)
        .all({ status: options.status, limit: options.limit ?? -1, offset: options.offset ?? 0 }) as PhotoRow[]
    ).map(toPhoto);
  }

  /** Path -> (size, mtime, status, model) for every photo: what the incremental scan compares against. */
  fingerprints(): Map<
    string,
    { id: number; size: number; mtimeMs: number; status: PhotoStatus; modelVersion: string | null }
  > {
    const rows = this.db.prepare('SELECT id, path, size, mtime_ms, status, model_version FROM photos').all() as Pick<
      PhotoRow,
      'id' | 'path' | 'size' | 'mtime_ms' | 'status' | 'model_version'
    >[];
    return new Map(
      rows.map((r) => [
        r.path,
        { id: r.id, size: r.size, mtimeMs: r.mtime_ms, status: r.status, modelVersion: r.model_version },
      ]),
    );
  }

  /** Inserts a pending photo for a new path; leaves an existing row alone. */
  insertPending(f: FileFacts): void {
    this.db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, status) VALUES (@folderId, @path, @size, @mtimeMs, 'pending')
         ON CONFLICT(path) DO NOTHING`,
      )
      .run(f);
  }

  /** Creates or updates the row for a path with the file's current size and mtime; returns its id. */
  upsertFile(f: FileFacts): number {
    const r = this.db
      .prepare(
        `INSERT INTO photos (folder_id, path, size, mtime_ms, status) VALUES (@folderId, @path, @size, @mtimeMs, 'pending')
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, folder_id = excluded.folder_id
         RETURNING id`,
      )
      .get(f) as { id: number };
    return r.id;
  }

  /** Records that the file at this row's path still has the same content (size/mtime drifted only). */
  touch(id: number, size: number, mtimeMs: number): void {
    this.db.prepare('UPDATE photos SET size = ?, mtime_ms = ? WHERE id = ?').run(size, mtimeMs, id);
  }

  /** A moved or renamed file: the row (and so its faces and decisions) follows the content. */
  move(id: number, f: FileFacts): void {
    this.db
      .prepare(
        'UPDATE photos SET folder_id = @folderId, path = @path, size = @size, mtime_ms = @mtimeMs WHERE id = @id',
      )
      .run({ ...f, id });
  }

  markDone(id: number, a: AnalysedFacts): void {
    this.db
      .prepare(
        `UPDATE photos SET status = 'done', content_hash = @contentHash, width = @width, height = @height, taken_at = @takenAt,
         model_version = @modelVersion, indexed_at = @indexedAt, error_reason = NULL, error_detail = NULL WHERE id = @id`,
      )
      .run({ ...a, id });
  }

  markError(id: number, e: FailedFacts): void {
    this.db
      .prepare(
        `UPDATE photos SET status = 'error', content_hash = @contentHash, error_reason = @reason, error_detail = @detail,
         model_version = @modelVersion, indexed_at = @indexedAt, width = NULL, height = NULL, taken_at = NULL WHERE id = @id`,
      )
      .run({ ...e, id });
  }

  setFolder(id: number, folderId: number): void {
    this.db.prepare('UPDATE photos SET folder_id = ? WHERE id = ?').run(folderId, id);
  }

  /**
   * Analysed photos, newest first (capture date, then id), one page of them, and how many there are: of one
   * folder, and/or those where all the given people appear. Only `done` photos: the others have no image to
   * show. The page is read from the v6 indexes at any offset; with people, from their faces (faces_person).
   */
  listByCapture(query: PhotoQuery): PhotoPage {
    const people = [...new Set(query.personIds ?? [])];
    const where = ["p.status = 'done'"];
    if (query.folderId !== undefined) where.push('p.folder_id = @folderId');
    // Photos holding a face of each person: grouped by photo, as many distinct people as were asked for.
    const together =
      people.length > 0
        ? `JOIN (SELECT photo_id FROM faces WHERE person_id IN (SELECT value FROM json_each(@people))
             GROUP BY photo_id HAVING COUNT(DISTINCT person_id) = @n) t ON t.photo_id = p.id`
        : '';
    // Without statistics SQLite prefers photos_status and sorts every done photo for each page: name the index
    // that holds the order (the v6 migration makes both). With people, their faces drive and the few photos sort.
    const indexed =
      people.length > 0
        ? ''
        : query.folderId !== undefined
          ? 'INDEXED BY photos_folder_captured'
          : 'INDEXED BY photos_captured';
    const from = `FROM photos p ${together} WHERE ${where.join(' AND ')}`;
    const params = {
      folderId: query.folderId,
      people: JSON.stringify(people),
      n: people.length,
    };
    const bound = (sql: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));
    const countSql = `SELECT COUNT(*) AS n ${from}`;
    const pageFrom = `FROM photos p ${indexed} ${together} WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(countSql).get(bound(countSql)) as { n: number }).n;
    const pageSql = `SELECT p.id, p.width, p.height, p.taken_at, ${CAPTURED} AS captured_at,
        (SELECT COUNT(*) FROM faces f WHERE f.photo_id = p.id AND NOT EXISTS
           (SELECT 1 FROM ignored_faces i WHERE i.face_id = f.id AND i.reason = 'not-a-face')) AS face_count
      ${pageFrom} ORDER BY ${CAPTURED} DESC, p.id DESC LIMIT @limit OFFSET @offset`;
    const rows = this.db
      .prepare(pageSql)
      .all({ ...bound(pageSql), limit: query.limit, offset: query.offset }) as Array<{
      id: number;
      width: number | null;
      height: number | null;
      taken_at: string | null;
      captured_at: string;
      face_count: number;
    }>;
    const photos: PhotoListing[] = rows.map((r) => ({
      id: r.id,
      width: r.width ?? 0,
      height: r.height ?? 0,
      takenAt: r.taken_at,
      capturedAt: r.captured_at,
      faceCount: r.face_count,
    }));
    return { total, photos };
  }

  /** Deletes the row; its faces cascade, and the statement fails if any face still has decisions. */
  delete(id: number): void {
    this.db.prepare('DELETE FROM photos WHERE id = ?').run(id);
  }

  errors(): Photo[] {
    return (this.db.prepare("SELECT * FROM photos WHERE status = 'error' ORDER BY path").all() as PhotoRow[]).map(
      toPhoto,
    );
  }

  counts(): StatusCounts {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM photos GROUP BY status').all() as {
      status: PhotoStatus;
      n: number;
    }[];
    const c: StatusCounts = { pending: 0, done: 0, error: 0, total: 0 };
    for (const r of rows) {
      c[r.status] = r.n;
      c.total += r.n;
    }
    return c;
  }

  /** Indexed photos counted by `label(path)` (the format, from the file name), largest count first. */
  countDoneBy(label: (path: string) => string): { label: string; photos: number }[] {
    const counts = new Map<string, number>();
    for (const { path } of this.db.prepare("SELECT path FROM photos WHERE status = 'done'").iterate() as Iterable<{
      path: string;
    }>) {
      const l = label(path);
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    return [...counts]
      .map(([l, photos]) => ({ label: l, photos }))
      .sort((a, b) => b.photos - a.photos || (a.label < b.label ? -1 : 1));
  }
}

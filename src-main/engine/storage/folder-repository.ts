import type { Db } from './database.js';
import type { LibraryFolder } from './types.js';

interface FolderRow {
  id: number;
  path: string;
  added_at: number;
}

const toFolder = (r: FolderRow): LibraryFolder => ({ id: r.id, path: r.path, addedAt: r.added_at });

export class FolderRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the folder, or returns the existing row for that path. */
  add(path: string, now = Date.now()): LibraryFolder {
    this.db
      .prepare('INSERT INTO library_folders (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING')
      .run(path, now);
    return this.getByPath(path)!;
  }

  getByPath(path: string): LibraryFolder | undefined {
    const r = this.db.prepare('SELECT * FROM library_folders WHERE path = ?').get(path) as FolderRow | undefined;
    return r && toFolder(r);
  }

  get(id: number): LibraryFolder | undefined {
    const r = this.db.prepare('SELECT * FROM library_folders WHERE id = ?').get(id) as FolderRow | undefined;
    return r && toFolder(r);
  }

  list(): LibraryFolder[] {
    return (this.db.prepare('SELECT * FROM library_folders ORDER BY path').all() as FolderRow[]).map(toFolder);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM library_folders WHERE id = ?').run(id);
  }
}

/**
 * Kills a real indexing child process with SIGKILL part-way (twice, at different points), runs it again, and
 * checks that the library converges to exactly the state of an uninterrupted run: same photos, same faces,
 * no duplicates, nothing pending.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../../helpers/images.js';
import { tempDir } from '../../../helpers/tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const CHILD = join(import.meta.dirname, '..', '..', '..', 'helpers', 'index-child.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');
const PHOTOS = 40;

interface ChildResult {
  killedAt: number | null;
  finished: boolean;
}

/** Runs the child; kills it with SIGKILL once it reports `killAfter` photos done (if given). */
function runChild(db: string, folder: string, delayMs: number, killAfter?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, CHILD, db, folder, String(delayMs), '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killedAt: number | null = null;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = [...out.matchAll(/done (\d+)/g)].at(-1);
      if (killAfter !== undefined && killedAt === null && m && Number(m[1]) >= killAfter) {
        killedAt = Number(m[1]);
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killedAt, finished: false });
      else if (code === 0) resolve({ killedAt, finished: out.includes('finished') });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

function snapshot(db: string): { photos: string[]; faces: string[]; statuses: Record<string, number> } {
  const d = new Database(db, { readonly: true });
  try {
    const photos = (
      d.prepare('SELECT path, content_hash FROM photos ORDER BY path').all() as { path: string; content_hash: string }[]
    ).map((r) => `${r.path.split('/').pop()}:${r.content_hash}`);
    const faces = (
      d
        .prepare(
          'SELECT p.path, f.box_x, f.box_y, f.box_w, f.box_h, hex(f.embedding) AS e FROM faces f JOIN photos p ON p.id = f.photo_id ORDER BY 1, 2, 3',
        )
        .all() as { path: string; box_x: number; box_y: number; box_w: number; box_h: number; e: string }[]
    ).map((r) => `${r.path.split('/').pop()}:${r.box_x},${r.box_y},${r.box_w},${r.box_h}:${r.e}`);
    const statuses = Object.fromEntries(
      (
        d.prepare('SELECT status, COUNT(*) AS n FROM photos GROUP BY status').all() as { status: string; n: number }[]
      ).map((r) => [r.status, r.n]),
    );
    return { photos, faces, statuses };
  } finally {
    d.close();
  }
}

describe('crash and resume (real child process, SIGKILL)', () => {
  let folder: string;
  let expectedFaces = 0;

  beforeAll(async () => {
    folder = join(tmp.dir, 'photos');
    mkdirSync(folder);
    folder = realpathSync(folder);
    for (let i = 0; i < PHOTOS; i++) {
      const faces = Array.from({ length: i % 4 }, (_, k) => ({ cell: (i + k * 5) % 16, identity: (i + k) % 8 }));
      expectedFaces += faces.length;
      await makePhoto(join(folder, `sub${i % 3}`, `img-${String(i).padStart(2, '0')}.jpg`), { seed: i, faces });
    }
  });

  it('converges to the uninterrupted state with no duplicate photos or faces', async () => {
    // Reference: one uninterrupted run.
    const refDb = join(tmp.dir, 'reference.db');
    expect(await runChild(refDb, folder, 0)).toMatchObject({ finished: true });
    const reference = snapshot(refDb);
    expect(reference.photos).toHaveLength(PHOTOS);
    expect(reference.faces).toHaveLength(expectedFaces);

    // Interrupted twice, then resumed.
    const db = join(tmp.dir, 'crashed.db');
    const first = await runChild(db, folder, 60, 8);
    expect(first.finished).toBe(false);
    const mid = snapshot(db);
    expect(mid.statuses['done'] ?? 0).toBeGreaterThanOrEqual(8);
    expect(mid.statuses['done'] ?? 0).toBeLessThan(PHOTOS);

    const second = await runChild(db, folder, 60, 10);
    expect(second.finished).toBe(false);
    expect(snapshot(db).statuses['done'] ?? 0).toBeGreaterThan(mid.statuses['done'] ?? 0);

    expect(await runChild(db, folder, 0)).toMatchObject({ finished: true });
    const final = snapshot(db);
    expect(final.statuses).toEqual({ done: PHOTOS });
    expect(final.photos).toEqual(reference.photos);
    expect(final.faces).toEqual(reference.faces);
    expect(new Set(final.faces).size).toBe(final.faces.length);

    // And a further run changes nothing.
    expect(await runChild(db, folder, 0)).toMatchObject({ finished: true });
    expect(snapshot(db)).toEqual(final);
  });
});

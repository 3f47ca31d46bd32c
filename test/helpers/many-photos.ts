/**
 * A library of many analysed photos for the Photos view's scale checks (test/bench/photo-list.bench.ts, the
 * 100,000-photo grid in test/e2e/photos-flow.test.ts), stored through the repositories as the indexer stores
 * them, without image files (the grid's images then fail to load; the listing is what is measured). Two library
 * folders take the photos in turn; dates are spread over 20 years in no relation to the ids, 30 % without an
 * EXIF date (so sorted by file date); with `people`, person A has a face in every 10th photo and B in every
 * 15th (both in every 30th).
 */
import { join } from 'node:path';
import { Library } from '../../src-main/engine/storage/library.js';
import { Rng } from '../../src-shared/random.js';
import { insertStoredFace } from './stored-face.js';

const MODEL = 'many-photos-v1';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface ManyPhotos {
  dbPath: string;
  folders: [number, number];
  /** Present when built with people. */
  people: { A: number; B: number } | null;
}

export function buildManyPhotos(dir: string, options: { photos: number; people?: boolean }): ManyPhotos {
  const dbPath = join(dir, 'lib.db');
  const lib = Library.open(dbPath);
  const rng = new Rng(7);
  const now = Date.now();
  const folders: [number, number] = [lib.folders.add(join(dir, 'home')).id, lib.folders.add(join(dir, 'trip')).id];
  const people = options.people ? { A: lib.people.create('A'), B: lib.people.create('B') } : null;
  const vector = (): Float32Array => Float32Array.from({ length: 8 }, () => rng.next() - 0.5);
  lib.transaction(() => {
    for (let i = 0; i < options.photos; i++) {
      const folderId = folders[i % 2]!;
      const t = Date.UTC(2005, 0, 1) + Math.floor(rng.next() * 20 * 365 * 86_400_000);
      const d = new Date(t);
      const takenAt =
        rng.next() < 0.7
          ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
          : null;
      const path = join(dir, folderId === folders[0] ? 'home' : 'trip', `IMG_${i}.jpg`);
      const id = lib.photos.upsertFile({ folderId, path, size: 1000 + i, mtimeMs: t });
      lib.photos.markDone(id, {
        contentHash: `h${i}`,
        width: 4000,
        height: 3000,
        takenAt,
        modelVersion: MODEL,
        indexedAt: now,
      });
      if (!people) continue;
      const who = [...(i % 10 === 0 ? [people.A] : []), ...(i % 15 === 0 ? [people.B] : [])];
      for (const [k, person] of who.entries()) {
        const box = { x: 100 + k * 500, y: 100, width: 300, height: 300 };
        const face = insertStoredFace(lib, id, { box, embedding: vector(), features: vector() }, MODEL, now);
        lib.faces.setPerson(face, person, 'auto');
      }
    }
  });
  lib.close();
  return { dbPath, folders, people };
}

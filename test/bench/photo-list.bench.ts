/**
 * Benchmark (not a test): listPhotos, the Photos view's paging, on a library of 100,000 analysed photos (two
 * library folders of 50,000; 30 % without an EXIF date, so sorted by file date; person A in every 10th photo,
 * B in every 15th, both in every 30th), stored through the repositories in a temporary SQLite file before the
 * clock starts, then read through the real EngineApi. Prints JSON: for each query, the median and worst of 15
 * calls in milliseconds, its page size and total. A page is read from the capture-date indexes at any
 * offset, so a page deep in the library costs about what the first one does, and no call reads the whole list.
 * Run: npx tsx test/bench/photo-list.bench.ts   (PHOTOS=20000 for a smaller library)
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { EngineApi } from '../../src-main/app/engine-api.js';
import { Library } from '../../src-main/engine/storage/library.js';
import { Rng } from '../../src-shared/random.js';
import { insertStoredFace } from '../helpers/stored-face.js';
import { tempDir } from '../helpers/tmp.js';

const PHOTOS = Number(process.env.PHOTOS ?? 100_000);
const MODEL = 'bench-v1';
const tmp = tempDir('facenet-photo-list-');
const dbPath = join(tmp.dir, 'lib.db');

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function build(): { folders: number[]; people: { A: number; B: number } } {
  const lib = Library.open(dbPath);
  const rng = new Rng(7);
  const started = Date.now();
  const folders = [lib.folders.add(join(tmp.dir, 'home')).id, lib.folders.add(join(tmp.dir, 'trip')).id];
  const A = lib.people.create('A');
  const B = lib.people.create('B');
  const vector = (): Float32Array => Float32Array.from({ length: 8 }, () => rng.next() - 0.5);
  lib.transaction(() => {
    for (let i = 0; i < PHOTOS; i++) {
      const folderId = folders[i % 2]!;
      // Dates spread over 20 years, in no relation to insertion order (ids).
      const t = Date.UTC(2005, 0, 1) + Math.floor(rng.next() * 20 * 365 * 86_400_000);
      const d = new Date(t);
      const exif = rng.next() < 0.7;
      const takenAt = exif
        ? `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
        : null;
      const path = join(tmp.dir, folderId === folders[0] ? 'home' : 'trip', `IMG_${i}.jpg`);
      const id = lib.photos.upsertFile({ folderId, path, size: 1000 + i, mtimeMs: t });
      lib.photos.markDone(id, {
        contentHash: `h${i}`,
        width: 4000,
        height: 3000,
        takenAt,
        modelVersion: MODEL,
        indexedAt: started,
      });
      const who = [...(i % 10 === 0 ? [A] : []), ...(i % 15 === 0 ? [B] : [])];
      for (const [k, person] of who.entries()) {
        const box = { x: 100 + k * 500, y: 100, width: 300, height: 300 };
        const face = insertStoredFace(lib, id, { box, embedding: vector(), features: vector() }, MODEL, started);
        lib.faces.setPerson(face, person, 'auto');
      }
    }
  });
  lib.close();
  return { folders, people: { A, B } };
}

const buildStart = Date.now();
const { folders, people } = build();
const buildMs = Date.now() - buildStart;
const api = EngineApi.open(dbPath);

type Args = Parameters<EngineApi['listPhotos']>[0];
async function measure(args: Args): Promise<{ medianMs: number; worstMs: number; photos: number; total: number }> {
  const times: number[] = [];
  let last = { photos: [] as unknown[], total: 0 };
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    last = await api.listPhotos(args);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    medianMs: round(times[Math.floor(times.length / 2)]!),
    worstMs: round(times.at(-1)!),
    photos: last.photos.length,
    total: last.total,
  };
}

const page = 200;
const results: Record<string, unknown> = {
  firstPage: await measure({ limit: page }),
  middlePage: await measure({ offset: Math.floor(PHOTOS / 2), limit: page }),
  lastPage: await measure({ offset: PHOTOS - page, limit: page }),
  folderFirstPage: await measure({ folderId: folders[0]!, limit: page }),
  folderLastPage: await measure({ folderId: folders[1]!, offset: PHOTOS / 2 - page, limit: page }),
  personFirstPage: await measure({ personIds: [people.A], limit: page }),
  personLastPage: await measure({ personIds: [people.A], offset: PHOTOS / 10 - page, limit: page }),
  togetherFirstPage: await measure({ personIds: [people.A, people.B], limit: page }),
};
await api.close();
tmp.cleanup();
console.log(
  JSON.stringify(
    { photos: PHOTOS, pageSize: page, buildMs, loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), results },
    null,
    2,
  ),
);

/**
 * Benchmark (not a test): listPhotos, the Photos view's paging, on a library of 100,000 analysed photos
 * (test/helpers/many-photos.ts: two library folders of 50,000; 30 % without an EXIF date, so sorted by file
 * date; person A in every 10th photo, B in every 15th, both in every 30th), stored through the repositories in
 * a temporary SQLite file before the clock starts, then read through the real EngineApi. Prints JSON: for each query, the median and worst of 15
 * calls in milliseconds, its page size and total. A page is read from the capture-date indexes at any
 * offset, so a page deep in the library costs about what the first one does, and no call reads the whole list.
 * Run: npx tsx test/bench/photo-list.bench.ts   (PHOTOS=20000 for a smaller library)
 */
import { loadavg } from 'node:os';
import { EngineApi } from '../../src-main/app/engine-api.js';
import { buildManyPhotos } from '../helpers/many-photos.js';
import { tempDir } from '../helpers/tmp.js';

const PHOTOS = Number(process.env.PHOTOS ?? 100_000);
const tmp = tempDir('facenet-photo-list-');

const buildStart = Date.now();
const { dbPath, folders, people: built } = buildManyPhotos(tmp.dir, { photos: PHOTOS, people: true });
const people = built!;
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

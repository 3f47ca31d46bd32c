/**
 * `npx tsx test/bench/export-library.bench.ts [--photos N]`: library-level export (ExportService over a real
 * SQLite library, the path `facenet export` and the app take) on a synthetic library: N small JPEGs (default
 * 1,000, all EXIF orientations, in 20 folders), 50 named people, two faces a photo with 128-d embeddings,
 * written straight into the repositories (no face pipeline). Times each format, collection included, and
 * prints one JSON object; the bar is a 1,000-photo export in under 10 s per format. Then imports the
 * sidecars into a fresh library of the same photos and faces (no names) and times that too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import type { FivePoints } from '../../src-shared/geometry.js';
import { ExportService, type ExportOptions } from '../../src-main/engine/interop/export-service.js';
import { ImportService } from '../../src-main/engine/interop/import-service.js';
import { LibraryService } from '../../src-main/engine/library/library-service.js';
import { PeopleService } from '../../src-main/engine/people/people-service.js';
import { identityVector } from '../helpers/test-pipeline.js';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '1000' } } });
const count = Number(values.photos);
const root = mkdtempSync(join(tmpdir(), 'facenet-export-library-bench-'));
const DIM = 128;
const PEOPLE = 50;

/** Deterministic unit vectors (the test pipeline's xorshift generator). */
const unit = (seed: number): Float32Array => identityVector(seed, DIM);

async function time(fn: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((c.user + c.system) / 1000) };
}

/** Photos (written once) and their rows, faces and, when `named`, people with names and assignments. */
function populate(library: LibraryService, files: readonly Buffer[], named: boolean): void {
  const lib = library.library;
  const folder = library.addFolder((mkdirSync(join(root, 'photos'), { recursive: true }), join(root, 'photos')));
  const centres = Array.from({ length: PEOPLE }, (_, i) => unit(i + 1));
  lib.transaction(() => {
    const people = named ? centres.map((_, i) => lib.people.create(`Person ${i} ${'Ø'.repeat(i % 3)}`)) : [];
    for (let i = 0; i < count; i++) {
      const o = (i % 8) + 1;
      const dir = join(folder.path, `folder-${i % 20}`);
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `IMG_${String(Math.floor(i / 20)).padStart(4, '0')}.jpg`);
      if (named) writeFileSync(path, files[o - 1]!);
      const id = lib.photos.upsertFile({ folderId: folder.id, path, size: files[o - 1]!.length, mtimeMs: 0 });
      const [w, h] = o >= 5 ? [240, 320] : [320, 240];
      lib.photos.markDone(id, {
        contentHash: `hash-${i}`,
        width: w,
        height: h,
        takenAt: null,
        modelVersion: 'bench-v1',
        indexedAt: Date.now(),
      });
      for (let k = 0; k < 2; k++) {
        const person = (i * 2 + k) % PEOPLE;
        const noise = unit(1000 + i * 2 + k);
        const embedding = centres[person]!.map((v, t) => v + 0.2 * noise[t]!);
        const box = { x: 20 + k * 100, y: 30, width: 80, height: 90 };
        const faceId = lib.faces.insert(
          id,
          {
            box,
            landmarks: Array.from({ length: 5 }, () => ({ x: box.x + 40, y: box.y + 45 })) as FivePoints,
            score: 0.9,
            quality: 0.8,
            embedding,
            features: embedding,
          },
          'bench-v1',
        );
        if (named) lib.faces.setPerson(faceId, people[person]!, k === 0 ? 'confirmed' : 'auto');
      }
    }
  });
}

const library = LibraryService.open(join(root, 'library.db'));
try {
  const setupStart = performance.now();
  const template = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const files = await Promise.all(
    [1, 2, 3, 4, 5, 6, 7, 8].map((o) => sharp(template).withMetadata({ orientation: o }).toBuffer()),
  );
  populate(library, files, true);
  const setupMs = Math.round(performance.now() - setupStart);

  const service = new ExportService(library.library, new PeopleService(library.library));
  const runs: Array<[string, ExportOptions]> = [
    ['folders-symlink', { format: 'folders', out: join(root, 'out-symlink'), link: 'symlink' }],
    ['folders-hardlink', { format: 'folders', out: join(root, 'out-hardlink'), link: 'hardlink' }],
    ['folders-copy', { format: 'folders', out: join(root, 'out-copy'), link: 'copy' }],
    ['csv', { format: 'csv', out: join(root, 'out-manifest') }],
    ['json', { format: 'json', out: join(root, 'out-manifest') }],
    ['xmp', { format: 'xmp' }],
    ['xmp-again', { format: 'xmp' }],
  ];
  const results: Record<string, { ms: number; cpuMs: number; faces: number; written: number; errors: number }> = {};
  for (const [name, options] of runs) {
    let r: Awaited<ReturnType<ExportService['export']>> | undefined;
    const t = await time(async () => (r = await service.export(options)));
    results[name] = { ...t, faces: r!.faces, written: r!.written, errors: r!.errors.length };
  }
  const worst = Math.max(...Object.values(results).map((r) => r.ms));

  // The sidecars just written, imported into a fresh library of the same photos and faces, without names.
  const fresh = LibraryService.open(join(root, 'fresh.db'));
  let imported: Awaited<ReturnType<ImportService['importXmp']>> | undefined;
  let importTime: { ms: number; cpuMs: number };
  try {
    populate(fresh, files, false);
    importTime = await time(
      async () =>
        (imported = await new ImportService(fresh.library, new PeopleService(fresh.library)).importXmp([
          join(root, 'photos'),
        ])),
    );
  } finally {
    await fresh.close();
  }
  console.log(
    JSON.stringify(
      {
        bench: 'export-library',
        photos: count,
        people: PEOPLE,
        faces: count * 2,
        setupMs,
        formats: results satisfies Record<string, unknown>,
        worstMs: worst,
        importXmp: {
          ...importTime,
          regions: imported!.regions,
          matched: imported!.matched,
          people: imported!.people,
          conflicts: imported!.conflicts.length,
          errors: imported!.errors.length,
        },
        barMs: 10_000,
        pass: worst < 10_000,
      },
      null,
      2,
    ),
  );
  if (Object.values(results).some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  await library.close();
  rmSync(root, { recursive: true, force: true });
}

/**
 * `npx tsx test/bench/export.bench.ts [--photos N]`: export throughput on a generated library (default
 * 1,000 small JPEGs in 20 folders, 50 people, two faces a photo, all EXIF orientations). Times each export
 * format and the XMP import, and prints one JSON object; the bar is a full 1,000-photo export in
 * under 10 s.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { exportFolders, type LinkMode } from '../../src-main/engine/interop/folder-export.js';
import { manifestCsv, manifestJson, type ManifestRow } from '../../src-main/engine/interop/manifest.js';
import {
  orientedImageFromStored,
  toOrientation,
  type OrientedImage,
} from '../../src-main/engine/interop/orientation.js';
import { photoGeometry, readPhotoFaceRegions, writeFaceSidecar } from '../../src-main/engine/interop/sidecar.js';
import { forEachBounded } from '../../src-shared/pool.js';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '1000' } } });
const count = Number(values.photos);
const root = mkdtempSync(join(tmpdir(), 'facenet-export-bench-'));

/** CPU time per step too: on a shared, oversubscribed machine wall time mostly measures the neighbours. */
const cpu: Record<string, number> = {};
let lastCpuMs = 0;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  lastCpuMs = Math.round((c.user + c.system) / 1000);
  return Math.round(performance.now() - t0);
}

try {
  // Library: real JPEG headers (so geometry reads are real), about 20 kB each.
  const template = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const photos: { path: string; geometry: OrientedImage }[] = [];
  const orientations = await Promise.all(
    [1, 2, 3, 4, 5, 6, 7, 8].map((o) => sharp(template).withMetadata({ orientation: o }).toBuffer()),
  );
  for (let i = 0; i < count; i++) {
    const folder = join(root, 'library', `folder-${i % 20}`);
    mkdirSync(folder, { recursive: true });
    const o = toOrientation((i % 8) + 1);
    const path = join(folder, `IMG_${String(Math.floor(i / 20)).padStart(4, '0')}.jpg`); // names repeat across folders
    writeFileSync(path, orientations[o - 1]!);
    photos.push({ path, geometry: orientedImageFromStored(320, 240, o) });
  }
  const people = Array.from({ length: 50 }, (_, i) => `Person ${i} ${'Ø'.repeat(i % 3)}`);
  const faces = photos.map((p, i) => [
    { name: people[i % 50]!, box: { x: 10, y: 10, width: 60, height: 60 } },
    { name: people[(i * 7 + 3) % 50]!, box: { x: 120, y: 80, width: 50, height: 70 } },
  ]);
  const items = photos.flatMap((p, i) => faces[i]!.map((f) => ({ person: f.name, photoPath: p.path })));

  const timings: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<unknown>): Promise<void> => {
    timings[name] = await time(fn);
    cpu[name.replace(/_ms$/, '_cpu_ms')] = lastCpuMs;
  };
  // Warm-up (JIT, the file system's first metadata commit), then the timed runs.
  for (const mode of ['symlink', 'hardlink', 'copy'] as LinkMode[]) {
    await exportFolders(items.slice(0, 100), join(root, `warm-${mode}`), { mode });
  }
  for (const mode of ['symlink', 'hardlink', 'copy'] as LinkMode[]) {
    await step(`folders_${mode}_ms`, () => exportFolders(items, join(root, `out-${mode}`), { mode }));
  }
  await step('folders_symlink_reexport_ms', () => exportFolders(items, join(root, 'out-symlink'), { mode: 'symlink' }));

  const rows: ManifestRow[] = photos.flatMap((p, i) =>
    faces[i]!.map((f) => ({
      person: f.name,
      photoPath: p.path,
      box: f.box,
      imageWidth: p.geometry.width,
      imageHeight: p.geometry.height,
      score: 0.9,
      distance: 0.3,
      status: 'automatic' as const,
    })),
  );
  await step('manifests_csv_json_ms', async () => {
    writeFileSync(join(root, 'manifest.csv'), manifestCsv(rows));
    writeFileSync(join(root, 'manifest.json'), manifestJson(rows));
  });

  const indexed = photos.map((p, i) => ({ ...p, faces: faces[i]! }));
  // The library knows each photo's geometry; the second pass reads it from the file header instead.
  await step('xmp_sidecars_new_ms', () =>
    forEachBounded(indexed, 8, (p) => writeFaceSidecar(p.path, p.faces, { geometry: p.geometry })),
  );
  await step('xmp_sidecars_merge_ms', () =>
    forEachBounded(indexed, 8, (p) => writeFaceSidecar(p.path, p.faces, { geometry: p.geometry })),
  );
  await step('header_reads_ms', () => forEachBounded(indexed, 8, (p) => photoGeometry(p.path)));
  await step('xmp_sidecars_merge_with_header_read_ms', () =>
    forEachBounded(indexed, 8, (p) => writeFaceSidecar(p.path, p.faces)),
  );
  let imported = 0;
  await step('xmp_import_ms', () =>
    forEachBounded(indexed, 8, async (p) => {
      const { regions } = await readPhotoFaceRegions(p.path); // not `imported += await`: that loses updates
      imported += regions.length;
    }),
  );
  if (imported !== count * 2) throw new Error(`imported ${imported} regions, expected ${count * 2}`);

  // What one export of everything costs when, as in the app, the library supplies each photo's geometry.
  const fullExport = timings.folders_symlink_ms! + timings.manifests_csv_json_ms! + timings.xmp_sidecars_new_ms!;
  console.log(
    JSON.stringify(
      {
        photos: count,
        faces: rows.length,
        people: people.length,
        ...timings,
        ...cpu,
        full_export_ms: fullExport,
        bar_ms: 10_000,
        load_average: os.loadavg().map((l) => Math.round(l * 10) / 10),
        cpus: os.cpus().length,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}

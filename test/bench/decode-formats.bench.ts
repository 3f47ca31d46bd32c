/**
 * `npx tsx test/bench/decode-formats.bench.ts`: how long the app takes to decode one 12-megapixel photo of each
 * supported format (what indexing does before detection: decodePhoto, orientation applied, at most 6144 px)
 * and to make its large preview (2048 px WebP, what the Photo view shows), on this machine.
 *
 * The photos are generated (not committed) from one ../shared/faces/_group photo (or a face-api demo photo)
 * upscaled to 4000x3000 and written with real encoders: sharp for JPEG, PNG, WebP, AVIF, TIFF and GIF;
 * heif-enc (x265, quality 80, like a phone) for HEIC; ExifTool embedding the 12 MP JPEG as the preview of a
 * DNG-structured RAW. Each figure is the median of `--runs` decodes (default 5) after one warm-up (the HEIC
 * decoder's worker thread starts and compiles its WebAssembly then).
 *
 * Prints one JSON object: { megapixels, runs, formats: [{ format, bytes, decodeMs, previewMs }] }.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PhotoPreviews } from '../../src-main/engine/library/photo-previews.js';
import { decodePhoto } from '../../src-main/engine/vision/decode.js';
import { heifDecoder } from '../../src-main/engine/vision/formats/heif.js';
import { openPhoto } from '../../src-main/engine/vision/formats/open.js';
import { demoPhotos } from '../helpers/demo-photos.js';
import { heicFrom, rawWithPreview, sharpCopy, toolMissing } from '../helpers/format-fixtures.js';
import { hasShared, SHARED_DIR } from '../helpers/shared.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return Math.round(median(ms));
}

const dir = mkdtempSync(join(tmpdir(), 'facenet-decode-bench-'));
try {
  const source = hasShared('faces/_group') ? join(SHARED_DIR, 'faces/_group/2008_001322.jpg') : demoPhotos()[0]!;
  const jpeg = join(dir, 'photo.jpg');
  await sharp(source).resize(4000, 3000, { fit: 'fill' }).jpeg({ quality: 90 }).toFile(jpeg);
  const files: Record<string, string> = { JPEG: jpeg };
  for (const [format, ext] of [
    ['PNG', 'png'],
    ['WebP', 'webp'],
    ['AVIF', 'avif'],
    ['TIFF', 'tif'],
    ['GIF', 'gif'],
  ] as const) {
    files[format] = await sharpCopy(jpeg, join(dir, `photo.${ext}`));
  }
  const missing = toolMissing('heif-enc') ?? toolMissing('exiftool');
  if (missing) console.error(`HEIC and RAW not measured: ${missing}`);
  else {
    files.HEIC = await heicFrom(jpeg, join(dir, 'photo.heic'), 80);
    files['RAW (DNG preview)'] = await rawWithPreview(jpeg, join(dir, 'photo.dng'), { orientation: 1 });
  }

  const formats = [];
  for (const [format, path] of Object.entries(files)) {
    const decodeMs = await time(() => decodePhoto(path));
    let n = 0;
    const previewMs = await time(async () => {
      // A fresh cache key each time: the preview is made, not read back.
      const previews = new PhotoPreviews(join(dir, 'cache'), { open: openPhoto });
      await previews.get(path, `bench${format}${n++}`.replace(/\W/g, ''));
    });
    formats.push({ format, bytes: statSync(path).size, decodeMs, previewMs });
    console.error(`${format}: decode ${decodeMs} ms, preview ${previewMs} ms`);
  }
  console.log(JSON.stringify({ megapixels: 12, runs, formats }, null, 2));
} finally {
  await heifDecoder().close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `npx tsx test/bench/pyramid.bench.ts`: what each level of the detection pyramid costs (windows, detector
 * time), and what skipping flat windows before the detector (a candidate cheaper search, issue 16) would
 * save and lose: the plain pipeline and one whose detector skips them, measured in the same run,
 * interleaved photo by photo, on one thread (like one analyzer worker).
 *
 * Photos: the 9 group photos of ../shared/faces/_group as they are (360-500 px, annotated face counts in
 * ../shared/faces/README.md) and upscaled to 4000 px on the long side (about 12 MP, as `npm run bench`
 * makes them).
 *
 * Prints one JSON object: per photo set, per level { scale, windows, flat, ms } for each variant, the
 * detection time (pyramid + confirmation + 68 landmarks) per variant, faces found, and how many faces
 * of the plain run the skipping run found at the same place (box corners within 2 px).
 * Options: --rounds N (default 3; figures are medians), --photos N (default 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Box } from '../../src-shared/geometry.js';
import { decodePhoto, type DecodedPhoto } from '../../src-main/engine/vision/decode.js';
import { detectMultiScale, type LevelStats } from '../../src-main/engine/vision/detect-multiscale.js';
import { DEFAULT_PIPELINE_OPTIONS, FaceAnalyzer } from '../../src-main/engine/vision/pipeline.js';
import { DEFAULT_CHOICE, loadPipelineModels } from '../../src-main/engine/vision/registry.js';
import type { DetectorModel, RawDetection, RgbImage } from '../../src-main/engine/vision/types.js';
import { GROUP_PHOTOS_DIR, groupPhotoNames, writeTwelveMegapixelPhotos } from '../helpers/twelve-megapixel.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, photos: { type: 'string', default: '9' } },
});
const rounds = Math.max(1, Math.floor(Number(values.rounds)) || 1);
const sources = groupPhotoNames().slice(0, Number(values.photos));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function samePlace(a: Box, b: Box): boolean {
  return (
    Math.abs(a.x - b.x) <= 2 &&
    Math.abs(a.y - b.y) <= 2 &&
    Math.abs(a.x + a.width - b.x - b.width) <= 2 &&
    Math.abs(a.y + a.height - b.y - b.height) <= 2
  );
}

/** Side (level pixels) of the cells a window is checked in for flatness. */
const FLAT_CELL = 16;
/** Largest luma range (0-255) of a cell that still counts as flat. */
const FLAT_RANGE = 16;

/**
 * True when every FLAT_CELL x FLAT_CELL cell of the image has a luma range under FLAT_RANGE (sampled every
 * other pixel): a sky, a wall, a padded border. Cells rather than the whole window, because a 10-pixel face
 * barely moves a 192-pixel window's variance but fills a cell with contrast (eyes, mouth, hairline).
 */
function isFlat(image: RgbImage): boolean {
  const { data, width, height } = image;
  for (let cy = 0; cy < height; cy += FLAT_CELL) {
    for (let cx = 0; cx < width; cx += FLAT_CELL) {
      let lo = 255;
      let hi = 0;
      for (let y = cy; y < Math.min(height, cy + FLAT_CELL); y += 2) {
        for (let x = cx; x < Math.min(width, cx + FLAT_CELL); x += 2) {
          const i = (y * width + x) * 3;
          const l = (77 * data[i]! + 150 * data[i + 1]! + 29 * data[i + 2]!) >> 8;
          if (l < lo) lo = l;
          if (l > hi) hi = l;
        }
      }
      if (hi - lo >= FLAT_RANGE) return false;
    }
  }
  return true;
}

/**
 * The detector, but flat inputs are not run and find nothing. It sees every detector input of the pipeline
 * (pyramid windows and confirmUncertain's windows); a flat confirmation window holds no face either way.
 */
class FlatSkippingDetector implements DetectorModel {
  skipped = 0;
  constructor(private readonly inner: DetectorModel) {}
  get id() {
    return this.inner.id;
  }
  get inputWidth() {
    return this.inner.inputWidth;
  }
  get inputHeight() {
    return this.inner.inputHeight;
  }
  async detect(images: RgbImage[], minScore: number): Promise<RawDetection[][]> {
    const keep = images.map((img) => !isFlat(img));
    this.skipped += keep.filter((k) => !k).length;
    const found = await this.inner.detect(
      images.filter((_, i) => keep[i]),
      minScore,
    );
    let next = 0;
    return keep.map((k) => (k ? found[next++]! : []));
  }
  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

const VARIANTS = ['plain', 'skipFlat'] as const;
type Variant = (typeof VARIANTS)[number];

interface Setup {
  analyzers: Record<Variant, FaceAnalyzer>;
  detectors: Record<Variant, DetectorModel>;
  skipping: FlatSkippingDetector;
  detectorMinFace: number;
}

async function benchSet(photos: DecodedPhoto[], { analyzers, detectors, skipping, detectorMinFace }: Setup) {
  // levels[variant][levelIndex] = stats of every photo and round, with the flat windows skipped
  const levels = {
    plain: [] as Array<Array<LevelStats & { flat: number }>>,
    skipFlat: [] as Array<Array<LevelStats & { flat: number }>>,
  };
  const detectSeconds = { plain: [] as number[], skipFlat: [] as number[] };
  const faces = { plain: [] as Box[][], skipFlat: [] as Box[][] };
  for (let round = 0; round < rounds; round++) {
    const total = { plain: 0, skipFlat: 0 };
    for (const [p, photo] of photos.entries()) {
      // Alternate which variant goes first, so that a warm cache or a burst of load favours neither.
      const order = (round + p) % 2 ? [...VARIANTS].reverse() : VARIANTS;
      for (const variant of order) {
        let level = 0;
        skipping.skipped = 0;
        await detectMultiScale(photo.image, detectors[variant], {
          minFaceSize: DEFAULT_PIPELINE_OPTIONS.minFaceSize,
          detectorMinFace,
          minScore: DEFAULT_PIPELINE_OPTIONS.minScore,
          onLevel: (s) => {
            (levels[variant][level++] ??= []).push({ ...s, flat: variant === 'skipFlat' ? skipping.skipped : 0 });
            skipping.skipped = 0;
          },
        });
        const started = performance.now();
        const found = await analyzers[variant].detect(photo.image);
        total[variant] += performance.now() - started;
        if (round === 0) faces[variant][p] = found.map((f) => f.box);
      }
    }
    for (const v of VARIANTS) detectSeconds[v].push(total[v] / 1000);
  }
  const summary = (v: Variant) => ({
    levels: levels[v].map((all) => ({
      scale: Number(all[0]!.scale.toFixed(4)),
      windowsPerPhoto: all.reduce((s, x) => s + x.windows, 0) / all.length,
      flatPerPhoto: all.reduce((s, x) => s + x.flat, 0) / all.length,
      msPerPhoto: median(all.map((x) => x.ms)),
    })),
    detectMsPerPhoto: (median(detectSeconds[v]) * 1000) / photos.length,
    faces: faces[v].reduce((s, f) => s + f.length, 0),
    facesPerPhoto: faces[v].map((f) => f.length),
  });
  const plain = summary('plain');
  const skipFlat = summary('skipFlat');
  const kept = faces.plain.reduce(
    (s, boxes, p) => s + boxes.filter((b) => faces.skipFlat[p]!.some((c) => samePlace(b, c))).length,
    0,
  );
  return {
    photos: photos.length,
    width: photos[0]!.image.width,
    height: photos[0]!.image.height,
    plain,
    skipFlat,
    plainFacesFoundBySkipFlat: kept,
    speedup: plain.detectMsPerPhoto / skipFlat.detectMsPerPhoto,
  };
}

// Detection does not embed: no embedders loaded.
const models = await loadPipelineModels({ ...DEFAULT_CHOICE, embedders: [] }, { intraOpThreads: 1 });
const skipping = new FlatSkippingDetector(models.detector);
const setup: Setup = {
  analyzers: {
    plain: new FaceAnalyzer(models, DEFAULT_PIPELINE_OPTIONS),
    skipFlat: new FaceAnalyzer({ ...models, detector: skipping }, DEFAULT_PIPELINE_OPTIONS),
  },
  detectors: { plain: models.detector, skipFlat: skipping },
  skipping,
  detectorMinFace: models.detectorMinFace,
};
const { analyzers } = setup;
const dir = mkdtempSync(join(tmpdir(), 'facenet-pyramid-'));
try {
  const group = await Promise.all(sources.map((f) => decodePhoto(join(GROUP_PHOTOS_DIR, f))));
  const big = await Promise.all((await writeTwelveMegapixelPhotos(dir, sources.length)).map((p) => decodePhoto(p)));
  // Warm-up: session initialisation is not detection time.
  await analyzers.plain.detect(big[0]!.image);
  await analyzers.skipFlat.detect(big[0]!.image);
  console.log(
    JSON.stringify({
      annotatedFaces: 43,
      rounds,
      group: await benchSet(group, setup),
      twelveMegapixel: await benchSet(big, setup),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await analyzers.plain.dispose();
}

/**
 * `npx tsx test/bench/stages.bench.ts`: where one photo's time goes on one thread (like one analyzer worker),
 * on the 12 MP photos of `npm run bench`: decode, the detection pyramid (resizing to the levels, detector
 * calls), confirmation, 68 landmarks, alignment and embedding (with the mirrored copy).
 *
 * Prints one JSON object: per stage the median over rounds of the summed milliseconds over the photos, divided
 * by the photo count (ms per photo), plus faces found. Options: --rounds N (default 3), --photos N (default 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { iou } from '../../src-shared/geometry.js';
import type { AnalyzedFace } from '../../src-shared/analysis.js';
import { decodePhoto, fixedPixels, openPixels, type PhotoPixels } from '../../src-main/engine/vision/decode.js';
import { FaceAnalyzer, DEFAULT_PIPELINE_OPTIONS } from '../../src-main/engine/vision/pipeline.js';
import { DEFAULT_CHOICE, loadPipelineModels } from '../../src-main/engine/vision/registry.js';
import type { DetectorModel, EmbedderModel, LandmarkModel } from '../../src-main/engine/vision/types.js';
import { groupPhotoNames, writeTwelveMegapixelPhotos } from '../helpers/twelve-megapixel.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, photos: { type: 'string', default: '9' } },
});
const rounds = Math.max(1, Math.floor(Number(values.rounds)) || 1);
const photoCount = Math.min(groupPhotoNames().length, Number(values.photos));

const timers = new Map<string, number>();
function add(stage: string, ms: number): void {
  timers.set(stage, (timers.get(stage) ?? 0) + ms);
}
/** Milliseconds of the timed calls running inside the current one (stages are timed without their children). */
let nested = 0;
async function timed<T>(stage: string, f: () => Promise<T>): Promise<T> {
  const outer = nested;
  nested = 0;
  const t = performance.now();
  try {
    return await f();
  } finally {
    const ms = performance.now() - t;
    add(stage, ms - nested);
    nested = outer + ms;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const dir = mkdtempSync(join(tmpdir(), 'facenet-stages-'));
try {
  const paths = await writeTwelveMegapixelPhotos(dir, photoCount);
  const models = await loadPipelineModels(DEFAULT_CHOICE, { intraOpThreads: 1 });
  const d = models.detector;
  const detector: DetectorModel = {
    id: d.id,
    inputWidth: d.inputWidth,
    inputHeight: d.inputHeight,
    detect: (images, minScore) => timed('detector model', () => d.detect(images, minScore)),
    dispose: () => d.dispose(),
  };
  const l = models.landmarks;
  const landmarks: LandmarkModel = {
    id: l.id,
    inputSize: l.inputSize,
    landmarks: (crops) => timed('landmark model', () => l.landmarks(crops)),
    dispose: () => l.dispose(),
  };
  const e = models.embedders[0]!.model;
  const embedder: EmbedderModel = {
    id: e.id,
    inputSize: e.inputSize,
    dimension: e.dimension,
    embed: (chips) => timed('embedder model', () => e.embed(chips)),
    dispose: () => e.dispose(),
  };
  const analyzer = new FaceAnalyzer(
    { ...models, detector, landmarks, embedders: [{ model: embedder, alignment: models.embedders[0]!.alignment }] },
    DEFAULT_PIPELINE_OPTIONS,
  );
  /** The photo's pixels with every decode timed. */
  const timedPixels = (pixels: PhotoPixels): PhotoPixels => ({
    width: pixels.width,
    height: pixels.height,
    maxScale: pixels.maxScale,
    at: (scale) => timed('decode', () => pixels.at(scale)),
    read: (requests) => timed('decode', () => pixels.read(requests)),
  });
  const variants: Record<string, (path: string) => Promise<PhotoPixels>> = {
    // Before: the whole photo decoded at full resolution, every stage reading it.
    'full decode': async (path) => fixedPixels((await timed('decode', () => decodePhoto(path))).image),
    // Now: each stage reads the resolution it needs (pipeline.ts analyzePhoto).
    'on demand': async (path) => timedPixels((await openPixels(path)).pixels),
  };
  const names = Object.keys(variants);
  const perRound = new Map(names.map((n) => [n, [] as Array<Map<string, number>>]));
  const faces = new Map<string, AnalyzedFace[][]>();
  const sums = new Map(names.map((n) => [n, new Map<string, number>()]));
  for (let round = 0; round <= rounds; round++) {
    for (const n of names) sums.get(n)!.clear();
    for (const [p, path] of paths.entries()) {
      for (const name of names) {
        timers.clear();
        const t0 = performance.now();
        const pixels = await variants[name]!(path);
        const found = await timed('detection other (pyramid levels, crops)', () => analyzer.detectIn(pixels));
        const analysed = await timed('alignment other (warp, flip, quality)', () => analyzer.embedIn(pixels, found));
        timers.set('total', performance.now() - t0);
        if (!faces.has(name)) faces.set(name, []);
        faces.get(name)![p] = analysed;
        const sum = sums.get(name)!;
        for (const [k, v] of timers) sum.set(k, (sum.get(k) ?? 0) + v);
      }
    }
    if (round > 0) for (const n of names) perRound.get(n)!.push(new Map(sums.get(n))); // round 0 warms up
  }
  const msPerPhoto = (name: string) => {
    const rs = perRound.get(name)!;
    return Object.fromEntries(
      [...rs[0]!.keys()].map((k) => [k, +(median(rs.map((r) => r.get(k) ?? 0)) / paths.length).toFixed(1)]),
    );
  };
  // How far the faces of each variant are from the first's: same face = IoU > 0.5; squared L2 of embeddings.
  const [first, ...others] = names;
  const agreement = Object.fromEntries(
    others.map((name) => {
      let matched = 0;
      const distances: number[] = [];
      paths.forEach((_, p) => {
        for (const a of faces.get(first!)![p]!) {
          const b = faces.get(name)![p]!.find((f) => iou(f.box, a.box) > 0.5);
          if (!b) continue;
          matched++;
          distances.push(a.embedding.reduce((s, v, i) => s + (v - b.embedding[i]!) ** 2, 0));
        }
      });
      const sorted = distances.sort((x, y) => x - y);
      return [
        name,
        {
          sameFaces: matched,
          squaredL2: { median: +median(sorted).toFixed(5), max: +(sorted.at(-1) ?? 0).toFixed(5) },
        },
      ];
    }),
  );
  const count = (name: string) => faces.get(name)!.reduce((n, f) => n + f.length, 0);
  console.log(
    JSON.stringify(
      {
        photos: paths.length,
        rounds,
        variants: Object.fromEntries(names.map((n) => [n, { faces: count(n), msPerPhoto: msPerPhoto(n) }])),
        agreementWithFirst: agreement,
      },
      null,
      1,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

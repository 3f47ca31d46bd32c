/**
 * Finds faces of every size in a photo of any size with a detector that takes a small fixed input.
 *
 * Level 0 letterboxes the whole photo into one detector input (large faces). Each further level is
 * LEVEL_STEP times finer and tiles the photo into overlapping detector-sized windows, until the smallest face we
 * promise to find (`minFaceSize`, photo pixels) is at least the detector's own smallest reliable face
 * (`detectorMinFace`, input pixels). Detections from all levels are merged with NMS in photo pixels.
 *
 * Each level only reports faces at least `detectorMinFace` input pixels wide (the finest level reports
 * everything): a smaller box at a coarse level is the detector guessing at a face it cannot resolve,
 * and the next finer level sees that face properly.
 *
 * Faces cut by a tile edge are dropped at that level (a coarser level or the neighbouring, overlapping
 * tile sees them whole), which is what keeps tiling from inventing half-faces.
 */
import { iou, type Box } from '../../../src-shared/geometry.js';
import { cropRgb } from './align.js';
import { resizeRgb } from './decode.js';
import type { DetectorModel, RawDetection, RgbImage } from './types.js';

export interface MultiScaleOptions {
  /** Smallest face width to find, in pixels of `image`. Default 40. */
  minFaceSize?: number;
  /** Smallest face (box width, detector-input pixels) the detector finds reliably. */
  detectorMinFace: number;
  /** Detector score threshold. */
  minScore: number;
  /** IoU above which two detections are the same face. Default 0.4. */
  nmsIou?: number;
  /** Windows per detector call. Default DETECTOR_BATCH. */
  batchSize?: number;
  /** Called once per pyramid level, coarsest first, with what that level cost (for benches). */
  onLevel?: (level: LevelStats) => void;
}

export interface LevelStats {
  /** Level pixels per photo pixel. */
  scale: number;
  /** Windows the level tiles the photo into. */
  windows: number;
  /** Milliseconds spent cropping and detecting the level's windows (not resizing the photo to the level). */
  ms: number;
}

interface Window {
  /** Region of the level image given to the detector. */
  x: number;
  y: number;
  /** Level scale: level pixels per photo pixel. */
  scale: number;
  levelWidth: number;
  levelHeight: number;
  image: RgbImage;
}

/**
 * How much finer each pyramid level is than the previous one. The detector finds faces from its minimum
 * size up to nearly its whole input, so a level only has to cover faces between its own minimum and
 * LEVEL_STEP times that (larger ones are the coarser level's); 4 keeps the number of windows low while
 * the tile overlap (LEVEL_STEP x the minimum face) still lets every such face fit whole in some window.
 */
export const LEVEL_STEP = 4;

/**
 * Windows per detector call. On one ONNX thread, 4 measured fastest on the 12 MP bench photos' 1/4 levels
 * (median ms per photo over 5 interleaved rounds, 2 shared cores: 1 window 259, 4 windows 229, 16 windows
 * 276): larger batches outgrow the CPU caches, single windows pay the per-call overhead.
 */
export const DETECTOR_BATCH = 4;

/** The scales (level pixels per photo pixel) of the pyramid for a photo, coarsest first. */
export function pyramidScales(
  width: number,
  height: number,
  inputWidth: number,
  inputHeight: number,
  minFaceSize: number,
  detectorMinFace: number,
): number[] {
  const base = Math.min(inputWidth / width, inputHeight / height);
  // Never upsample beyond 2x: blurrier than the photo gains nothing.
  const finest = Math.min(2, detectorMinFace / minFaceSize);
  if (finest <= base * 1.001) return [base];
  const scales = [finest];
  while (scales[0]! / LEVEL_STEP > base * 1.001) scales.unshift(scales[0]! / LEVEL_STEP);
  scales.unshift(base);
  return scales;
}

/** Tile origins along one axis: windows of `tile` covering `length` with at least `overlap` shared. */
export function tileOrigins(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const step = tile - overlap;
  const count = Math.ceil((length - tile) / step) + 1;
  const stride = (length - tile) / (count - 1);
  return Array.from({ length: count }, (_, i) => Math.round(i * stride));
}

export async function detectMultiScale(
  image: RgbImage,
  detector: DetectorModel,
  options: MultiScaleOptions,
): Promise<RawDetection[]> {
  const minFace = options.minFaceSize ?? 40;
  const batchSize = options.batchSize ?? DETECTOR_BATCH;
  const { inputWidth: iw, inputHeight: ih } = detector;
  const scales = pyramidScales(image.width, image.height, iw, ih, minFace, options.detectorMinFace);
  const all: RawDetection[] = [];
  // Resize once from the photo to the finest level, then each coarser level from the next finer one: a
  // 12 MP photo is read once instead of once per level.
  const levels = new Map<number, RgbImage>();
  let previous = image;
  for (const scale of [...scales].reverse()) {
    const lw = Math.max(1, Math.round(image.width * scale));
    const lh = Math.max(1, Math.round(image.height * scale));
    previous = await resizeRgb(previous, lw, lh);
    levels.set(scale, previous);
  }
  for (const [levelIndex, scale] of scales.entries()) {
    const levelStarted = performance.now();
    const finest = levelIndex === scales.length - 1;
    const level = levels.get(scale)!;
    const lw = level.width;
    const lh = level.height;
    // Overlap: every face this level answers for (up to LEVEL_STEP x the minimum) fits whole in some window.
    const overlap = Math.max(options.detectorMinFace * LEVEL_STEP, Math.round(Math.min(iw, ih) / 4));
    const overlapX = Math.min(Math.round(iw / 2), overlap);
    const overlapY = Math.min(Math.round(ih / 2), overlap);
    const windows: Window[] = [];
    for (const y of tileOrigins(lh, ih, overlapY)) {
      for (const x of tileOrigins(lw, iw, overlapX)) {
        windows.push({
          x,
          y,
          scale: lw / image.width,
          levelWidth: lw,
          levelHeight: lh,
          image: cropRgb(level, x, y, iw, ih),
        });
      }
    }
    const tiled = windows.length > 1;
    for (let i = 0; i < windows.length; i += batchSize) {
      const batch = windows.slice(i, i + batchSize);
      const results = await detector.detect(
        batch.map((w) => w.image),
        options.minScore,
      );
      results.forEach((detections, k) => {
        const w = batch[k]!;
        for (const d of detections) {
          if (tiled && cutByTileEdge(d.box, w, iw, ih)) continue;
          // Each level answers for faces of at least detectorMinFace input pixels; smaller boxes are guesses
          // (often a blob around a face too small to see) that a finer level measures properly.
          if (!finest && d.box.width < options.detectorMinFace) continue;
          all.push(toPhotoPixels(d, w));
        }
      });
    }
    options.onLevel?.({
      scale,
      windows: windows.length,
      ms: performance.now() - levelStarted,
    });
  }
  return mergeAcrossScales(all, options.nmsIou ?? 0.4);
}

/** True when the box touches a window edge that is not also the edge of the level image. */
function cutByTileEdge(box: Box, w: Window, iw: number, ih: number): boolean {
  const margin = 2;
  const left = box.x <= margin && w.x > 0;
  const top = box.y <= margin && w.y > 0;
  const right = box.x + box.width >= iw - margin && w.x + iw < w.levelWidth;
  const bottom = box.y + box.height >= ih - margin && w.y + ih < w.levelHeight;
  return left || top || right || bottom;
}

function toPhotoPixels(d: RawDetection, w: Window): RawDetection {
  const s = 1 / w.scale;
  return {
    score: d.score,
    box: { x: (d.box.x + w.x) * s, y: (d.box.y + w.y) * s, width: d.box.width * s, height: d.box.height * s },
    keypoints: d.keypoints.map((p) => ({ x: (p.x + w.x) * s, y: (p.y + w.y) * s })),
  };
}

/**
 * Merges detections from all pyramid levels and tiles (greedy NMS): highest score first; ties broken by position so results never depend on input order.
 * A detection is also dropped when it lies mostly inside a kept, higher-scoring one (a face part found
 * at a finer level).
 */
export function mergeAcrossScales(detections: RawDetection[], iouThreshold: number): RawDetection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score || a.box.y - b.box.y || a.box.x - b.box.x);
  const kept: RawDetection[] = [];
  for (const d of sorted) {
    const overlaps = kept.some((k) => iou(k.box, d.box) > iouThreshold || containedFraction(d.box, k.box) > 0.8);
    if (!overlaps) kept.push(d);
  }
  return kept;
}

/** Fraction of `inner`'s area that lies inside `outer`. */
function containedFraction(inner: Box, outer: Box): number {
  const x1 = Math.max(inner.x, outer.x);
  const y1 = Math.max(inner.y, outer.y);
  const x2 = Math.min(inner.x + inner.width, outer.x + outer.width);
  const y2 = Math.min(inner.y + inner.height, outer.y + outer.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const area = inner.width * inner.height;
  return area > 0 ? inter / area : 0;
}

/**
 * The face pipeline: photo file -> decoded pixels -> multi-scale detection -> 68 landmarks -> alignment
 * onto the embedder's template (sampled from the full-resolution pixels) -> embedding (+ mirrored
 * embedding) -> quality. Models are injected so the pipeline can be built with any detector/embedder pair
 * from the registry (see registry.ts).
 */
import type { Box, FivePoints, Point } from '../../../src-shared/geometry.js';
import { l2Normalize } from '../../../src-shared/vectors.js';
import {
  chipCorners,
  chipSourceScale,
  cropRgb,
  estimateSimilarity,
  flipHorizontal,
  warpChip,
  type Similarity,
} from './align.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../../src-shared/analysis.js';
import type { FacePipeline } from './analysis.js';
import { boxIn, fixedPixels, openPixels, pointFrom, resizeRgb, type PhotoPixels, type ScaledImage } from './decode.js';
import { detectMultiScale, pyramidScales } from './detect-multiscale.js';
import { faceQuality } from './quality.js';
import { ARCFACE_112, DLIB_ALIGNMENT_INDICES, dlibTemplate, fivePointsFrom68 } from './templates.js';
import type { DetectorModel, EmbedderModel, LandmarkModel, RawDetection, RgbImage } from './types.js';

/** How an embedder expects its chips: dlib's 68-point template with padding, or the ArcFace 5-point one. */
export type AlignmentKind = { kind: 'dlib'; padding: number } | { kind: 'arcface' };

export interface PipelineModels {
  detector: DetectorModel;
  /** Smallest reliably detected face width in detector-input pixels. */
  detectorMinFace: number;
  /** Side of the square landmark crop relative to the detector box's larger side. */
  landmarkCropScale: number;
  landmarks: LandmarkModel;
  embedders: Array<{ model: EmbedderModel; alignment: AlignmentKind }>;
}

export interface PipelineOptions {
  /** Detector confidence threshold. */
  minScore: number;
  /** Smallest face width (photo pixels) searched for. */
  minFaceSize: number;
  /** Horizontal-flip test-time augmentation: embed face and mirror, add, re-normalise. */
  flip: boolean;
  /**
   * Re-run the landmark net on a box derived from its own first answer (see ssdStyleBox). Off by default:
   * on LFW View 1 test pairs it measured 98.9% vs 99.2% without (README "Choosing the models").
   */
  refineLandmarks: boolean;
}

/** Detections at or above this score are not re-checked by confirmUncertain. */
export const CONFIDENT_SCORE = 0.7;

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  minScore: 0.5,
  minFaceSize: 40,
  flip: true,
  refineLandmarks: false,
};

export interface DetectedFace {
  box: Box;
  score: number;
  landmarks68: Point[];
  landmarks: FivePoints;
}

export class FaceAnalyzer implements FacePipeline {
  readonly modelVersion: string;

  constructor(
    private readonly models: PipelineModels,
    readonly options: PipelineOptions = DEFAULT_PIPELINE_OPTIONS,
  ) {
    const embedderIds = models.embedders.map((e) => e.model.id).join('+');
    this.modelVersion = `${models.detector.id}/${models.landmarks.id}/${embedderIds}${options.flip ? '/flip' : ''}`;
  }

  get dimension(): number {
    return this.models.embedders.reduce((sum, e) => sum + e.model.dimension, 0);
  }

  /**
   * Decodes only what each stage needs: the detection pyramid reads the photo at its finest level's
   * resolution (for JPEG, libjpeg's shrink-on-load: a 12 MP photo at 1/4), and confirmation, landmarks and
   * alignment read a finer decode only when a face is too small in that one (decode.ts, PhotoPixels).
   */
  async analyzePhoto(path: string, minScore = this.options.minScore): Promise<PhotoAnalysis> {
    const photo = await openPixels(path);
    const detections = await this.detectIn(photo.pixels, minScore);
    const faces = await this.embedIn(photo.pixels, detections);
    return { width: photo.width, height: photo.height, modelVersion: this.modelVersion, faces };
  }

  /** Detection + landmarks in the pixels of `image`. */
  detect(image: RgbImage, minScore = this.options.minScore): Promise<DetectedFace[]> {
    return this.detectIn(fixedPixels(image), minScore);
  }

  /** Detection + landmarks in full-resolution photo pixels. `minFaceSize` counts pixels at `pixels.maxScale`. */
  async detectIn(pixels: PhotoPixels, minScore = this.options.minScore): Promise<DetectedFace[]> {
    const { detector, detectorMinFace } = this.models;
    const levels = pyramidScales(
      pixels.width * pixels.maxScale,
      pixels.height * pixels.maxScale,
      detector.inputWidth,
      detector.inputHeight,
      this.options.minFaceSize,
      detectorMinFace,
    );
    const { image, scale } = await pixels.at(pixels.maxScale * levels[levels.length - 1]!);
    const found = await detectMultiScale(image, detector, {
      minFaceSize: (this.options.minFaceSize * scale) / pixels.maxScale,
      detectorMinFace,
      minScore,
    });
    const candidates = found.map((d) => scaleDetection(d, 1 / scale));
    const raw = await this.confirmUncertain(pixels, candidates, minScore);
    if (raw.length === 0) return [];
    let landmarks68 = await this.landmarks(
      pixels,
      raw.map((d) => d.box),
    );
    if (this.options.refineLandmarks) {
      // Second pass on the crop the landmark net was used with in face-api.js (SSD-style boxes), derived
      // from the first-pass landmarks: this removes the dependence on each detector's own box style.
      landmarks68 = await this.landmarks(pixels, landmarks68.map(ssdStyleBox), 1);
    }
    return raw.map((d, i) => ({
      box: d.box,
      score: d.score,
      landmarks68: landmarks68[i]!,
      landmarks: fivePointsFrom68(landmarks68[i]!),
    }));
  }

  /**
   * Second look at low-confidence detections: the detector runs again on a window centred on the face,
   * 2.5 face-widths wide (the face at a comfortable size, with context). Real faces score at least as
   * well there; textures that looked face-like in one tile (a lamp, a tie pattern) fall apart. Measured on
   * 12 MP photos: false positives went from 0.50-0.62 to 0.16-0.44, real 40 px faces from 0.57-0.67 to
   * 0.76. Detections scoring CONFIDENT_SCORE or more skip this. Boxes in full-resolution photo pixels.
   */
  async confirmUncertain(pixels: PhotoPixels, detections: RawDetection[], minScore: number): Promise<RawDetection[]> {
    const uncertain = detections.filter((d) => d.score < CONFIDENT_SCORE);
    if (uncertain.length === 0) return detections;
    const { inputWidth, inputHeight } = this.models.detector;
    // The window: 2.5 face-widths, centred on the face (photo pixels; 1 px more on each side for rounding).
    const windowArea = (b: Box): Box => squareAround(b, Math.max(b.width, b.height) * 2.5 + 2);
    const images = await pixels.read(
      uncertain.map((d) => ({
        scale: Math.max(inputWidth, inputHeight) / windowArea(d.box).width,
        area: windowArea(d.box),
      })),
    );
    const windows = await Promise.all(
      uncertain.map((d, i) => {
        const box = boxIn(images[i]!, d.box);
        const side = Math.max(1, Math.round(Math.max(box.width, box.height) * 2.5));
        const x = Math.round(box.x + box.width / 2 - side / 2);
        const y = Math.round(box.y + box.height / 2 - side / 2);
        return resizeRgb(cropRgb(images[i]!.image, x, y, side, side), inputWidth, inputHeight);
      }),
    );
    const second = await this.models.detector.detect(windows, 0);
    const rejected = new Set<RawDetection>();
    uncertain.forEach((d, i) => {
      const centred = second[i]!.filter(
        (c) =>
          Math.abs(c.box.x + c.box.width / 2 - inputWidth / 2) < inputWidth / 6 &&
          Math.abs(c.box.y + c.box.height / 2 - inputHeight / 2) < inputHeight / 6,
      );
      const best = Math.max(0, ...centred.map((c) => c.score));
      if (best < minScore) rejected.add(d);
    });
    return detections.filter((d) => !rejected.has(d));
  }

  /**
   * 68 landmarks per box, predicted on a square crop around the box and mapped back; boxes and points in
   * full-resolution photo pixels.
   */
  async landmarks(pixels: PhotoPixels, boxes: Box[], cropScale = this.models.landmarkCropScale): Promise<Point[][]> {
    const size = this.models.landmarks.inputSize;
    const cropSide = (box: Box): number => Math.max(box.width, box.height) * cropScale;
    // The crop (photo pixels; 1 px more on each side for rounding).
    const cropArea = (b: Box): Box => squareAround(b, cropSide(b) + 2);
    const images = await pixels.read(boxes.map((b) => ({ scale: size / cropSide(b), area: cropArea(b) })));
    const crops: RgbImage[] = [];
    const frames: Array<{ x: number; y: number; side: number }> = [];
    for (const [i, photoBox] of boxes.entries()) {
      const box = boxIn(images[i]!, photoBox);
      const side = cropSide(box);
      const x = Math.round(box.x + box.width / 2 - side / 2);
      const y = Math.round(box.y + box.height / 2 - side / 2);
      const s = Math.max(1, Math.round(side));
      crops.push(await resizeRgb(cropRgb(images[i]!.image, x, y, s, s), size, size));
      frames.push({ x, y, side: s });
    }
    const points = await this.models.landmarks.landmarks(crops);
    return points.map((pts, i) => {
      const f = frames[i]!;
      const k = f.side / size;
      return pts.map((p) => pointFrom(images[i]!, { x: f.x + p.x * k, y: f.y + p.y * k }));
    });
  }

  /** Aligns and embeds faces detected in `image`; one entry per detection, same order. */
  embedDetections(image: RgbImage, faces: DetectedFace[]): Promise<AnalyzedFace[]> {
    return this.embedIn(fixedPixels(image), faces);
  }

  /** Aligns and embeds faces (full-resolution photo pixels); one entry per detection, same order. */
  async embedIn(pixels: PhotoPixels, faces: DetectedFace[]): Promise<AnalyzedFace[]> {
    if (faces.length === 0) return [];
    const perEmbedder = await Promise.all(
      this.models.embedders.map(async ({ model, alignment }) => {
        const transforms = faces.map((f) => chipTransform(f, model.inputSize, alignment));
        // warpChip box-averages big faces by 1/chipSourceScale: any image that fine gives the same detail.
        const images = await pixels.read(
          transforms.map((t) => ({ scale: chipSourceScale(t), area: chipArea(t, model.inputSize) })),
        );
        const chips = transforms.map((t, i) =>
          warpChip(images[i]!.image, similarityIn(images[i]!, t), model.inputSize),
        );
        const inputs = this.options.flip ? [...chips, ...chips.map(flipHorizontal)] : chips;
        const results = await model.embed(inputs);
        return { chips, results };
      }),
    );
    return faces.map((face, i) => {
      const embeddingParts: Float32Array[] = [];
      const featureParts: Float32Array[] = [];
      for (const { results } of perEmbedder) {
        const own = results[i]!;
        const mirrored = this.options.flip ? results[i + faces.length]! : undefined;
        embeddingParts.push(mirrored ? addNormalized(own.embedding, mirrored.embedding) : own.embedding);
        featureParts.push(mirrored ? average(own.features, mirrored.features) : own.features);
      }
      const embedding = l2Normalize(concat(embeddingParts));
      const q = faceQuality(face.landmarks, perEmbedder[0]!.chips[i]!);
      return {
        box: face.box,
        score: face.score,
        landmarks: face.landmarks,
        quality: q.quality,
        embedding,
        features: concat(featureParts),
      };
    });
  }

  async dispose(): Promise<void> {
    await this.models.detector.dispose();
    await this.models.landmarks.dispose();
    for (const e of this.models.embedders) await e.model.dispose();
  }
}

/** The similarity from one embedder's chip onto a face's photo pixels (its template on the landmarks). */
export function chipTransform(face: DetectedFace, size: number, alignment: AlignmentKind): Similarity {
  if (alignment.kind === 'dlib') {
    const template = dlibTemplate(size, alignment.padding);
    const observed = DLIB_ALIGNMENT_INDICES.map((i) => face.landmarks68[i]!);
    return estimateSimilarity(template, observed);
  }
  const scale = size / 112;
  const template = ARCFACE_112.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  return estimateSimilarity(template, face.landmarks);
}

/** The aligned chip for one face and one embedder. */
export function alignChip(image: RgbImage, face: DetectedFace, size: number, alignment: AlignmentKind): RgbImage {
  return warpChip(image, chipTransform(face, size, alignment), size);
}

/**
 * The box face-api's SSD detector would draw around a face with these 68 landmarks: measured on LFW
 * (SSD box side / landmark extent = 1.19 horizontally, 1.30 vertically; box centre 0.13 landmark heights
 * above the landmarks' centre). Used with landmarkCropScale 1 (a square crop of the box's larger side).
 */
export function ssdStyleBox(points: Point[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const w = maxX - minX;
  const h = maxY - minY;
  const side = (1.19 * w + 1.3 * h) / 2;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2 - 0.13 * h;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/** The square of side `side` centred on `b`. */
function squareAround(b: Box, side: number): Box {
  return { x: b.x + b.width / 2 - side / 2, y: b.y + b.height / 2 - side / 2, width: side, height: side };
}

function scaleBox(b: Box, s: number): Box {
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
}

/** The transform onto the pixels of `s` instead of photo pixels. */
function similarityIn(s: ScaledImage, t: Similarity): Similarity {
  return { a: t.a * s.scale, b: t.b * s.scale, tx: t.tx * s.scale - s.left, ty: t.ty * s.scale - s.top };
}

/** What warpChip reads for a chip (photo pixels): the chip's corners, plus the box-averaging cells around them. */
function chipArea(t: Similarity, size: number): Box {
  const corners = chipCorners(t, size);
  const margin = 2 / chipSourceScale(t) + 2;
  const x = Math.min(...corners.map((p) => p.x)) - margin;
  const y = Math.min(...corners.map((p) => p.y)) - margin;
  return {
    x,
    y,
    width: Math.max(...corners.map((p) => p.x)) + margin - x,
    height: Math.max(...corners.map((p) => p.y)) + margin - y,
  };
}

function scaleDetection(d: RawDetection, s: number): RawDetection {
  return { score: d.score, box: scaleBox(d.box, s), keypoints: d.keypoints.map((p) => ({ x: p.x * s, y: p.y * s })) };
}

function addNormalized(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return l2Normalize(out);
}

function average(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i]! + b[i]!) / 2;
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

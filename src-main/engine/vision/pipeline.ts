/**
 * The face pipeline: photo file -> decoded pixels -> multi-scale detection -> 68 landmarks -> alignment
 * onto the embedder's template (sampled from the full-resolution pixels) -> embedding (+ mirrored
 * embedding) -> quality. Models are injected so the pipeline can be built with any detector/embedder pair
 * from the registry (see registry.ts).
 */
import type { Box, FivePoints, Point } from '../../../src-shared/geometry.js';
import { l2Normalize } from '../../../src-shared/vectors.js';
import { cropRgb, estimateSimilarity, flipHorizontal, warpChip } from './align.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../../src-shared/analysis.js';
import type { FacePipeline } from './analysis.js';
import { decodePhoto, resizeRgb, type DecodedPhoto } from './decode.js';
import { detectMultiScale } from './detect-multiscale.js';
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

  async analyzePhoto(path: string): Promise<PhotoAnalysis> {
    const photo = await decodePhoto(path);
    return this.analyzeDecoded(photo);
  }

  async analyzeDecoded(photo: DecodedPhoto, minScore = this.options.minScore): Promise<PhotoAnalysis> {
    const detections = await this.detect(photo.image, minScore);
    const faces = await this.embedDetections(photo.image, detections);
    // Report in full-resolution oriented pixels.
    const s = 1 / photo.scale;
    return {
      width: photo.width,
      height: photo.height,
      modelVersion: this.modelVersion,
      faces: faces.map((f) => ({
        ...f,
        box: scaleBox(f.box, s),
        landmarks: f.landmarks.map((p) => ({ x: p.x * s, y: p.y * s })) as FivePoints,
      })),
    };
  }

  /** Detection + landmarks in the pixels of `image`. */
  async detect(image: RgbImage, minScore = this.options.minScore): Promise<DetectedFace[]> {
    const candidates = await detectMultiScale(image, this.models.detector, {
      minFaceSize: this.options.minFaceSize,
      detectorMinFace: this.models.detectorMinFace,
      minScore,
    });
    const raw = await this.confirmUncertain(image, candidates, minScore);
    if (raw.length === 0) return [];
    let landmarks68 = await this.landmarks(
      image,
      raw.map((d) => d.box),
    );
    if (this.options.refineLandmarks) {
      // Second pass on the crop the landmark net was used with in face-api.js (SSD-style boxes), derived
      // from the first-pass landmarks: this removes the dependence on each detector's own box style.
      landmarks68 = await this.landmarks(image, landmarks68.map(ssdStyleBox), 1);
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
   * 0.76. Detections scoring CONFIDENT_SCORE or more skip this.
   */
  async confirmUncertain(image: RgbImage, detections: RawDetection[], minScore: number): Promise<RawDetection[]> {
    const uncertain = detections.filter((d) => d.score < CONFIDENT_SCORE);
    if (uncertain.length === 0) return detections;
    const { inputWidth, inputHeight } = this.models.detector;
    const windows = await Promise.all(
      uncertain.map((d) => {
        const side = Math.max(1, Math.round(Math.max(d.box.width, d.box.height) * 2.5));
        const x = Math.round(d.box.x + d.box.width / 2 - side / 2);
        const y = Math.round(d.box.y + d.box.height / 2 - side / 2);
        return resizeRgb(cropRgb(image, x, y, side, side), inputWidth, inputHeight);
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

  /** 68 landmarks per box, predicted on a square crop around the box and mapped back to image pixels. */
  async landmarks(image: RgbImage, boxes: Box[], cropScale = this.models.landmarkCropScale): Promise<Point[][]> {
    const size = this.models.landmarks.inputSize;
    const crops: RgbImage[] = [];
    const frames: Array<{ x: number; y: number; side: number }> = [];
    for (const box of boxes) {
      const side = Math.max(box.width, box.height) * cropScale;
      const x = Math.round(box.x + box.width / 2 - side / 2);
      const y = Math.round(box.y + box.height / 2 - side / 2);
      const s = Math.max(1, Math.round(side));
      crops.push(await resizeRgb(cropRgb(image, x, y, s, s), size, size));
      frames.push({ x, y, side: s });
    }
    const points = await this.models.landmarks.landmarks(crops);
    return points.map((pts, i) => {
      const f = frames[i]!;
      const k = f.side / size;
      return pts.map((p) => ({ x: f.x + p.x * k, y: f.y + p.y * k }));
    });
  }

  /** Aligns and embeds detected faces; one entry per detection, same order. */
  async embedDetections(image: RgbImage, faces: DetectedFace[]): Promise<AnalyzedFace[]> {
    if (faces.length === 0) return [];
    const perEmbedder = await Promise.all(
      this.models.embedders.map(async ({ model, alignment }) => {
        const chips = faces.map((f) => alignChip(image, f, model.inputSize, alignment));
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

/** The aligned chip for one face and one embedder. */
export function alignChip(image: RgbImage, face: DetectedFace, size: number, alignment: AlignmentKind): RgbImage {
  if (alignment.kind === 'dlib') {
    const template = dlibTemplate(size, alignment.padding);
    const observed = DLIB_ALIGNMENT_INDICES.map((i) => face.landmarks68[i]!);
    return warpChip(image, estimateSimilarity(template, observed), size);
  }
  const scale = size / 112;
  const template = ARCFACE_112.map((p) => ({ x: p.x * scale, y: p.y * scale }));
  return warpChip(image, estimateSimilarity(template, face.landmarks), size);
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

function scaleBox(b: Box, s: number): Box {
  return { x: b.x * s, y: b.y * s, width: b.width * s, height: b.height * s };
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

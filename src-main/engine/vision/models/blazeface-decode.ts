/**
 * BlazeFace (MediaPipe face detection) post-processing as pure functions: SSD anchors, decoding of the
 * raw regressors, sigmoid scores and MediaPipe's weighted non-maximum suppression (overlapping detections
 * are blended, weighted by score, instead of discarded). No onnxruntime here, so the parity test decodes
 * the reference runtime's output with exactly the same code.
 */
import { iou, type Box, type Point } from '../../../../src-shared/geometry.js';
import type { RawDetection } from '../types.js';

export interface AnchorSpec {
  /** Square input size in pixels. */
  inputSize: number;
  /** Feature-map stride per layer group (layers with equal strides merged, as MediaPipe does). */
  strides: number[];
  /** Anchors per feature-map cell for each stride. */
  anchorsPerCell: number[];
}

/** MediaPipe front/short-range model: 16x16x2 + 8x8x6 = 896 anchors. */
export const SHORT_RANGE_ANCHORS: AnchorSpec = { inputSize: 128, strides: [8, 16], anchorsPerCell: [2, 6] };
/** MediaPipe full-range model: 48x48x1 = 2304 anchors. */
export const FULL_RANGE_ANCHORS: AnchorSpec = { inputSize: 192, strides: [4], anchorsPerCell: [1] };

/**
 * Anchor centres in input pixels, [x0, y0, x1, y1, ...], in the model's output order (row, column,
 * anchor). MediaPipe uses fixed_anchor_size, so every anchor is 1x1 and only the centre matters.
 */
export function generateAnchors(spec: AnchorSpec): Float32Array {
  const out: number[] = [];
  spec.strides.forEach((stride, layer) => {
    const cells = Math.ceil(spec.inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let a = 0; a < spec.anchorsPerCell[layer]!; a++) out.push((x + 0.5) * stride, (y + 0.5) * stride);
      }
    }
  });
  return Float32Array.from(out);
}

/** MediaPipe clips logits to +-100 before the sigmoid. */
export function sigmoidScore(logit: number): number {
  const clipped = Math.max(-100, Math.min(100, logit));
  return 1 / (1 + Math.exp(-clipped));
}

/** Decodes anchor `i` of one image: regressors are pixel offsets from the anchor centre. */
export function decodeAnchor(
  regressors: Float32Array,
  anchors: Float32Array,
  i: number,
): { box: Box; keypoints: Point[] } {
  const r = regressors.subarray(i * 16, i * 16 + 16);
  const ax = anchors[2 * i]!;
  const ay = anchors[2 * i + 1]!;
  const cx = r[0]! + ax;
  const cy = r[1]! + ay;
  const w = r[2]!;
  const h = r[3]!;
  const keypoints: Point[] = [];
  for (let k = 0; k < 6; k++) keypoints.push({ x: r[4 + 2 * k]! + ax, y: r[5 + 2 * k]! + ay });
  return { box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, keypoints };
}

/** Every anchor of one image with a score of at least `minScore`, decoded, before suppression. */
export function decodeDetections(
  logits: Float32Array,
  regressors: Float32Array,
  anchors: Float32Array,
  minScore: number,
): RawDetection[] {
  const out: RawDetection[] = [];
  for (let i = 0; i < logits.length; i++) {
    const score = sigmoidScore(logits[i]!);
    if (score < minScore) continue;
    out.push({ score, ...decodeAnchor(regressors, anchors, i) });
  }
  return out;
}

/**
 * MediaPipe's weighted NMS: take the best remaining detection, gather every remaining one overlapping it
 * by more than `iouThreshold` (itself included), and replace the group by its score-weighted mean box
 * and keypoints, keeping the best score. Blending steadies boxes that several anchors agree on.
 */
export function weightedNms(detections: RawDetection[], iouThreshold = 0.3, maxDetections = 100): RawDetection[] {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const kept: RawDetection[] = [];
  while (remaining.length > 0 && kept.length < maxDetections) {
    const best = remaining[0]!;
    const group: RawDetection[] = [];
    const rest: RawDetection[] = [];
    for (const d of remaining) (iou(best.box, d.box) > iouThreshold || d === best ? group : rest).push(d);
    remaining = rest;
    const total = group.reduce((s, d) => s + d.score, 0);
    const mean = (f: (d: RawDetection) => number) => group.reduce((s, d) => s + f(d) * d.score, 0) / total;
    kept.push({
      score: best.score,
      box: {
        x: mean((d) => d.box.x),
        y: mean((d) => d.box.y),
        width: mean((d) => d.box.width),
        height: mean((d) => d.box.height),
      },
      keypoints: best.keypoints.map((_, k) => ({
        x: mean((d) => d.keypoints[k]!.x),
        y: mean((d) => d.keypoints[k]!.y),
      })),
    });
  }
  return kept;
}

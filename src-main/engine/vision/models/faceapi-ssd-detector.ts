/**
 * face-api's SSD MobileNetV1 face detector (512x512) through onnxruntime: a DetectorModel.
 * The graph decodes the 5118 anchor boxes and applies the sigmoid; here we clip, threshold and run
 * greedy NMS (IoU 0.5, at most 100 faces) exactly as face-api's locateFaces does.
 */
import type { Box } from '../../../../src-shared/geometry.js';
import { nonMaxSuppression } from '../nms.js';
import { openSession, ort, type SessionInfo, type SessionOptions } from '../onnx-session.js';
import type { DetectorModel, RawDetection, RgbImage } from '../types.js';
import { onnxModelPath, packNhwc } from './model-files.js';

export const FACEAPI_SSD_ID = 'faceapi-ssd-mobilenetv1';
export const FACEAPI_SSD_SIZE = 512;
export const FACEAPI_SSD_ANCHORS = 5118;
export const FACEAPI_SSD_IOU = 0.5;
export const FACEAPI_SSD_MAX_RESULTS = 100;

export function ssdInput(images: readonly RgbImage[]): ort.Tensor {
  const size = FACEAPI_SSD_SIZE;
  return new ort.Tensor('float32', packNhwc(images, size, size), [images.length, size, size, 3]);
}

/**
 * One image's outputs ([anchors, 4] normalised y1, x1, y2, x2 and [anchors] scores) -> detections in
 * pixels of a width x height input. NMS runs on the unclipped boxes and clipping follows, as in face-api.
 */
export function ssdDetections(
  boxes: Float32Array,
  scores: Float32Array,
  minScore: number,
  width = FACEAPI_SSD_SIZE,
  height = FACEAPI_SSD_SIZE,
): RawDetection[] {
  const n = scores.length;
  const unclipped: Box[] = Array.from({ length: n }, (_, i) => {
    const y1 = Math.min(boxes[i * 4]!, boxes[i * 4 + 2]!);
    const x1 = Math.min(boxes[i * 4 + 1]!, boxes[i * 4 + 3]!);
    const y2 = Math.max(boxes[i * 4]!, boxes[i * 4 + 2]!);
    const x2 = Math.max(boxes[i * 4 + 1]!, boxes[i * 4 + 3]!);
    return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
  });
  const kept = nonMaxSuppression(unclipped, scores, {
    iouThreshold: FACEAPI_SSD_IOU,
    scoreThreshold: minScore,
    maxOutputs: FACEAPI_SSD_MAX_RESULTS,
  });
  return kept.map((i) => {
    // face-api clips y1/x1 at 0 and y2/x2 at 1 of the raw (y1, x1, y2, x2) values.
    const top = Math.max(0, boxes[i * 4]!) * height;
    const left = Math.max(0, boxes[i * 4 + 1]!) * width;
    const bottom = Math.min(1, boxes[i * 4 + 2]!) * height;
    const right = Math.min(1, boxes[i * 4 + 3]!) * width;
    return { box: { x: left, y: top, width: right - left, height: bottom - top }, score: scores[i]!, keypoints: [] };
  });
}

export class FaceApiSsdDetector implements DetectorModel {
  readonly id = FACEAPI_SSD_ID;
  readonly inputWidth = FACEAPI_SSD_SIZE;
  readonly inputHeight = FACEAPI_SSD_SIZE;

  private constructor(private readonly info: SessionInfo) {}

  static async load(modelPath = onnxModelPath(FACEAPI_SSD_ID), options?: SessionOptions): Promise<FaceApiSsdDetector> {
    return new FaceApiSsdDetector(await openSession(modelPath, options));
  }

  async detect(images: RgbImage[], minScore: number): Promise<RawDetection[][]> {
    if (images.length === 0) return [];
    const out = await this.info.session.run({ input: ssdInput(images) });
    const boxes = out.boxes!.data as Float32Array;
    const scores = out.scores!.data as Float32Array;
    const n = FACEAPI_SSD_ANCHORS;
    return images.map((_, b) =>
      ssdDetections(boxes.subarray(b * n * 4, (b + 1) * n * 4), scores.subarray(b * n, (b + 1) * n), minScore),
    );
  }

  async dispose(): Promise<void> {
    // Sessions are shared through openSession's cache.
  }
}

/**
 * face-api's FaceLandmark68Net (112x112 crop -> 68 points) through onnxruntime: a LandmarkModel.
 * Built by models/convert/faceapi/landmark68.ts; the graph outputs points relative to the crop.
 */
import type { Point } from '../../../../src-shared/geometry.js';
import { openSession, ort, type SessionInfo, type SessionOptions } from '../onnx-session.js';
import type { LandmarkModel, RgbImage } from '../types.js';
import { onnxModelPath, packNhwc } from './model-files.js';

export const FACEAPI_LANDMARK68_ID = 'faceapi-landmark68';
export const FACEAPI_LANDMARK68_SIZE = 112;

export function landmarkInput(crops: readonly RgbImage[]): ort.Tensor {
  const size = FACEAPI_LANDMARK68_SIZE;
  return new ort.Tensor('float32', packNhwc(crops, size, size), [crops.length, size, size, 3]);
}

/** [batch, 136] relative x, y pairs -> 68 points per crop in crop pixels. */
export function landmarkOutput(relative: Float32Array, batch: number, cropSize = FACEAPI_LANDMARK68_SIZE): Point[][] {
  return Array.from({ length: batch }, (_, b) =>
    Array.from({ length: 68 }, (_, i) => ({
      x: relative[b * 136 + i * 2]! * cropSize,
      y: relative[b * 136 + i * 2 + 1]! * cropSize,
    })),
  );
}

export class FaceApiLandmark68 implements LandmarkModel {
  readonly id = FACEAPI_LANDMARK68_ID;
  readonly inputSize = FACEAPI_LANDMARK68_SIZE;

  private constructor(private readonly info: SessionInfo) {}

  static async load(
    modelPath = onnxModelPath(FACEAPI_LANDMARK68_ID),
    options?: SessionOptions,
  ): Promise<FaceApiLandmark68> {
    return new FaceApiLandmark68(await openSession(modelPath, options));
  }

  async landmarks(crops: RgbImage[]): Promise<Point[][]> {
    if (crops.length === 0) return [];
    const out = await this.info.session.run({ input: landmarkInput(crops) });
    return landmarkOutput(out.landmarks!.data as Float32Array, crops.length);
  }

  async dispose(): Promise<void> {
    // Sessions are shared through openSession's cache.
  }
}

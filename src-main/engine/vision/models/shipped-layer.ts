/**
 * The shipped embedding layer (version 0, where fine-tuning starts) read from the model file that
 * `npm run models` builds (models/convert/faceapi/recognition-layer.ts): the app never needs the weight
 * package at run time. Same values, bit for bit, as models/convert/faceapi/shipped-layer.ts decodes from the package.
 */
import { readFileSync } from 'node:fs';
import { EmbeddingLayer } from '../../../../training/embedding-layer.js';
import { SHIPPED_LAYER_ID } from '../../../../training/shipped-layer-id.js';
import { onnxModelPath } from './model-files.js';
import { readFloatInitializers } from './onnx-initializers.js';

export const SHIPPED_LAYER_MODEL = 'faceapi-recognition-layer';

export function loadShippedLayerFile(path = onnxModelPath(SHIPPED_LAYER_MODEL)): EmbeddingLayer {
  const tensors = readFloatInitializers(readFileSync(path));
  const weights = tensors.get('weights');
  const bias = tensors.get('bias');
  if (!weights || weights.dims.length !== 2 || !bias)
    throw new Error(`${path}: no [in, out] "weights" and "bias" initializers (rebuild with npm run models)`);
  const [inDim, outDim] = weights.dims as [number, number];
  return new EmbeddingLayer({ inDim, outDim, weights: weights.data, bias: bias.data, id: SHIPPED_LAYER_ID });
}

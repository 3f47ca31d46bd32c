/**
 * The shipped embedder's own embedding layer, the starting point (and the v1 of harmonic mode) of every
 * tuning run: face-api's recognition `fc` tensor [256, 128] with b = 0 (face-api's net has no bias), read
 * with the model-conversion code so it is bit-identical to what the ONNX graph multiplies by.
 * Build-time and tests only (it needs the weight package); the app reads the same layer from the model
 * file `npm run models` builds (src-main/engine/vision/models/shipped-layer.ts).
 */
import { recognitionFc } from './recognition.js';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { SHIPPED_LAYER_ID } from '../../../training/shipped-layer-id.js';

export { SHIPPED_LAYER_ID };

export function loadShippedLayer(): EmbeddingLayer {
  const fc = recognitionFc();
  const [inDim, outDim] = fc.shape;
  return new EmbeddingLayer({ inDim, outDim, weights: Float32Array.from(fc.data), id: SHIPPED_LAYER_ID });
}

/**
 * The shipped embedding layer as its own small ONNX model: `embedding = normalize(features . W + b)` with
 * W = face-api's recognition `fc` [256, 128] and b = 0. Fine-tuning starts from this layer (and harmonic
 * mode keeps it as v1), so the app reads W and b from this file at run time instead of decoding the
 * weight package, which is a build-time dependency only. The initializers are named `weights` and `bias`
 * (src-main/engine/vision/models/shipped-layer.ts reads them by name).
 */
import { OnnxGraphBuilder, type ModelManifestEntry, type ModelRecipe } from '../onnx-graph.js';
import { RECOGNITION_DIMENSION, RECOGNITION_FEATURES, recognitionFc } from './recognition.js';
import { faceApiVersion, FACE_API_PACKAGE, loadWeights } from './weights.js';

export const RECOGNITION_LAYER_ID = 'faceapi-recognition-layer';

export async function buildRecognitionLayer(): Promise<{ bytes: Uint8Array; manifest: ModelManifestEntry }> {
  const { weights, files } = loadWeights('face_recognition_model');
  const fc = recognitionFc(weights);
  const g = new OnnxGraphBuilder('faceapi_recognition_layer');
  const features = g.input('features', { elem: 'float32', dims: ['batch', RECOGNITION_FEATURES] });
  const product = g.node('MatMul', [features, g.constant('weights', fc.data, fc.shape)], {}, 'product');
  const biased = g.node(
    'Add',
    [product, g.constant('bias', new Float32Array(RECOGNITION_DIMENSION), [RECOGNITION_DIMENSION])],
    {},
    'biased',
  );
  const norm = g.node('ReduceL2', [biased], { axes: [1], keepdims: 1 }, 'norm');
  const safeNorm = g.node('Max', [norm, g.constant('eps', [1e-12], [])], {}, 'safe_norm');
  const embedding = g.node('Div', [biased, safeNorm], {}, 'unit');
  g.output(embedding, 'embedding', { elem: 'float32', dims: ['batch', RECOGNITION_DIMENSION] });

  const version = faceApiVersion();
  const bytes = g.toBytes({
    docString: `face-api FaceRecognitionNet embedding layer (fc) from ${FACE_API_PACKAGE}@${version} model/${files.join(', ')}`,
    producerVersion: '1',
  });
  const manifest: ModelManifestEntry = {
    id: RECOGNITION_LAYER_ID,
    role: 'embedding-layer',
    source: { package: FACE_API_PACKAGE, version, files: files.map((f) => `model/${f}`) },
    input: {
      name: 'features',
      shape: ['batch', RECOGNITION_FEATURES],
      layout: 'NHWC',
      colorOrder: 'RGB',
      normalization: {
        mean: [0, 0, 0],
        std: [1, 1, 1],
        note: 'not an image model: feed the `features` output of faceapi-recognition (layout and colour order do not apply)',
      },
    },
    outputs: [
      {
        name: 'embedding',
        shape: ['batch', RECOGNITION_DIMENSION],
        description: 'L2-normalised 128-D face descriptor, equal to faceapi-recognition `embedding`',
      },
    ],
    details: {
      initializers: {
        weights: `[${RECOGNITION_FEATURES}, ${RECOGNITION_DIMENSION}] float32, face-api weight "fc"`,
        bias: `[${RECOGNITION_DIMENSION}] float32, zeros (face-api has no bias)`,
      },
      use: 'the shipped embedding layer (version 0) that fine-tuning starts from (src-main/engine/tuning/)',
    },
  };
  return { bytes, manifest };
}

export const recognitionLayerRecipe: ModelRecipe = {
  id: RECOGNITION_LAYER_ID,
  role: 'embedding-layer',
  build: buildRecognitionLayer,
};

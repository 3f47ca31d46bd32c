/**
 * face-api's FaceRecognitionNet (a port of dlib's dlib_face_recognition_resnet_model_v1, a ResNet-29
 * variant) as ONNX. Mirrors node_modules/@vladmandic/face-api/src/faceRecognitionNet/*.ts:
 *
 *   x = (rgb - [122.782, 117.001, 104.298]) / 255
 *   conv7x7/2 valid + scale + relu, maxpool 3/2 valid,
 *   residual blocks 32x3, 64 (down + 3), 128 (down + 2), 256 (down + 2), 256 down_out,
 *   global mean -> features [256], descriptor = features . fc  (fc is [256, 128], no bias).
 *
 * face-api returns the raw descriptor; we output its L2-normalised version as `embedding` and the pooled
 * vector as `features` so the embedding layer can be re-trained (harmonic fine-tuning).
 */
import { OnnxGraphBuilder, type ModelManifestEntry, type ModelRecipe } from '../onnx-graph.js';
import {
  type Activation,
  add,
  addBias,
  conv2d,
  convFromTf,
  foldAffine,
  foldInputNormalisation,
  nhwcInput,
  relu,
} from './layers.js';
import { faceApiVersion, FACE_API_PACKAGE, loadWeights, requireWeight, type WeightMap } from './weights.js';

export const RECOGNITION_INPUT_SIZE = 150;
export const RECOGNITION_MEAN_RGB: [number, number, number] = [122.782, 117.001, 104.298];
export const RECOGNITION_FEATURES = 256;
export const RECOGNITION_DIMENSION = 128;

/** conv + bias + face-api scale layer, folded into one Conv. */
function convLayer(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  x: Activation,
  prefix: string,
  opts: { stride: number; padding: 'same' | 'valid'; relu: boolean; normaliseInput?: boolean },
): Activation {
  let w = addBias(
    convFromTf(requireWeight(weights, `${prefix}/conv/filters`, 4)),
    requireWeight(weights, `${prefix}/conv/bias`, 1).data,
  );
  w = foldAffine(
    w,
    requireWeight(weights, `${prefix}/scale/weights`, 1).data,
    requireWeight(weights, `${prefix}/scale/biases`, 1).data,
  );
  // The first conv is 'valid', so folding the mean/255 normalisation into it is exact.
  if (opts.normaliseInput) w = foldInputNormalisation(w, RECOGNITION_MEAN_RGB, 1 / 255);
  return conv2d(g, x, w, {
    stride: opts.stride,
    padding: opts.padding,
    activation: opts.relu ? 'relu' : undefined,
    hint: prefix,
  });
}

function residual(g: OnnxGraphBuilder, weights: WeightMap, x: Activation, prefix: string): Activation {
  const a = convLayer(g, weights, x, `${prefix}/conv1`, { stride: 1, padding: 'same', relu: true });
  const b = convLayer(g, weights, a, `${prefix}/conv2`, { stride: 1, padding: 'same', relu: false });
  return relu(g, add(g, b, x, `${prefix}/add`), `${prefix}/relu`);
}

/**
 * Down-sampling residual: the shortcut is a 2x2 average pool, zero-padded in channels when the block
 * widens; when the strided 'valid' conv comes out one pixel smaller than the pool, face-api appends a
 * zero row and column to the conv branch (bottom/right). We do the same with Pad.
 */
function residualDown(g: OnnxGraphBuilder, weights: WeightMap, x: Activation, prefix: string): Activation {
  const a = convLayer(g, weights, x, `${prefix}/conv1`, { stride: 2, padding: 'valid', relu: true });
  let b = convLayer(g, weights, a, `${prefix}/conv2`, { stride: 1, padding: 'same', relu: false });
  const pooledH = Math.floor((x.h - 2) / 2) + 1;
  const pooledW = Math.floor((x.w - 2) / 2) + 1;
  let pooled: Activation = {
    name: g.node('AveragePool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] }, `${prefix}/pool`),
    c: x.c,
    h: pooledH,
    w: pooledW,
  };
  if (b.h !== pooledH || b.w !== pooledW) {
    const pads = g.constantInt64(`${prefix}/pad_hw`, [0, 0, 0, 0, 0, 0, pooledH - b.h, pooledW - b.w]);
    b = {
      name: g.node('Pad', [b.name, pads], { mode: 'constant' }, `${prefix}/pad_hw`),
      c: b.c,
      h: pooledH,
      w: pooledW,
    };
  }
  if (pooled.c !== b.c) {
    const pads = g.constantInt64(`${prefix}/pad_c`, [0, 0, 0, 0, 0, b.c - pooled.c, 0, 0]);
    pooled = { ...pooled, name: g.node('Pad', [pooled.name, pads], { mode: 'constant' }, `${prefix}/pad_c`), c: b.c };
  }
  return relu(g, add(g, b, pooled, `${prefix}/add`), `${prefix}/relu`);
}

/** The fc matrix [256, 128] (features . fc = descriptor), for tests and re-training. */
export function recognitionFc(weights = loadWeights('face_recognition_model').weights): WeightTensorLike {
  const fc = requireWeight(weights, 'fc', 2);
  return { data: fc.data, shape: fc.shape as [number, number] };
}

export interface WeightTensorLike {
  data: Float32Array;
  shape: [number, number];
}

export async function buildRecognition(): Promise<{ bytes: Uint8Array; manifest: ModelManifestEntry }> {
  const { weights, files } = loadWeights('face_recognition_model');
  const g = new OnnxGraphBuilder('faceapi_recognition');
  let x = nhwcInput(g, 'input', RECOGNITION_INPUT_SIZE);

  x = convLayer(g, weights, x, 'conv32_down', { stride: 2, padding: 'valid', relu: true, normaliseInput: true });
  x = {
    name: g.node('MaxPool', [x.name], { kernel_shape: [3, 3], strides: [2, 2] }, 'maxpool'),
    c: x.c,
    h: Math.floor((x.h - 3) / 2) + 1,
    w: Math.floor((x.w - 3) / 2) + 1,
  };
  for (const block of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(g, weights, x, block);
  x = residualDown(g, weights, x, 'conv64_down');
  for (const block of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(g, weights, x, block);
  x = residualDown(g, weights, x, 'conv128_down');
  for (const block of ['conv128_1', 'conv128_2']) x = residual(g, weights, x, block);
  x = residualDown(g, weights, x, 'conv256_down');
  for (const block of ['conv256_1', 'conv256_2']) x = residual(g, weights, x, block);
  x = residualDown(g, weights, x, 'conv256_down_out');

  const features = g.node('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 }, 'global_mean');
  const fc = requireWeight(weights, 'fc', 2);
  const descriptor = g.node('MatMul', [features, g.constant('fc', fc.data, fc.shape)], {}, 'descriptor');
  const norm = g.node('ReduceL2', [descriptor], { axes: [1], keepdims: 1 }, 'norm');
  const safeNorm = g.node('Max', [norm, g.constant('eps', [1e-12], [])], {}, 'safe_norm');
  const embedding = g.node('Div', [descriptor, safeNorm], {}, 'unit');
  g.output(embedding, 'embedding', { elem: 'float32', dims: ['batch', RECOGNITION_DIMENSION] });
  g.output(features, 'features', { elem: 'float32', dims: ['batch', RECOGNITION_FEATURES] });

  const version = faceApiVersion();
  const bytes = g.toBytes({
    docString: `face-api FaceRecognitionNet from ${FACE_API_PACKAGE}@${version} model/${files.join(', ')}`,
    producerVersion: '1',
  });
  const manifest: ModelManifestEntry = {
    id: 'faceapi-recognition',
    role: 'embedder',
    source: { package: FACE_API_PACKAGE, version, files: files.map((f) => `model/${f}`) },
    input: {
      name: 'input',
      shape: ['batch', RECOGNITION_INPUT_SIZE, RECOGNITION_INPUT_SIZE, 3],
      layout: 'NHWC',
      colorOrder: 'RGB',
      normalization: {
        mean: RECOGNITION_MEAN_RGB,
        std: [255, 255, 255],
        note: 'feed raw 0..255 RGB floats; (x - mean) / 255 is folded into the first convolution inside the graph',
      },
    },
    outputs: [
      {
        name: 'embedding',
        shape: ['batch', RECOGNITION_DIMENSION],
        description: 'L2-normalised 128-D face descriptor',
      },
      {
        name: 'features',
        shape: ['batch', RECOGNITION_FEATURES],
        description: 'globally averaged 256-D feature vector that feeds the final fully-connected layer',
      },
    ],
    details: {
      dimension: RECOGNITION_DIMENSION,
      featureDimension: RECOGNITION_FEATURES,
      embeddingLayer:
        'embedding = normalize(features . W + b) with W = face-api weight "fc" [256, 128] and b = 0 (face-api has no bias)',
      faceApiDescriptor:
        'face-api returns features . W without normalisation; it is not unit length (about 1.27 on a sample face)',
      weights: 'uint8-quantised in the source package (value = q * scale + min), de-quantised at build time',
    },
  };
  return { bytes, manifest };
}

export const recognitionRecipe: ModelRecipe = { id: 'faceapi-recognition', role: 'embedder', build: buildRecognition };

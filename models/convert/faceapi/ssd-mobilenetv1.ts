/**
 * face-api's SsdMobilenetv1 face detector as ONNX, with box decoding and score sigmoid in the graph.
 * Mirrors node_modules/@vladmandic/face-api/src/ssdMobilenetv1/*.ts:
 *
 *   x = rgb / 127.5 - 1
 *   MobileNetV1 (conv 3x3/2, 13 depthwise+pointwise pairs, relu6; depthwise batch-norm folded here),
 *   8 extra pointwise layers, 6 box predictors (on conv11 32x32, out 16x16, then 8, 4, 2, 1),
 *   5118 anchors (Output/extra_dim, ymin/xmin/ymax/xmax) decoded with the TF-OD box coder (10, 10, 5, 5).
 *
 * Outputs boxes [batch, 5118, 4] as normalised (y1, x1, y2, x2), unclipped, and scores [batch, 5118] =
 * sigmoid of the face logit. face-api reads only class column 1 of each anchor's 3 logits, so the class
 * predictors keep only that column. NMS stays in TypeScript (src-main/engine/vision/nms.ts).
 */
import { OnnxGraphBuilder, type ModelManifestEntry, type ModelRecipe } from '../onnx-graph.js';
import {
  type Activation,
  addBias,
  conv2d,
  convFromTf,
  depthwiseFromTf,
  foldBatchNorm,
  nhwcInput,
  scalar,
  selectOutputs,
} from './layers.js';
import { faceApiVersion, FACE_API_PACKAGE, loadWeights, requireWeight, type WeightMap } from './weights.js';

export const SSD_INPUT_SIZE = 512;
export const SSD_ANCHORS = 5118;
/** tfjs batchNorm epsilon used by face-api's MobileNetV1. */
const BN_EPSILON = 0.0010000000474974513;

/** conv + convolution_bn_offset + relu6 (face-api's "pointwiseConvLayer", also used for 3x3 convs). */
function pointwise(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  x: Activation,
  prefix: string,
  stride: number,
  scale = 1,
): Activation {
  const filters = requireWeight(weights, `${prefix}/weights`, 4);
  const tf = scale === 1 ? filters : { ...filters, data: filters.data.map((v) => v * scale) };
  const w = addBias(convFromTf(tf), requireWeight(weights, `${prefix}/convolution_bn_offset`, 1).data);
  return conv2d(g, x, w, { stride, padding: 'same', activation: 'relu6', hint: prefix });
}

function depthwise(g: OnnxGraphBuilder, weights: WeightMap, x: Activation, prefix: string, stride: number): Activation {
  const w = foldBatchNorm(
    depthwiseFromTf(requireWeight(weights, `${prefix}/depthwise_weights`, 4)),
    {
      gamma: requireWeight(weights, `${prefix}/BatchNorm/gamma`, 1).data,
      beta: requireWeight(weights, `${prefix}/BatchNorm/beta`, 1).data,
      mean: requireWeight(weights, `${prefix}/BatchNorm/moving_mean`, 1).data,
      variance: requireWeight(weights, `${prefix}/BatchNorm/moving_variance`, 1).data,
    },
    BN_EPSILON,
  );
  return conv2d(g, x, w, { stride, padding: 'same', activation: 'relu6', depthwise: true, hint: prefix });
}

/** One box predictor: NCHW conv output -> [batch, h*w*anchors, k] in tfjs's (h, w, anchor) order. */
function predictor(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  x: Activation,
  prefix: string,
  kind: 'box' | 'class',
): string {
  const name = kind === 'box' ? 'BoxEncodingPredictor' : 'ClassPredictor';
  let w = addBias(
    convFromTf(requireWeight(weights, `${prefix}/${name}/weights`, 4)),
    requireWeight(weights, `${prefix}/${name}/biases`, 1).data,
  );
  const per = kind === 'box' ? 4 : 1;
  if (kind === 'class') {
    const anchors = w.dims[0] / 3;
    w = selectOutputs(
      w,
      Array.from({ length: anchors }, (_, a) => a * 3 + 1),
    );
  }
  const out = conv2d(g, x, w, { padding: 'valid', hint: `${prefix}/${name}` });
  const nhwc = g.node('Transpose', [out.name], { perm: [0, 2, 3, 1] }, `${prefix}/${name}/nhwc`);
  const shape = g.constantInt64(`${prefix}/${name}/shape`, [0, -1, per]);
  return g.node('Reshape', [nhwc, shape], {}, `${prefix}/${name}/reshape`);
}

export async function buildSsdMobilenetv1(): Promise<{ bytes: Uint8Array; manifest: ModelManifestEntry }> {
  const { weights, files } = loadWeights('ssd_mobilenetv1_model');
  const g = new OnnxGraphBuilder('faceapi_ssd_mobilenetv1');
  const input = nhwcInput(g, 'input', SSD_INPUT_SIZE);
  // x / 127.5 - 1 = (x - 127.5) / 127.5: subtract here (so 'same' padding zeros stay exact) and fold the
  // 1/127.5 into the first conv.
  let x: Activation = { ...input, name: g.node('Sub', [input.name, scalar(g, 127.5, 'half_range')], {}, 'center') };
  x = pointwise(g, weights, x, 'MobilenetV1/Conv2d_0_pointwise', 2, 1 / 127.5);
  let conv11: Activation | undefined;
  for (let i = 1; i <= 13; i++) {
    const stride = [2, 4, 6, 12].includes(i) ? 2 : 1;
    x = depthwise(g, weights, x, `MobilenetV1/Conv2d_${i}_depthwise`, stride);
    x = pointwise(g, weights, x, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = x;
  }
  if (!conv11) throw new Error('ssd: conv11 missing');
  const p: Activation[] = [];
  let y = x;
  for (let i = 0; i < 8; i++) {
    y = pointwise(g, weights, y, `Prediction/Conv2d_${i}_pointwise`, i % 2 === 1 ? 2 : 1);
    p.push(y);
  }
  const sources = [conv11, x, p[1]!, p[3]!, p[5]!, p[7]!];
  const boxEnc = g.node(
    'Concat',
    sources.map((s, i) => predictor(g, weights, s, `Prediction/BoxPredictor_${i}`, 'box')),
    { axis: 1 },
    'box_encodings',
  );
  const logits = g.node(
    'Concat',
    sources.map((s, i) => predictor(g, weights, s, `Prediction/BoxPredictor_${i}`, 'class')),
    { axis: 1 },
    'face_logits',
  );

  // Box decoding (TF object detection's faster-RCNN box coder, scales 10, 10, 5, 5).
  const anchors = requireWeight(weights, 'Output/extra_dim', 3);
  const n = anchors.shape[1]!;
  if (n !== SSD_ANCHORS) throw new Error(`ssd: ${n} anchors, expected ${SSD_ANCHORS}`);
  const centreScale = new Float32Array(n * 2);
  const centreOffset = new Float32Array(n * 2);
  const halfSize = new Float32Array(n * 2);
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < 2; k++) {
      const lo = anchors.data[a * 4 + k]!;
      const size = anchors.data[a * 4 + k + 2]! - lo;
      centreScale[a * 2 + k] = size / 10;
      centreOffset[a * 2 + k] = lo + size / 2;
      halfSize[a * 2 + k] = size / 2;
    }
  }
  const [encCentre, encSize] = g.nodeMulti(
    'Split',
    [boxEnc, g.constantInt64('split_sizes', [2, 2])],
    2,
    { axis: 2 },
    'split_enc',
  ) as [string, string];
  const centre = g.node(
    'Add',
    [
      g.node('Mul', [encCentre, g.constant('anchor_centre_scale', centreScale, [n, 2])], {}, 'centre_scaled'),
      g.constant('anchor_centre', centreOffset, [n, 2]),
    ],
    {},
    'centre',
  );
  const half = g.node(
    'Mul',
    [
      g.node('Exp', [g.node('Mul', [encSize, scalar(g, 0.2, 'size_scale')], {}, 'size_scaled')], {}, 'size_exp'),
      g.constant('anchor_half_size', halfSize, [n, 2]),
    ],
    {},
    'half_size',
  );
  const boxes = g.node(
    'Concat',
    [g.node('Sub', [centre, half], {}, 'box_min'), g.node('Add', [centre, half], {}, 'box_max')],
    { axis: 2 },
    'boxes',
  );
  const squeezeAxes = g.constantInt64('squeeze_axes', [2]);
  const scores = g.node('Sigmoid', [g.node('Squeeze', [logits, squeezeAxes], {}, 'logits_2d')], {}, 'scores');
  g.output(boxes, 'boxes', { elem: 'float32', dims: ['batch', n, 4] });
  g.output(scores, 'scores', { elem: 'float32', dims: ['batch', n] });

  const version = faceApiVersion();
  const bytes = g.toBytes({
    docString: `face-api SsdMobilenetv1 from ${FACE_API_PACKAGE}@${version} model/${files.join(', ')}`,
    producerVersion: '1',
  });
  const manifest: ModelManifestEntry = {
    id: 'faceapi-ssd-mobilenetv1',
    role: 'detector',
    source: { package: FACE_API_PACKAGE, version, files: files.map((f) => `model/${f}`) },
    input: {
      name: 'input',
      shape: ['batch', SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3],
      layout: 'NHWC',
      colorOrder: 'RGB',
      normalization: {
        mean: [127.5, 127.5, 127.5],
        std: [127.5, 127.5, 127.5],
        note: 'feed raw 0..255 RGB floats; the graph subtracts 127.5 and folds 1/127.5 into the first convolution',
      },
    },
    outputs: [
      {
        name: 'boxes',
        shape: ['batch', n, 4],
        description: 'decoded anchor boxes, normalised (y1, x1, y2, x2) relative to the input, not clipped',
      },
      { name: 'scores', shape: ['batch', n], description: 'face probability (sigmoid of the face logit) per anchor' },
    ],
    details: {
      anchors: n,
      boxOrder: 'y1,x1,y2,x2 normalised to 0..1 of the 512x512 input',
      postprocess:
        'clip boxes to [0, 1], drop scores <= minScore (face-api default 0.5), greedy NMS with IoU 0.5, max 100',
      boxCoder:
        'TF object detection faster_rcnn_box_coder, scale factors [10, 10, 5, 5], anchors from the weight Output/extra_dim',
      weights: 'uint8-quantised in the source package (value = q * scale + min), de-quantised at build time',
    },
  };
  return { bytes, manifest };
}

export const ssdMobilenetv1Recipe: ModelRecipe = {
  id: 'faceapi-ssd-mobilenetv1',
  role: 'detector',
  build: buildSsdMobilenetv1,
};

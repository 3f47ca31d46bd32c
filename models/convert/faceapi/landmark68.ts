/**
 * face-api's FaceLandmark68Net as ONNX. Mirrors node_modules/@vladmandic/face-api/src/faceFeatureExtractor
 * and src/faceLandmarkNet:
 *
 *   x = (rgb - [122.782, 117.001, 104.298]) / 255
 *   4 dense blocks (each: a stride-2 conv, then three depthwise-separable convs with dense additive skips)
 *   avgpool 7x7/2 valid -> 256, fc -> 136 = 68 (x, y) pairs relative to the 112x112 crop.
 *
 * For a square input face-api's post-processing (x * inputSize - padding) / size is the identity, so
 * the fc output is exactly what face-api reports before un-padding.
 */
import { OnnxGraphBuilder, type ModelManifestEntry, type ModelRecipe } from '../onnx-graph.js';
import { type Activation, addBias, conv2d, convFromTf, depthwiseFromTf, nhwcInput, relu } from './layers.js';
import { faceApiVersion, FACE_API_PACKAGE, loadWeights, requireWeight, type WeightMap } from './weights.js';

export const LANDMARK_INPUT_SIZE = 112;
export const LANDMARK_MEAN_RGB: [number, number, number] = [122.782, 117.001, 104.298];

/** tfjs separableConv2d(..., 'same') + bias: a depthwise Conv then a pointwise Conv carrying the bias. */
function separable(g: OnnxGraphBuilder, weights: WeightMap, x: Activation, prefix: string, stride: number): Activation {
  const dw = depthwiseFromTf(requireWeight(weights, `${prefix}/depthwise_filter`, 4));
  const d = conv2d(g, x, dw, { stride, padding: 'same', depthwise: true, hint: `${prefix}/dw` });
  const pw = addBias(
    convFromTf(requireWeight(weights, `${prefix}/pointwise_filter`, 4)),
    requireWeight(weights, `${prefix}/bias`, 1).data,
  );
  return conv2d(g, d, pw, { padding: 'valid', hint: `${prefix}/pw` });
}

function sum(g: OnnxGraphBuilder, values: Activation[], hint: string): Activation {
  let out = values[0]!;
  for (let i = 1; i < values.length; i++) out = { ...out, name: g.node('Add', [out.name, values[i]!.name], {}, hint) };
  return out;
}

/** denseBlock4 from face-api: out_k = conv_k(relu(out_1 + ... + out_{k-1})), result relu(sum of all). */
function denseBlock4(
  g: OnnxGraphBuilder,
  weights: WeightMap,
  x: Activation,
  prefix: string,
  first: boolean,
): Activation {
  let out1: Activation;
  if (first) {
    const w = addBias(
      convFromTf(requireWeight(weights, `${prefix}/conv0/filters`, 4)),
      requireWeight(weights, `${prefix}/conv0/bias`, 1).data,
    );
    out1 = conv2d(g, x, w, { stride: 2, padding: 'same', activation: 'relu', hint: `${prefix}/conv0` });
  } else {
    out1 = relu(g, separable(g, weights, x, `${prefix}/conv0`, 2), `${prefix}/conv0/relu`);
  }
  const out2 = separable(g, weights, out1, `${prefix}/conv1`, 1);
  const in3 = relu(g, sum(g, [out1, out2], `${prefix}/sum3`), `${prefix}/relu3`);
  const out3 = separable(g, weights, in3, `${prefix}/conv2`, 1);
  const in4 = relu(g, sum(g, [out1, out2, out3], `${prefix}/sum4`), `${prefix}/relu4`);
  const out4 = separable(g, weights, in4, `${prefix}/conv3`, 1);
  return relu(g, sum(g, [out1, out2, out3, out4], `${prefix}/sum`), `${prefix}/relu`);
}

export async function buildLandmark68(): Promise<{ bytes: Uint8Array; manifest: ModelManifestEntry }> {
  const { weights, files } = loadWeights('face_landmark_68_model');
  const g = new OnnxGraphBuilder('faceapi_landmark68');
  const input = nhwcInput(g, 'input', LANDMARK_INPUT_SIZE);
  // The first conv uses 'same' padding, whose border zeros are zeros *after* mean subtraction, so the
  // mean stays an explicit Sub; only the 1/255 scale is folded into the weights.
  const mean = g.constant('mean_rgb', LANDMARK_MEAN_RGB, [1, 3, 1, 1]);
  let x: Activation = { ...input, name: g.node('Sub', [input.name, mean], {}, 'sub_mean') };
  const first = requireWeight(weights, 'dense0/conv0/filters', 4);
  const scaled = new Map(weights);
  scaled.set(first.name, { ...first, data: first.data.map((v) => v / 255) });

  x = denseBlock4(g, scaled, x, 'dense0', true);
  x = denseBlock4(g, scaled, x, 'dense1', false);
  x = denseBlock4(g, scaled, x, 'dense2', false);
  x = denseBlock4(g, scaled, x, 'dense3', false);
  const pooled = g.node('AveragePool', [x.name], { kernel_shape: [7, 7], strides: [2, 2] }, 'avgpool');
  const flat = g.node('Flatten', [pooled], { axis: 1 }, 'flatten');
  const fcW = requireWeight(weights, 'fc/weights', 2);
  const fcB = requireWeight(weights, 'fc/bias', 1);
  const out = g.node(
    'Gemm',
    [flat, g.constant('fc/W', fcW.data, fcW.shape), g.constant('fc/B', fcB.data, fcB.shape)],
    {},
    'fc',
  );
  g.output(out, 'landmarks', { elem: 'float32', dims: ['batch', 136] });

  const version = faceApiVersion();
  const bytes = g.toBytes({
    docString: `face-api FaceLandmark68Net from ${FACE_API_PACKAGE}@${version} model/${files.join(', ')}`,
    producerVersion: '1',
  });
  const manifest: ModelManifestEntry = {
    id: 'faceapi-landmark68',
    role: 'landmarks',
    source: { package: FACE_API_PACKAGE, version, files: files.map((f) => `model/${f}`) },
    input: {
      name: 'input',
      shape: ['batch', LANDMARK_INPUT_SIZE, LANDMARK_INPUT_SIZE, 3],
      layout: 'NHWC',
      colorOrder: 'RGB',
      normalization: {
        mean: LANDMARK_MEAN_RGB,
        std: [255, 255, 255],
        note: 'feed raw 0..255 RGB floats; the graph subtracts the mean and folds 1/255 into the first convolution',
      },
    },
    outputs: [
      {
        name: 'landmarks',
        shape: ['batch', 136],
        description: '68 points as x0, y0, x1, y1, ... relative (0..1) to the input crop (iBUG 300-W order)',
      },
    ],
    details: {
      points: 68,
      order: 'x,y interleaved; multiply by the crop size for pixels',
      weights: 'uint8-quantised in the source package (value = q * scale + min), de-quantised at build time',
    },
  };
  return { bytes, manifest };
}

export const landmark68Recipe: ModelRecipe = { id: 'faceapi-landmark68', role: 'landmarks', build: buildLandmark68 };

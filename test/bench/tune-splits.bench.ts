/**
 * `npx tsx test/bench/tune-splits.bench.ts [--config name,...] [--splits 5] [--threshold t]`: issue 5's celeba
 * protocol from the cached features only (no image is decoded: run tune-protocol.bench.ts once to build
 * $TMPDIR/facenet-tune-cache/celeba-people.json). Per split seed: 10 photos per person are the user's labels
 * (the tuner's own early-stopping split is carved out of them), the other 10 are held out for evaluation only.
 * Figures on the held-out photos, shipped layer vs tuned layer:
 *  - VAL at FAR 1e-3 over all held-out pairs;
 *  - BCubed F of clustering the held-out photos with the people module's FaceClusterer at the default
 *    threshold (people-settings defaults, 1.1: for the dlib embedder every photo lands in one cluster), and at
 *    the threshold that gives the best BCubed F on the *labelled* photos for that layer (what a user would pick
 *    from their labels; never chosen on the held-out photos), no constraints;
 *  - BCubed F of nearest-labelled-neighbour assignment.
 * Prints one JSON line per config with mean and sample std over the splits.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bcubedScores } from '../../src-shared/cluster-metrics.js';
import { FaceClusterer } from '../../src-main/people/clusterer.js';
import { defaultSettings } from '../../src-main/people/people-settings.js';
import type { EmbeddingLayer } from '../../training/embedding-layer.js';
import { evaluateTuning, nearestLabelled } from '../../training/evaluate.js';
import { encodeLabels, packFeatures } from '../../training/features.js';
import { Rng } from '../../training/rng.js';
import { loadShippedLayer } from '../../training/shipped-layer.js';
import { EmbeddingTuner, type TunerOptions } from '../../training/trainer.js';
import { RECOMMENDED_TUNER_OPTIONS } from '../../training/recipe.js';

const CONFIGS: Record<string, TunerOptions> = {
  paper: {},
  lr01: { learningRate: 0.01 },
  recipe: RECOMMENDED_TUNER_OPTIONS,
  a05: { alpha: 0.05, learningRate: 0.003, patience: 6 },
  a05anchor: { alpha: 0.05, learningRate: 0.003, anchorWeight: 0.03, patience: 6 },
  a05harmonic: { alpha: 0.05, learningRate: 0.003, patience: 6, harmonic: true },
};

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'paper,recipe' },
    splits: { type: 'string', default: '5' },
    threshold: { type: 'string' },
  },
});

const cache = JSON.parse(readFileSync(join(tmpdir(), 'facenet-tune-cache', 'celeba-people.json'), 'utf8')) as {
  paths: string[];
  features: number[][];
};
const byPerson = new Map<string, Float32Array[]>();
cache.paths.forEach((p, i) => {
  const f = cache.features[i] as number[];
  if (f.length === 0) return;
  const person = p.split('/')[1] as string;
  const list = byPerson.get(person) ?? [];
  list.push(Float32Array.from(f));
  byPerson.set(person, list);
});
const people = [...byPerson.keys()].sort();
const threshold = values.threshold ? Number(values.threshold) : defaultSettings().threshold;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const summary = (xs: number[]) => `${mean(xs).toFixed(4)} ± ${std(xs).toFixed(4)}`;

function clusterF(layer: EmbeddingLayer, f: Float32Array[], truth: Int32Array, t = threshold): number {
  const emb = layer.embedEach(f);
  const faces = emb.map((embedding, id) => ({ id, embedding }));
  const r = new FaceClusterer({ threshold: t }).fit(faces);
  return bcubedScores(r.labels.map(Number), Array.from(truth)).f;
}

/** The threshold the user would pick from their labels: best BCubed F clustering the labelled faces. */
const SWEEP = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2];
function labelledThreshold(layer: EmbeddingLayer, f: Float32Array[], truth: Int32Array): number {
  let best = SWEEP[0] as number;
  let bestF = -1;
  for (const t of SWEEP) {
    const score = clusterF(layer, f, truth, t);
    if (score > bestF) [best, bestF] = [t, score];
  }
  return best;
}

for (const name of (values.config as string).split(',')) {
  const options = CONFIGS[name];
  if (!options) throw new Error(`unknown config ${name}`);
  const shipped = loadShippedLayer();
  const rows: Record<string, number>[] = [];
  for (let seed = 1; seed <= Number(values.splits); seed++) {
    const rng = new Rng(1000 + seed);
    const train = { f: [] as Float32Array[], l: [] as string[] };
    const held = { f: [] as Float32Array[], l: [] as string[] };
    for (const person of people) {
      rng.shuffle([...(byPerson.get(person) as Float32Array[])]).forEach((f, i) => {
        const t = i < 10 ? train : held;
        t.f.push(f);
        t.l.push(person);
      });
    }
    const t0 = performance.now();
    const result = new EmbeddingTuner(shipped, { ...options, seed }).fit(train.f, train.l);
    const seconds = (performance.now() - t0) / 1000;
    const e = evaluateTuning(
      shipped,
      result.layer,
      { features: held.f, labels: held.l },
      { features: train.f, labels: train.l },
    );
    const { ids } = encodeLabels([...held.l, ...train.l]);
    const heldIds = ids.subarray(0, held.l.length);
    const trainIds = ids.subarray(held.l.length);
    const nnF = (layer: EmbeddingLayer) => {
      const a = nearestLabelled(
        layer.forward(packFeatures(held.f)).u,
        layer.forward(packFeatures(train.f)).u,
        trainIds,
        layer.outDim,
      );
      return bcubedScores(Array.from(a), Array.from(heldIds)).f;
    };
    const row = {
      seed,
      seconds,
      bestEpoch: result.bestEpoch,
      valBefore: e.before.valAtFar,
      valAfter: e.after.valAtFar,
      valCross: e.crossVersionValAtFar,
      clusterFBefore: clusterF(shipped, held.f, heldIds),
      clusterFAfter: clusterF(result.layer, held.f, heldIds),
      tBefore: labelledThreshold(shipped, train.f, trainIds),
      tAfter: labelledThreshold(result.layer, train.f, trainIds),
      tunedFBefore: 0,
      tunedFAfter: 0,
      nnFBefore: nnF(shipped),
      nnFAfter: nnF(result.layer),
    };
    row.tunedFBefore = clusterF(shipped, held.f, heldIds, row.tBefore);
    row.tunedFAfter = clusterF(result.layer, held.f, heldIds, row.tAfter);
    rows.push(row);
    console.error(name, JSON.stringify(row));
  }
  const col = (k: string) => rows.map((r) => r[k] as number);
  const delta = (a: string, b: string) => rows.map((r) => (r[b] as number) - (r[a] as number));
  console.log(
    JSON.stringify({
      config: name,
      options,
      threshold,
      val: {
        before: summary(col('valBefore')),
        after: summary(col('valAfter')),
        delta: summary(delta('valBefore', 'valAfter')),
        cross: summary(col('valCross')),
      },
      clusterF: {
        before: summary(col('clusterFBefore')),
        after: summary(col('clusterFAfter')),
        delta: summary(delta('clusterFBefore', 'clusterFAfter')),
      },
      clusterFLabelledThreshold: {
        before: summary(col('tunedFBefore')),
        after: summary(col('tunedFAfter')),
        delta: summary(delta('tunedFBefore', 'tunedFAfter')),
        thresholds: [col('tBefore'), col('tAfter')],
      },
      nnF: { before: summary(col('nnFBefore')), after: summary(col('nnFAfter')) },
      bestEpochs: col('bestEpoch'),
      seconds: summary(col('seconds')),
    }),
  );
}

/**
 * `npx tsx test/bench/tune-protocol.bench.ts [--config recipe,...] [--harmonic] [--splits 5] [--people N] [--no-lfw]`:
 * issue 5's protocol on real faces, from stored features (tune-features.ts; the first run extracts them).
 *
 * For each config (CONFIGS below; `recipe` is what the product ships, training/recipe.ts) and each of
 * `splits` seeds: per person of ../shared/celeba-people, 10 photos are the user's confirmed labels and the
 * other 10 are held out (never trained on; the tuner carves its own early-stopping split out of the labels).
 * The shipped layer (before) and the tuned layer (after) are scored on the held-out photos:
 *  - VAL at FAR 1e-3 over all held-out pairs, and across versions (one face by each layer);
 *  - BCubed F of the people module's clustering (FaceClusterer at the product's default threshold, no
 *    constraints) of the held-out photos: do the right people end up together;
 *  - BCubed F of assigning each held-out photo to its nearest labelled photo's person;
 *  - on ../shared/lfw-dev (people never seen in tuning): 10-fold accuracy on pairs.txt with the tuned layer,
 *    and across versions (first image by the shipped layer, second by the tuned one).
 *
 * Prints one JSON line per config: per-split rows, and for every figure the mean and sample standard
 * deviation over the splits ("spread") of before, after and the paired delta.
 * Note: the library's stored v1 embeddings are normalize(e(face) + e(mirror)); applying a layer to the stored
 * (averaged) features gives normalize(z(face) + z(mirror)) instead. Both "before" figures here use the latter
 * so before and after are computed the same way.
 */
import { parseArgs } from 'node:util';
import { bcubedScores } from '../../src-shared/cluster-metrics.js';
import { kFoldAccuracy } from '../../src-shared/verification.js';
import { FaceClusterer } from '../../src-main/engine/people/clusterer.js';
import { defaultSettings } from '../../src-main/engine/people/people-settings.js';
import type { EmbeddingLayer } from '../../training/embedding-layer.js';
import { evaluateTuning, nearestLabelled } from '../../training/evaluate.js';
import { encodeLabels, packFeatures } from '../../training/features.js';
import { recommendedTunerOptions } from '../../training/recipe.js';
import { Rng } from '../../src-shared/random.js';
import { loadShippedLayer } from '../../models/convert/faceapi/shipped-layer.js';
import { EmbeddingTuner, type TunerOptions } from '../../training/trainer.js';
import { celebaPeople, lfwDev } from '../helpers/tune-features.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'recipe' },
    harmonic: { type: 'boolean' },
    'no-lfw': { type: 'boolean' },
    'no-calibration': { type: 'boolean' },
    splits: { type: 'string', default: '5' },
    people: { type: 'string' },
  },
});

/** The shipped recipe and the alternatives it was chosen against (training/README.md has the figures). */
const CONFIGS: Record<string, TunerOptions> = {
  recipe: recommendedTunerOptions(!!values.harmonic),
  paper: { alpha: 0.2, learningRate: 0.05, patience: 6 },
  a20: { alpha: 0.2, learningRate: 0.003, patience: 6 },
  a10: { alpha: 0.1, learningRate: 0.003, patience: 6 },
  a05: { alpha: 0.05, learningRate: 0.003, patience: 6 },
  a05wise70: { alpha: 0.05, learningRate: 0.003, patience: 6, interpolation: 0.7 },
  a05wise50: { alpha: 0.05, learningRate: 0.003, patience: 6, interpolation: 0.5 },
  a05anchor003: { alpha: 0.05, learningRate: 0.003, patience: 6, anchorWeight: 0.003 },
};

const celeba = await celebaPeople(values.people ? Number(values.people) : undefined);
const lfw = values['no-lfw'] ? null : await lfwDev();
const threshold = defaultSettings().threshold;

function lfwAccuracy(first: EmbeddingLayer, second: EmbeddingLayer): number {
  if (!lfw) return NaN;
  const usable = lfw.pairs.pairs.filter((p) => lfw.features.has(p.a.path) && lfw.features.has(p.b.path));
  const embed = (layer: EmbeddingLayer, path: string) =>
    layer.embedEach([lfw.features.get(path) as Float32Array])[0] as Float32Array;
  const pairs = usable.map((p) => {
    const a = embed(first, p.a.path);
    const b = embed(second, p.b.path);
    let d = 0;
    for (let i = 0; i < a.length; i++) d += ((a[i] as number) - (b[i] as number)) ** 2;
    return { distance: d, same: p.same, fold: p.fold };
  });
  return kFoldAccuracy(pairs).accuracy;
}

function clusterF(layer: EmbeddingLayer, features: Float32Array[], truth: Int32Array): number {
  const faces = layer.embedEach(features).map((embedding, id) => ({ id, embedding }));
  const r = new FaceClusterer({ threshold }).fit(faces);
  return bcubedScores(r.labels.map(Number), Array.from(truth)).f;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const summary = (xs: number[]) => ({ mean: Number(mean(xs).toFixed(4)), std: Number(std(xs).toFixed(4)) });

const shipped = loadShippedLayer();
const lfwBefore = lfwAccuracy(shipped, shipped);
for (const name of (values.config as string).split(',')) {
  const options = CONFIGS[name];
  if (!options) throw new Error(`unknown config ${name} (known: ${Object.keys(CONFIGS).join(', ')})`);
  const rows: Record<string, number>[] = [];
  for (let seed = 1; seed <= Number(values.splits); seed++) {
    const rng = new Rng(1000 + seed);
    const train = { f: [] as Float32Array[], l: [] as string[] };
    const held = { f: [] as Float32Array[], l: [] as string[] };
    for (const person of celeba.people) {
      rng.shuffle([...(celeba.byPerson.get(person) ?? [])]).forEach((photo, i) => {
        const target = i < 10 ? train : held;
        target.f.push(photo.features);
        target.l.push(person);
      });
    }
    const t0 = performance.now();
    const result = new EmbeddingTuner(shipped, {
      calibrationThreshold: values['no-calibration'] ? undefined : threshold,
      ...options,
      seed,
      harmonic: values.harmonic,
    }).fit(train.f, train.l);
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
    const nearestF = (layer: EmbeddingLayer) => {
      const assigned = nearestLabelled(
        layer.forward(packFeatures(held.f)).u,
        layer.forward(packFeatures(train.f)).u,
        trainIds,
        layer.outDim,
      );
      return bcubedScores(Array.from(assigned), Array.from(heldIds)).f;
    };
    const row = {
      seed,
      seconds,
      bestEpoch: result.bestEpoch,
      beta: result.calibration?.beta ?? 0,
      valBefore: e.before.valAtFar,
      valAfter: e.after.valAtFar,
      valCross: e.crossVersionValAtFar,
      clusterFBefore: clusterF(shipped, held.f, heldIds),
      clusterFAfter: clusterF(result.layer, held.f, heldIds),
      nearestFBefore: nearestF(shipped),
      nearestFAfter: nearestF(result.layer),
      changedPerson: e.changedPerson,
      lfwAfter: lfwAccuracy(result.layer, result.layer),
      lfwCross: lfwAccuracy(shipped, result.layer),
    };
    rows.push(row);
    console.error(name, JSON.stringify(row));
  }
  const col = (k: string) => rows.map((r) => r[k] as number);
  const compare = (before: string, after: string) => ({
    before: summary(col(before)),
    after: summary(col(after)),
    delta: summary(rows.map((r) => (r[after] as number) - (r[before] as number))),
  });
  console.log(
    JSON.stringify({
      config: name,
      options,
      harmonic: !!values.harmonic,
      people: celeba.people.length,
      clusterThreshold: threshold,
      heldOutValAtFar1e3: { ...compare('valBefore', 'valAfter'), crossVersion: summary(col('valCross')) },
      heldOutClusterBCubedF: compare('clusterFBefore', 'clusterFAfter'),
      heldOutNearestLabelledBCubedF: compare('nearestFBefore', 'nearestFAfter'),
      lfwDevAccuracy: {
        before: lfwBefore,
        after: summary(col('lfwAfter')),
        drop: summary(col('lfwAfter').map((a) => lfwBefore - a)),
        crossVersion: summary(col('lfwCross')),
      },
      changedPerson: summary(col('changedPerson')),
      bestEpochs: col('bestEpoch'),
      tuneSeconds: summary(col('seconds')),
      splits: rows,
    }),
  );
}

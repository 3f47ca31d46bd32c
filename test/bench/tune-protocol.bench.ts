/**
 * `npx tsx test/bench/tune-protocol.bench.ts [--harmonic] [--recipe] [--lr x] [--no-lfw] [--splits 5] [--people N]`: issue 5's protocol on
 * real faces with the shipped pipeline (default detector, dlib embedder, flip TTA).
 *
 * 1. Stored features: every photo of ../shared/celeba-people (91 people x 20) and every image named in
 *    ../shared/lfw-dev/pairs.txt is analysed once; the features of its most confident face are cached in
 *    $TMPDIR/facenet-tune-cache/ (saved every 50 photos, so an interrupted run resumes; delete to re-extract).
 *    On this 2-core machine extraction takes about 0.6 s per photo when idle (about 40 minutes for both sets).
 * 2. For each of `splits` seeds: per person, 10 photos are confirmed labels and the other 10 are held out.
 *    The shipped layer is tuned on the labels (EmbeddingTuner defaults, or training/recipe.ts with --recipe;
 *    that seed; --harmonic for harmonic
 *    mode) and both layers are scored on the held-out photos: VAL at FAR 1e-3 over all held-out pairs, and
 *    BCubed F of assigning each held-out photo to its nearest labelled photo's person.
 * 3. LFW dev (people never seen in tuning): 10-fold accuracy on pairs.txt with the shipped layer, the tuned
 *    layer, and across versions (first image by the shipped layer, second by the tuned one).
 *
 * Prints one JSON object with per-split figures and mean / sample standard deviation of each.
 * Note: the library's stored v1 embeddings are normalize(e(face) + e(mirror)); applying a layer to the stored
 * (averaged) features gives normalize(z(face) + z(mirror)) instead. Both "before" figures here use the latter
 * so before and after are computed the same way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bcubedScores } from '../../src-shared/cluster-metrics.js';
import { parseLfwPairs } from '../../src-shared/lfw-pairs.js';
import { kFoldAccuracy } from '../../src-shared/verification.js';
import { createFaceAnalyzer } from '../../src-main/vision/registry.js';
import type { EmbeddingLayer } from '../../training/embedding-layer.js';
import { evaluateTuning, nearestLabelled } from '../../training/evaluate.js';
import { encodeLabels, packFeatures } from '../../training/features.js';
import { Rng } from '../../training/rng.js';
import { loadShippedLayer } from '../../training/shipped-layer.js';
import { EmbeddingTuner } from '../../training/trainer.js';
import { RECOMMENDED_TUNER_OPTIONS } from '../../training/recipe.js';
import { SHARED_DIR } from '../helpers/shared.js';

const { values } = parseArgs({
  options: {
    harmonic: { type: 'boolean' },
    recipe: { type: 'boolean' },
    lr: { type: 'string' },
    'no-lfw': { type: 'boolean' },
    splits: { type: 'string', default: '5' },
    people: { type: 'string' },
  },
});

interface Cached {
  paths: string[];
  features: number[][];
}

/** Features of the most confident face of each photo, cached (and resumable: saved every 50 photos). */
async function extract(name: string, paths: string[]): Promise<Map<string, Float32Array>> {
  const dir = join(tmpdir(), 'facenet-tune-cache');
  const file = join(dir, `${name}.json`);
  const cache: Cached = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Cached)
    : { paths: [], features: [] };
  const out = new Map<string, Float32Array>();
  cache.paths.forEach((p, i) => {
    const f = cache.features[i] as number[];
    if (f.length > 0) out.set(p, Float32Array.from(f));
  });
  const seen = new Set(cache.paths);
  const todo = paths.filter((p) => !seen.has(p));
  if (todo.length === 0) return out;
  mkdirSync(dir, { recursive: true });
  const save = () => writeFileSync(file, JSON.stringify(cache));
  const analyzer = await createFaceAnalyzer();
  const t0 = performance.now();
  for (const [k, p] of todo.entries()) {
    const r = await analyzer.analyzePhoto(join(SHARED_DIR, p));
    const best = [...r.faces].sort((a, b) => b.score - a.score)[0];
    // A photo with no face is recorded with empty features so it is not analysed again.
    cache.paths.push(p);
    cache.features.push(best ? Array.from(best.features) : []);
    if (best) out.set(p, best.features);
    if (k % 50 === 49) {
      save();
      console.error(`${name}: ${k + 1}/${todo.length} new (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  save();
  await analyzer.dispose();
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const summary = (xs: number[]) => ({
  mean: Number(mean(xs).toFixed(4)),
  std: Number(std(xs).toFixed(4)),
  values: xs.map((x) => Number(x.toFixed(4))),
});

// --- CelebA people
const celebaRoot = join(SHARED_DIR, 'celeba-people');
const people = readdirSync(celebaRoot)
  .filter((d) => !d.startsWith('.') && !d.endsWith('.md'))
  .sort()
  .slice(0, values.people ? Number(values.people) : undefined);
const celebaPaths = people.flatMap((person) =>
  readdirSync(join(celebaRoot, person))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => `celeba-people/${person}/${f}`),
);
const celeba = await extract('celeba-people', celebaPaths);

// --- LFW dev pairs
const lfwPairs = values['no-lfw']
  ? null
  : parseLfwPairs(readFileSync(join(SHARED_DIR, 'lfw-dev', 'pairs.txt'), 'utf8'));
const lfwPaths = lfwPairs
  ? [...new Set(lfwPairs.pairs.flatMap((p) => [p.a.path, p.b.path]))].map((p) => `lfw-dev/images/${p}`)
  : [];
const lfw = lfwPairs ? await extract('lfw-dev-pairs', lfwPaths) : new Map<string, Float32Array>();

function lfwAccuracy(first: EmbeddingLayer, second: EmbeddingLayer): number {
  if (!lfwPairs) return NaN;
  const usable = lfwPairs.pairs.filter(
    (p) => lfw.has(`lfw-dev/images/${p.a.path}`) && lfw.has(`lfw-dev/images/${p.b.path}`),
  );
  const embed = (layer: EmbeddingLayer, path: string) =>
    layer.embedEach([lfw.get(`lfw-dev/images/${path}`) as Float32Array])[0] as Float32Array;
  const pairs = usable.map((p) => {
    const a = embed(first, p.a.path);
    const b = embed(second, p.b.path);
    let d = 0;
    for (let i = 0; i < a.length; i++) d += ((a[i] as number) - (b[i] as number)) ** 2;
    return { distance: d, same: p.same, fold: p.fold };
  });
  return kFoldAccuracy(pairs).accuracy;
}

const shipped = loadShippedLayer();
const splits = Number(values.splits);
const rows: Record<string, number>[] = [];
const lfwBefore = lfwAccuracy(shipped, shipped);
for (let seed = 1; seed <= splits; seed++) {
  const rng = new Rng(1000 + seed);
  const train: { f: Float32Array[]; l: string[] } = { f: [], l: [] };
  const held: { f: Float32Array[]; l: string[] } = { f: [], l: [] };
  for (const person of people) {
    const mine = rng.shuffle(celebaPaths.filter((p) => p.startsWith(`celeba-people/${person}/`) && celeba.has(p)));
    mine.forEach((p, i) => {
      const target = i < 10 ? train : held;
      target.f.push(celeba.get(p) as Float32Array);
      target.l.push(person);
    });
  }
  const t0 = performance.now();
  const result = new EmbeddingTuner(shipped, {
    ...(values.recipe ? RECOMMENDED_TUNER_OPTIONS : {}),
    ...(values.lr ? { learningRate: Number(values.lr) } : {}),
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
  // BCubed F of nearest-labelled-neighbour assignment of the held-out photos.
  const { ids } = encodeLabels([...held.l, ...train.l]);
  const heldIds = ids.subarray(0, held.l.length);
  const trainIds = ids.subarray(held.l.length);
  const bcubed = (layer: EmbeddingLayer) => {
    const assign = nearestLabelled(
      layer.forward(packFeatures(held.f)).u,
      layer.forward(packFeatures(train.f)).u,
      trainIds,
      layer.outDim,
    );
    return bcubedScores(Array.from(assign), Array.from(heldIds)).f;
  };
  rows.push({
    seed,
    seconds,
    bestEpoch: result.bestEpoch,
    valBefore: e.before.valAtFar,
    valAfter: e.after.valAtFar,
    valCross: e.crossVersionValAtFar,
    bcubedBefore: bcubed(shipped),
    bcubedAfter: bcubed(result.layer),
    changedPerson: e.changedPerson,
    fixed: e.fixed,
    broken: e.broken,
    lfwAfter: lfwAccuracy(result.layer, result.layer),
    lfwCross: lfwAccuracy(shipped, result.layer),
  });
  console.error(JSON.stringify(rows[rows.length - 1]));
}
const col = (k: string) => rows.map((r) => r[k] as number);
console.log(
  JSON.stringify({
    harmonic: !!values.harmonic,
    people: people.length,
    celebaFaces: celeba.size,
    lfwImages: lfw.size,
    splits: rows,
    heldOutValAtFar1e3: {
      before: summary(col('valBefore')),
      after: summary(col('valAfter')),
      crossVersion: summary(col('valCross')),
    },
    heldOutBCubedF: { before: summary(col('bcubedBefore')), after: summary(col('bcubedAfter')) },
    lfwDevAccuracy: { before: lfwBefore, after: summary(col('lfwAfter')), crossVersion: summary(col('lfwCross')) },
    changedPerson: summary(col('changedPerson')),
    tuneSeconds: summary(col('seconds')),
  }),
);

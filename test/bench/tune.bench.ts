/**
 * `npx tsx test/bench/tune.bench.ts`: how long triplet fine-tuning of the embedding layer takes for a
 * typical family library (issue 5's bar: 5,000 confirmed faces x 256-D features in under a minute on 2
 * cores), with the product's recipe (training/recipe.ts). Features are synthetic (see test/helpers/synthetic-features.ts): people in an identity subspace plus
 * strong nuisance, so a random 256 -> 128 layer (standing in for a shipped layer that does not know this
 * family) confuses them and training has real work to do.
 *
 * Prints one JSON object: faces, people, seconds, steps, epochs, stop reason, held-out VAL at FAR 1e-3 before
 * and after (the trainer's own held-out 10%), and ms per step. Options: --faces N (5000), --people N (60),
 * --harmonic, --seed N, --batch N, --patience N, --shipped (start from the real face-api layer instead of a random one).
 */
import { parseArgs } from 'node:util';
import { EmbeddingLayer } from '../../training/embedding-layer.js';
import { loadShippedLayer } from '../../models/convert/faceapi/shipped-layer.js';
import { RECOMMENDED_TUNER_OPTIONS } from '../../training/recipe.js';
import { EmbeddingTuner } from '../../training/trainer.js';
import { syntheticFaces } from '../helpers/synthetic-features.js';

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: '5000' },
    people: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string' },
    patience: { type: 'string' },
    harmonic: { type: 'boolean' },
    shipped: { type: 'boolean' },
  },
});
const faces = Number(values.faces);
const people = Number(values.people);
const { features, labels } = syntheticFaces({
  identities: people,
  facesPerIdentity: (i) => Math.floor(faces / people) + (i < faces % people ? 1 : 0),
  seed: 2,
});
const initial = values.shipped ? loadShippedLayer() : EmbeddingLayer.random(256, 128, 7, 'random-shipped');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const result = new EmbeddingTuner(initial, {
  ...RECOMMENDED_TUNER_OPTIONS,
  seed: Number(values.seed),
  harmonic: values.harmonic,
  batchSize: values.batch ? Number(values.batch) : undefined,
  ...(values.patience ? { patience: Number(values.patience) } : {}),
}).fit(features, labels);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const first = result.history[0]?.heldOut;
const best = result.history[result.bestEpoch]?.heldOut;
console.log(
  JSON.stringify({
    faces: features.rows,
    people,
    dims: [initial.inDim, initial.outDim],
    harmonic: !!values.harmonic,
    seconds: Number(seconds.toFixed(2)),
    // CPU time of this process: wall time on an idle machine (the loop is single-threaded).
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    batchSize: values.batch ? Number(values.batch) : 480,
    steps: result.steps,
    epochs: result.history.length - 1,
    bestEpoch: result.bestEpoch,
    stopReason: result.stopReason,
    msPerStep: Number(((seconds * 1000) / Math.max(1, result.steps)).toFixed(1)),
    heldOutValAtFar1e3: { before: first?.valAtFar, after: best?.valAtFar },
    heldOutCrossVersionValAtFar1e3: values.harmonic ? { after: best?.crossValAtFar } : undefined,
  }),
);

/**
 * EmbeddingTuner: fine-tunes the embedding layer (features -> unit embedding) on the user's confirmed
 * labels with FaceNet's triplet loss, from stored pre-embedding features (no image is decoded).
 *
 *   const tuner = new EmbeddingTuner(loadShippedLayer(), { seed: 1, harmonic: true });
 *   const { layer, history } = tuner.fit(features, labels);
 *
 * One epoch = one pass of identity-balanced batches over the training faces (mining.ts). Per batch: forward,
 * online semi-hard mining (plain, or the harmonic mix of harmonic.ts), triplet loss averaged over the mined
 * triplets, gradients through the normalisation to W and b (triplet-loss.ts), one AdaGrad step
 * (optimizer.ts). After every epoch the held-out faces are scored; training stops after `patience` epochs
 * without improvement and the best layer (possibly the untouched initial one) is returned.
 *
 * Held-out score, compared lexicographically: [VAL at FAR = targetFar, VAL at FAR = 10·targetFar, ROC AUC]
 * over all held-out pairs (the later entries break ties when VAL at a small FAR is stuck, e.g. at 0 on a
 * small held-out set). In harmonic mode an epoch counts only while its cross-version (v1-v2) VAL stays within
 * `crossVersionTolerance` of the start's (v1-v1): the best v2 that old embeddings can still be compared with.
 *
 * Deterministic: the same seed, inputs and options give the same layer bit for bit.
 */
import { calibrateDistanceScale, concentration, matchConcentration } from './calibration.js';
import { EmbeddingLayer } from './embedding-layer.js';
import { encodeLabels, packFeatures, selectRows, type FeatureMatrix } from './features.js';
import { mineHarmonic, type HarmonicKind } from './harmonic.js';
import { type FloatArray, unitDistanceMatrix } from './linalg.js';
import { crossSetPairDistances, pairDistances, rocAucSorted, valAtFarSorted } from './metrics.js';
import { splitForValidation } from './held-out.js';
import { IdentityBalancedSampler, mineSemiHard, type NegativeFallback } from './mining.js';
import { AdaGrad, EarlyStopping } from './optimizer.js';
import { Rng } from '../src-shared/random.js';
import { linearBackward, normalizeBackward, tripletLoss, type LayerGradients, type Triplets } from './triplet-loss.js';

export interface HeldOutScore {
  /** VAL at FAR = targetFar over all held-out pairs (v2-v2). */
  valAtFar: number;
  /** VAL at FAR = 10·targetFar. */
  valAtFar10: number;
  /** ROC AUC over the held-out pairs (tie-breaker when VAL at a small FAR does not move). */
  auc: number;
  /** Harmonic mode: the same figures for cross-version pairs (one face by v1, the other by v2). */
  crossValAtFar?: number;
  crossValAtFar10?: number;
  crossAuc?: number;
}

export interface EpochRecord {
  /** 0 is the untrained baseline. */
  epoch: number;
  /** Optimiser steps so far. */
  steps: number;
  /** Mean hinge per mined triplet over the epoch (0 for the baseline). */
  loss: number;
  triplets: number;
  /** Share of mined triplets with a positive hinge. */
  activeFraction: number;
  /** Share of mined triplets whose negative was semi-hard (the rest came from the fallback rule). */
  semiHardFraction: number;
  learningRate: number;
  heldOut?: HeldOutScore;
  elapsedMs: number;
}

export interface TuneProgress {
  kind: 'step' | 'epoch';
  epoch: number;
  step: number;
  /** Upper bound on the total steps (maxEpochs · steps per epoch, or maxSteps). */
  totalSteps: number;
  /** Mean hinge per triplet of this step ('step') or epoch ('epoch'). */
  loss: number;
  heldOut?: HeldOutScore;
  elapsedMs: number;
}

/** Anything with an `aborted` flag: an AbortSignal, or a shared-memory flag in the worker. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export class TuningCancelledError extends Error {
  constructor() {
    super('tuning cancelled');
    this.name = 'AbortError';
  }
}

export interface TunerOptions {
  /** Triplet margin, squared-L2 units on the unit sphere. Default 0.2 (FaceNet). */
  alpha?: number;
  /** AdaGrad initial learning rate, relative to unit-RMS weights (optimizer.ts). Default 0.05. */
  learningRate?: number;
  /** Optimiser steps after which the learning rate has halved. Default 250. */
  learningRateHalfLife?: number;
  /** Most epochs. Default 30. */
  maxEpochs?: number;
  /** Most optimiser steps overall. Default unlimited. */
  maxSteps?: number;
  /**
   * Wall-clock budget in seconds, checked after every step; when spent, training stops and the best layer
   * so far is returned (stopReason 'time-limit'). Default unlimited.
   */
  maxSeconds?: number;
  /** Epochs without held-out improvement before stopping. Default 4. */
  patience?: number;
  /**
   * Faces per batch (identity chunks plus random faces). Default 480: about ten identities of 40 faces plus
   * random faces (FaceNet used ~1,800 on millions of faces; a family library has far fewer people, and the
   * per-step cost grows with the square of the batch).
   */
  batchSize?: number;
  /** Most faces of one identity per batch. Default 40. */
  facesPerIdentity?: number;
  /** Share of each batch that is random faces of other identities. Default 0.1. */
  randomFaceFraction?: number;
  /** Rule for pairs without a semi-hard negative (mining.ts). Default 'least-hard'. */
  negativeFallback?: NegativeFallback;
  /** Share of each identity's faces held out for early stopping (held-out.ts splitForValidation; 0 disables it). Default 0.1. */
  validationFraction?: number;
  /** Cap on held-out faces (pairs grow quadratically). Default 1000. */
  maxValidationFaces?: number;
  /** FAR at which held-out VAL is scored. Default 1e-3. */
  targetFar?: number;
  /** RNG seed (batches, mining, held-out split). Default 1. */
  seed?: number;
  /** Harmonic mode: keep v2 comparable with `reference` (harmonic.ts). Default false. */
  harmonic?: boolean;
  /**
   * L2 penalty pulling (W, b) toward the initial layer: loss += anchorWeight/2 · ||W - W0||^2 in the unit-RMS
   * parameterisation (each weight ~1), so fine-tuning stays a small correction of the converged layer.
   * Default 0 (off).
   */
  anchorWeight?: number;
  /**
   * Weight-space ensembling (WiSE-FT, Wortsman et al. 2022): the layer returned is initial + t·(best -
   * initial) for t = interpolation, with best the layer early stopping chose. Fine-tuning on a few hundred labels
   * moves the layer toward those people; interpolating keeps most of that gain while staying closer to the
   * shipped layer on people never labelled and to embeddings not yet re-embedded. Default 1 (the trained layer).
   */
  interpolation?: number;
  /**
   * Squared-L2 threshold the library clusters with: when set, the returned layer is calibrated so that it
   * accepts as many different-person pairs of the labels at this distance as `reference` does
   * (calibration.ts), and the threshold keeps its meaning. Default: no calibration.
   */
  calibrationThreshold?: number;
  /**
   * Harmonic mode: how far held-out cross-version VAL at targetFar (one face by v1, the other by v2) may fall
   * below its starting value for an epoch to be chosen. Default 0.005.
   */
  crossVersionTolerance?: number;
  /** v1 for harmonic mode and calibration. Default: the initial layer. */
  reference?: EmbeddingLayer;
  /** Id of the returned layer. Default `${initial.id}+tuned`. */
  id?: string;
  onProgress?: (p: TuneProgress) => void;
  /** Checked before every step; when aborted, fit throws TuningCancelledError. */
  signal?: CancelSignal;
}

export interface TuneResult {
  /** The best layer on the held-out score (the initial layer if training never beat it). */
  layer: EmbeddingLayer;
  history: EpochRecord[];
  bestEpoch: number;
  stopReason: 'early-stopping' | 'max-epochs' | 'max-steps' | 'time-limit';
  steps: number;
  elapsedMs: number;
  /** Distance-scale calibration applied to the layer (calibrationThreshold set and the layer trained). */
  calibration?: { beta: number; rank: number; targetDistance: number };
  /** Held-out set used for early stopping (indices into the fit() input). */
  heldOutIndices: number[];
}

/** Training faces the held-out faces are scored against, at most (scoreHeldOut). */
export const MAX_SCORING_REFERENCE = 1000;

type Required2<T> = { [K in keyof T]-?: T[K] };
type Resolved = Required2<Omit<TunerOptions, 'reference' | 'onProgress' | 'signal' | 'id' | 'calibrationThreshold'>>;

export class EmbeddingTuner {
  readonly initial: EmbeddingLayer;
  readonly options: Resolved;
  private readonly extra: Pick<TunerOptions, 'reference' | 'onProgress' | 'signal' | 'id' | 'calibrationThreshold'>;

  constructor(initial: EmbeddingLayer, options: TunerOptions = {}) {
    this.initial = initial;
    this.options = {
      alpha: options.alpha ?? 0.2,
      learningRate: options.learningRate ?? 0.05,
      learningRateHalfLife: options.learningRateHalfLife ?? 250,
      maxEpochs: options.maxEpochs ?? 30,
      maxSteps: options.maxSteps ?? Infinity,
      maxSeconds: options.maxSeconds ?? Infinity,
      patience: options.patience ?? 4,
      batchSize: options.batchSize ?? 480,
      facesPerIdentity: options.facesPerIdentity ?? 40,
      randomFaceFraction: options.randomFaceFraction ?? 0.1,
      negativeFallback: options.negativeFallback ?? 'least-hard',
      validationFraction: options.validationFraction ?? 0.1,
      maxValidationFaces: options.maxValidationFaces ?? 1000,
      targetFar: options.targetFar ?? 1e-3,
      seed: options.seed ?? 1,
      harmonic: options.harmonic ?? false,
      anchorWeight: options.anchorWeight ?? 0,
      interpolation: options.interpolation ?? 1,
      crossVersionTolerance: options.crossVersionTolerance ?? 0.005,
    };
    if (!(this.options.interpolation > 0 && this.options.interpolation <= 1))
      throw new RangeError(`interpolation must be in (0, 1], got ${this.options.interpolation}`);
    this.extra = {
      reference: options.reference,
      onProgress: options.onProgress,
      signal: options.signal,
      id: options.id,
      calibrationThreshold: options.calibrationThreshold,
    };
  }

  fit(features: readonly ArrayLike<number>[] | FeatureMatrix, labels: readonly (string | number)[]): TuneResult {
    const t0 = performance.now();
    const o = this.options;
    // One seeded stream, in this order: the held-out split, then every epoch's batches and mining.
    const rng = new Rng(o.seed);
    const faces = this.splitFaces(features, labels, rng);
    const work = unitRmsCopy(this.initial);
    const reference = this.extra.reference ?? this.initial;
    const v1 = o.harmonic ? frozenV1(reference, faces) : null;
    const run: FitRun = {
      t0,
      rng,
      faces,
      work,
      reference,
      v1,
      sampler: new IdentityBalancedSampler({
        batchSize: o.batchSize,
        facesPerIdentity: o.facesPerIdentity,
        randomFaceFraction: o.randomFaceFraction,
      }),
      optimizer: new AdaGrad({ learningRate: o.learningRate, learningRateHalfLife: o.learningRateHalfLife }),
      stopper: new EarlyStopping<EmbeddingLayer>({ patience: o.patience }),
      history: [],
      score: this.heldOutScorer(faces, v1, work.layer.outDim),
      snapshot: () => exportLayer(work.layer, work.scale, this.extra.id ?? `${this.initial.id}+tuned`),
      crossFloor: -Infinity,
      steps: 0,
    };
    this.observeBaseline(run);
    const stopReason = this.trainEpochs(run);
    return this.assembleResult(run, labels, stopReason);
  }

  /** Checks and packs the input, and splits it into training faces and held-out faces (held-out.ts). */
  private splitFaces(
    features: readonly ArrayLike<number>[] | FeatureMatrix,
    labels: readonly (string | number)[],
    rng: Rng,
  ): SplitFaces {
    const o = this.options;
    const all = packFeatures(features);
    if (all.rows !== labels.length) throw new RangeError(`${all.rows} feature rows but ${labels.length} labels`);
    if (all.cols !== this.initial.inDim)
      throw new RangeError(`features are ${all.cols}-D, layer expects ${this.initial.inDim}`);
    const { ids } = encodeLabels(labels);
    const { train: trainIdx, heldOut: heldIdx } = splitForValidation(
      ids,
      o.validationFraction,
      o.maxValidationFaces,
      rng,
    );
    return {
      all,
      train: selectRows(all, trainIdx),
      trainLabels: Int32Array.from(trainIdx, (i) => ids[i] as number),
      held: heldIdx.length > 1 ? selectRows(all, heldIdx) : null,
      heldLabels: Int32Array.from(heldIdx, (i) => ids[i] as number),
      heldIdx,
    };
  }

  /**
   * The held-out score of a layer (undefined without held-out faces). Held-out faces are scored against at
   * most MAX_SCORING_REFERENCE training faces (a fixed random subset): every epoch sorts held x reference
   * distances, which must stay well under a second for 5,000 faces.
   */
  private heldOutScorer(
    faces: SplitFaces,
    v1: FrozenV1 | null,
    d: number,
  ): (layer: EmbeddingLayer) => HeldOutScore | undefined {
    const o = this.options;
    const { train, trainLabels, held, heldLabels } = faces;
    const refRows =
      train.rows <= MAX_SCORING_REFERENCE
        ? null
        : new Rng(o.seed + 1).shuffle(Array.from({ length: train.rows }, (_, i) => i)).slice(0, MAX_SCORING_REFERENCE);
    const v1Train = v1?.train ?? null;
    const scoringReference = refRows
      ? {
          features: selectRows(train, refRows),
          labels: Int32Array.from(refRows, (r) => trainLabels[r] as number),
          v1: v1Train ? gatherRows(v1Train, Int32Array.from(refRows), d) : null,
        }
      : { features: train, labels: trainLabels, v1: v1Train };
    const v1Held = v1?.held ?? null;
    return (layer) => (held ? scoreHeldOut(layer, held, heldLabels, scoringReference, o.targetFar, v1Held) : undefined);
  }

  /** Epoch 0: the untouched layer is scored and is the best so far, so tuning never returns a worse one. */
  private observeBaseline(run: FitRun): void {
    const baseline = run.score(run.work.layer);
    run.history.push({
      epoch: 0,
      steps: 0,
      loss: 0,
      triplets: 0,
      activeFraction: 0,
      semiHardFraction: 0,
      learningRate: 0,
      heldOut: baseline,
      elapsedMs: performance.now() - run.t0,
    });
    run.crossFloor = (baseline?.crossValAtFar ?? -Infinity) - this.options.crossVersionTolerance;
    if (baseline) run.stopper.observe(0, scoreTuple(baseline, run.crossFloor), run.snapshot);
  }

  /** Epochs until a stopping rule fires; returns which. */
  private trainEpochs(run: FitRun): TuneResult['stopReason'] {
    const o = this.options;
    let estimatedStepsPerEpoch = 0;
    for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
      const batches = run.sampler.epoch(run.faces.trainLabels, run.rng);
      estimatedStepsPerEpoch ||= batches.length;
      const totalSteps = Math.min(o.maxSteps, o.maxEpochs * estimatedStepsPerEpoch);
      const learningRate = run.optimizer.currentLearningRate();
      const totals = this.trainEpoch(run, batches, epoch, totalSteps);
      if (run.v1)
        run.work.layer.bias.set(matchConcentration(run.work.layer, run.faces.train, run.v1.concentration).bias);
      const heldOut = run.score(run.work.layer);
      this.recordEpoch(run, epoch, totals, learningRate, heldOut, totalSteps);
      const stop = this.stopReason(run, epoch, heldOut);
      if (stop) return stop;
    }
    return 'max-epochs';
  }

  /** One pass over the epoch's batches, one optimiser step each, until maxSteps or the time limit. */
  private trainEpoch(run: FitRun, batches: readonly Int32Array[], epoch: number, totalSteps: number): EpochTotals {
    const totals: EpochTotals = { loss: 0, triplets: 0, active: 0, semiHard: 0 };
    for (const batch of batches) {
      if (run.steps >= this.options.maxSteps || this.outOfTime(run)) break;
      if (this.extra.signal?.aborted) throw new TuningCancelledError();
      const step = this.trainStep(run, batch);
      run.steps++;
      if (!step) continue;
      totals.loss += step.loss;
      totals.triplets += step.triplets;
      totals.active += step.active;
      totals.semiHard += step.semiHard;
      this.extra.onProgress?.({
        kind: 'step',
        epoch,
        step: run.steps,
        totalSteps,
        loss: step.loss * (1 / step.triplets),
        elapsedMs: performance.now() - run.t0,
      });
    }
    return totals;
  }

  /** Forward, mining, triplet loss and gradients, one optimiser step; null when the batch mined no triplet. */
  private trainStep(run: FitRun, batch: Int32Array): EpochTotals | null {
    const o = this.options;
    const { work } = run;
    const d = work.layer.outDim;
    const x = selectRows(run.faces.train, batch);
    const fwd = work.layer.forward(x);
    const mined = this.mineBatch(run, fwd.u, x.rows, batch);
    const count = mined.triplets.anchor.length;
    if (count === 0) return null;
    const { loss, active, gradU } = tripletLoss(mined.table, d, mined.triplets, o.alpha);
    // Mean over triplets: step sizes do not depend on how many pairs a batch happens to have.
    const inv = 1 / count;
    for (let i = 0; i < x.rows * d; i++) gradU[i] = (gradU[i] as number) * inv;
    this.applyGradients(run, linearBackward(x, normalizeBackward(fwd, gradU, d), d));
    return { loss, triplets: count, active, semiHard: mined.semiHard };
  }

  /** Online mining on the batch's embeddings: semi-hard (mining.ts), or harmonic mode's mix (harmonic.ts). */
  private mineBatch(
    run: FitRun,
    u: Float64Array,
    rows: number,
    batch: Int32Array,
  ): { table: Float64Array; triplets: Triplets; semiHard: number } {
    const o = this.options;
    const d = run.work.layer.outDim;
    const labels = Int32Array.from(batch, (i) => run.faces.trainLabels[i] as number);
    const mining = { alpha: o.alpha, fallback: o.negativeFallback };
    if (run.v1) {
      const h = mineHarmonic(u, gatherRows(run.v1.train, batch, d), labels, d, run.rng, mining);
      const semiHard = (Object.keys(h.stats) as HarmonicKind[]).reduce((s, k) => s + h.stats[k].semiHard, 0);
      return { table: h.table, triplets: h.triplets, semiHard };
    }
    const m = mineSemiHard(unitDistanceMatrix(u, rows, u, rows, d), labels, run.rng, mining);
    return { table: u, triplets: m, semiHard: m.stats.semiHard };
  }

  /** The anchor's pull (anchorWeight), then one AdaGrad step on W and b. */
  private applyGradients(run: FitRun, grad: LayerGradients): void {
    const o = this.options;
    const { layer, w0, b0 } = run.work;
    if (o.anchorWeight > 0) {
      addPull(grad.weights, layer.weights, w0, o.anchorWeight);
      addPull(grad.bias, layer.bias, b0, o.anchorWeight);
    }
    run.optimizer.step(layer.weights, grad.weights);
    run.optimizer.step(layer.bias, grad.bias);
    run.optimizer.endStep();
  }

  /** The epoch's history entry and progress message. */
  private recordEpoch(
    run: FitRun,
    epoch: number,
    totals: EpochTotals,
    learningRate: number,
    heldOut: HeldOutScore | undefined,
    totalSteps: number,
  ): void {
    const { triplets } = totals;
    const record: EpochRecord = {
      epoch,
      steps: run.steps,
      loss: triplets ? totals.loss / triplets : 0,
      triplets,
      activeFraction: triplets ? totals.active / triplets : 0,
      semiHardFraction: triplets ? totals.semiHard / triplets : 0,
      learningRate,
      heldOut,
      elapsedMs: performance.now() - run.t0,
    };
    run.history.push(record);
    this.extra.onProgress?.({
      kind: 'epoch',
      epoch,
      step: run.steps,
      totalSteps,
      loss: record.loss,
      heldOut,
      elapsedMs: record.elapsedMs,
    });
  }

  /** After an epoch: early stopping on the held-out score (keeping the best layer), maxSteps, the time limit. */
  private stopReason(run: FitRun, epoch: number, heldOut: HeldOutScore | undefined): TuneResult['stopReason'] | null {
    if (heldOut) {
      run.stopper.observe(epoch, scoreTuple(heldOut, run.crossFloor), run.snapshot);
      if (run.stopper.shouldStop) return 'early-stopping';
    }
    if (run.steps >= this.options.maxSteps) return 'max-steps';
    if (this.outOfTime(run)) return 'time-limit';
    return null;
  }

  private outOfTime(run: FitRun): boolean {
    return performance.now() - run.t0 > this.options.maxSeconds * 1000;
  }

  /** The layer returned (best epoch, WiSE-FT interpolation, calibration) and the run's record. */
  private assembleResult(
    run: FitRun,
    labels: readonly (string | number)[],
    stopReason: TuneResult['stopReason'],
  ): TuneResult {
    const o = this.options;
    const best = run.stopper.best;
    const chosen = best ? best.value : run.snapshot();
    const trained =
      o.interpolation === 1 || best?.epoch === 0 ? chosen : interpolateLayer(this.initial, chosen, o.interpolation);
    // An untrained layer (best epoch 0) needs no calibration. It is calibrated on every labelled face given
    // (training and early-stopping faces): more pairs, same people.
    const calibration =
      this.extra.calibrationThreshold === undefined || best?.epoch === 0
        ? undefined
        : calibrateDistanceScale(
            trained,
            run.reference,
            run.faces.all,
            labels,
            this.extra.calibrationThreshold,
            o.seed,
          );
    return {
      layer: calibration ? calibration.layer : trained,
      calibration: calibration && {
        beta: calibration.beta,
        rank: calibration.rank,
        targetDistance: calibration.targetDistance,
      },
      history: run.history,
      bestEpoch: best ? best.epoch : (run.history[run.history.length - 1] as EpochRecord).epoch,
      stopReason,
      steps: run.steps,
      elapsedMs: performance.now() - run.t0,
      heldOutIndices: run.faces.heldIdx,
    };
  }
}

/** The labelled faces of one fit(), split for early stopping (held-out.ts splitForValidation). */
interface SplitFaces {
  /** Every face given: calibration uses them all. */
  all: FeatureMatrix;
  train: FeatureMatrix;
  trainLabels: Int32Array;
  /** Null with fewer than 2 held-out faces: nothing to score, no early stopping. */
  held: FeatureMatrix | null;
  heldLabels: Int32Array;
  /** Indices into the fit() input (TuneResult.heldOutIndices). */
  heldIdx: number[];
}

/** The layer being trained: float64 master weights in unit-RMS units (optimizer.ts), and where it started. */
interface WorkingLayer {
  layer: EmbeddingLayer;
  /** Trained layer = layer / scale (exportLayer). */
  scale: number;
  /** Starting weights and bias, unit-RMS units: anchorWeight pulls toward them. */
  w0: Float64Array;
  b0: Float64Array;
}

/** Harmonic mode: the frozen v1 (`reference`) embeddings of the training and held-out faces. */
interface FrozenV1 {
  train: Float64Array;
  held: Float64Array | null;
  /**
   * v1's overall spread: v2's is reset to it after every epoch (calibration.ts). The triplet loss spreads v2,
   * which no harmonic triplet resists, and every v1-v2 distance then grows with it.
   */
  concentration: number;
}

/** Sums over an epoch's steps (or one step's figures): loss, triplets mined, active and semi-hard triplets. */
interface EpochTotals {
  loss: number;
  triplets: number;
  active: number;
  semiHard: number;
}

/** What one fit() works with: built by fit(), read and advanced by its steps. */
interface FitRun {
  readonly t0: number;
  readonly rng: Rng;
  readonly faces: SplitFaces;
  readonly work: WorkingLayer;
  /** v1 for harmonic mode and calibration. */
  readonly reference: EmbeddingLayer;
  readonly v1: FrozenV1 | null;
  readonly sampler: IdentityBalancedSampler;
  readonly optimizer: AdaGrad;
  readonly stopper: EarlyStopping<EmbeddingLayer>;
  readonly history: EpochRecord[];
  readonly score: (layer: EmbeddingLayer) => HeldOutScore | undefined;
  /** The working layer as a trained layer, in the initial layer's units. */
  readonly snapshot: () => EmbeddingLayer;
  /** Harmonic: the cross-version VAL an epoch must keep to be chosen (scoreTuple); set by the baseline. */
  crossFloor: number;
  /** Optimiser steps so far (a batch that mined no triplet counts too). */
  steps: number;
}

/** Float64 master weights rescaled to unit RMS: the embeddings do not change, the learning rate gets units. */
function unitRmsCopy(initial: EmbeddingLayer): WorkingLayer {
  const scale = unitRmsScale(initial.weights);
  const layer = initial.clone('float64');
  for (let i = 0; i < layer.weights.length; i++) layer.weights[i] = (layer.weights[i] as number) * scale;
  for (let i = 0; i < layer.bias.length; i++) layer.bias[i] = (layer.bias[i] as number) * scale;
  return { layer, scale, w0: Float64Array.from(layer.weights), b0: Float64Array.from(layer.bias) };
}

function frozenV1(reference: EmbeddingLayer, faces: SplitFaces): FrozenV1 {
  return {
    train: reference.forward(faces.train).u,
    held: faces.held ? reference.forward(faces.held).u : null,
    concentration: concentration(reference, faces.train),
  };
}

/**
 * The held-out score early stopping compares. Harmonic: an epoch whose cross-version VAL fell more than
 * `tolerance` below `crossFloor` ranks below every compatible one (first entry 0 vs 1). The mean of the v2-v2
 * and cross figures, tried first, let cross-version VAL fall steadily while v2-v2 rose slowly, and stopped
 * at epoch 0-2 on celeba-people.
 */
function scoreTuple(s: HeldOutScore, crossFloor = -Infinity): number[] {
  const own = [s.valAtFar, s.valAtFar10, s.auc];
  if (s.crossValAtFar === undefined) return own;
  return [s.crossValAtFar >= crossFloor ? 1 : 0, ...own];
}

/**
 * Held-out faces are scored against each other and against every training face: the app matches a new face
 * against the confirmed ones, and the pairs with training faces give ~10x more same-person pairs than the
 * held-out faces alone (2 per person: VAL moved in steps of 1/91 on celeba-people, so early stopping saw
 * plateaus and stopped after one epoch while held-out VAL was still rising for 20 more).
 */
function scoreHeldOut(
  layer: EmbeddingLayer,
  held: FeatureMatrix,
  labels: Int32Array,
  train: { features: FeatureMatrix; labels: Int32Array; v1: Float64Array | null },
  targetFar: number,
  v1: Float64Array | null,
): HeldOutScore {
  const d = layer.outDim;
  const u = layer.forward(held).u;
  const ut = layer.forward(train.features).u;
  const pairs = crossSetPairDistances(u, labels, ut, train.labels, d, pairDistances(u, u, labels, d));
  const s: HeldOutScore = {
    valAtFar: valAtFarSorted(pairs, targetFar),
    valAtFar10: valAtFarSorted(pairs, targetFar * 10),
    auc: rocAucSorted(pairs),
  };
  if (v1 && train.v1) {
    // Cross-version pairs: held-out faces by v1 against held-out faces by v2, and held-out faces by v2
    // against the training faces by v1 (a new face among the old library).
    const cross = crossSetPairDistances(u, labels, train.v1, train.labels, d, pairDistances(v1, u, labels, d));
    s.crossValAtFar = valAtFarSorted(cross, targetFar);
    s.crossValAtFar10 = valAtFarSorted(cross, targetFar * 10);
    s.crossAuc = rocAucSorted(cross);
  }
  return s;
}

function unitRmsScale(w: FloatArray): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += (w[i] as number) ** 2;
  const rms = Math.sqrt(s / Math.max(1, w.length));
  return rms > 0 && Number.isFinite(rms) ? 1 / rms : 1;
}

function exportLayer(work: EmbeddingLayer, scale: number, id: string): EmbeddingLayer {
  const w = new Float32Array(work.weights.length);
  for (let i = 0; i < w.length; i++) w[i] = (work.weights[i] as number) / scale;
  const b = new Float32Array(work.bias.length);
  for (let i = 0; i < b.length; i++) b[i] = (work.bias[i] as number) / scale;
  return new EmbeddingLayer({ inDim: work.inDim, outDim: work.outDim, weights: w, bias: b, id });
}

/** initial + t·(trained - initial), for weights and bias. */
function interpolateLayer(initial: EmbeddingLayer, trained: EmbeddingLayer, t: number): EmbeddingLayer {
  const mix = (w: FloatArray, w0: FloatArray) => Float32Array.from(w0, (v, i) => v + t * ((w[i] as number) - v));
  return new EmbeddingLayer({
    inDim: trained.inDim,
    outDim: trained.outDim,
    weights: mix(trained.weights, initial.weights),
    bias: mix(trained.bias, initial.bias),
    id: trained.id,
  });
}

/** grad += lambda · (w - w0): the gradient of lambda/2 · ||w - w0||^2. */
function addPull(grad: Float64Array, w: FloatArray, w0: Float64Array, lambda: number): void {
  for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) + lambda * ((w[i] as number) - (w0[i] as number));
}

function gatherRows(table: Float64Array, rows: Int32Array, d: number): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out.set(table.subarray(r * d, (r + 1) * d), i * d);
  }
  return out;
}

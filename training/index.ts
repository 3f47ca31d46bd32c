/** Metric learning for the embedding layer: the public surface of training/. */
export { EmbeddingLayer, LAYER_FORMAT_VERSION, type EmbeddingLayerJson } from './embedding-layer.js';
export { packFeatures, type FeatureMatrix } from './features.js';
export { DEFAULT_ALPHA, tripletLoss, tripletLossAndGradients, type Triplets } from './triplet-loss.js';
export { IdentityBalancedSampler, mineSemiHard, type NegativeFallback } from './mining.js';
export { AdaGrad, EarlyStopping } from './optimizer.js';
export { HARMONIC_KINDS, mineHarmonic } from './harmonic.js';
export {
  EmbeddingTuner,
  TuningCancelledError,
  type EpochRecord,
  type TuneProgress,
  type TuneResult,
  type TunerOptions,
} from './trainer.js';
export { evaluateTuning, type TuningEvaluation } from './evaluate.js';
export { pairDistances, valAtFarSorted } from './metrics.js';

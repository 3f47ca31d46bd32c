/**
 * The faces the trainer sets aside for early stopping: its progress reports a "held-out VAL" measured on them
 * alone, so the progress carries their number (how much that figure rests on). Computed with the trainer's own
 * split (training/held-out.ts splitForValidation) and resolved options, so it is the very split the run makes.
 */
import type { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { encodeLabels } from '../../../training/features.js';
import { Rng } from '../../../src-shared/random.js';
import { splitForValidation } from '../../../training/held-out.js';
import { EmbeddingTuner, type TunerOptions } from '../../../training/trainer.js';

export interface ValidationSample {
  faces: number;
  people: number;
}

export function validationSample(
  initial: EmbeddingLayer,
  options: TunerOptions,
  labels: readonly number[],
): ValidationSample {
  const o = new EmbeddingTuner(initial, options).options;
  const { ids } = encodeLabels(labels);
  const { heldOut } = splitForValidation(ids, o.validationFraction, o.maxValidationFaces, new Rng(o.seed));
  return { faces: heldOut.length, people: new Set(heldOut.map((i) => ids[i])).size };
}

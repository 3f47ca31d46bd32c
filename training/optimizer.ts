/**
 * AdaGrad (Duchi et al. 2011), FaceNet's optimiser, and early stopping on held-out faces.
 *
 * Update per parameter w with gradient g:  G += g^2;  w -= lr_t · g / (sqrt(G) + epsilon).
 * Learning rate: lr_t = learningRate · 0.5^(t / learningRateHalfLife) after t optimiser steps (FaceNet:
 * "initial learning rate 0.05, decayed"). The decay is counted in steps, not epochs, so a small library
 * (few steps per epoch) is not starved; AdaGrad's growing G shrinks steps further.
 * Units: AdaGrad's first step moves every parameter by about lr in absolute terms, so the trainer expresses
 * the layer with unit RMS weights first (allowed because the normalised output is invariant to scaling W and
 * b together): lr = 0.05 then means "5% of a typical weight".
 */
import type { FloatArray } from './linalg.js';

export interface AdaGradOptions {
  /** Initial learning rate (see the file comment for units). Default 0.05. */
  learningRate?: number;
  /** Optimiser steps after which the learning rate has halved. Default 250. */
  learningRateHalfLife?: number;
  /** Added to sqrt(G) to avoid dividing by zero. Default 1e-8. */
  epsilon?: number;
}

export class AdaGrad {
  readonly learningRate: number;
  readonly learningRateHalfLife: number;
  readonly epsilon: number;
  private readonly accumulators = new Map<FloatArray, Float64Array>();
  private t = 0;

  constructor(options: AdaGradOptions = {}) {
    this.learningRate = options.learningRate ?? 0.05;
    this.learningRateHalfLife = options.learningRateHalfLife ?? 250;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  /** The learning rate in force for the current step. */
  currentLearningRate(): number {
    return this.learningRate * 0.5 ** (this.t / this.learningRateHalfLife);
  }

  /** Call once after every optimiser step (after updating all parameter arrays of the step). */
  endStep(): void {
    this.t++;
  }

  /** Applies one update to `params` in place (the accumulator is keyed by the params array). */
  step(params: FloatArray, grad: Float64Array): void {
    if (params.length !== grad.length) throw new RangeError('parameter and gradient sizes differ');
    let acc = this.accumulators.get(params);
    if (!acc) {
      acc = new Float64Array(params.length);
      this.accumulators.set(params, acc);
    }
    const lr = this.currentLearningRate();
    const eps = this.epsilon;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i] as number;
      if (g === 0) continue;
      const G = (acc[i] as number) + g * g;
      acc[i] = G;
      params[i] = (params[i] as number) - (lr * g) / (Math.sqrt(G) + eps);
    }
  }
}

export interface EarlyStoppingOptions {
  /** Epochs without improvement before stopping. Default 4. */
  patience?: number;
}

/**
 * Tracks a held-out score (a tuple compared lexicographically, larger is better) and says when to stop.
 * The first `observe` is the untrained baseline, so a run that never improves on it returns the initial
 * layer: tuning can never make the held-out figure worse than the shipped model.
 */
export class EarlyStopping<T> {
  readonly patience: number;
  best: { score: number[]; epoch: number; value: T } | null = null;
  private sinceBest = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.patience = options.patience ?? 4;
  }

  /** Records an epoch's score; returns true when this is a new best. */
  observe(epoch: number, score: number[], value: () => T): boolean {
    if (!this.best || lexGreater(score, this.best.score)) {
      this.best = { score, epoch, value: value() };
      this.sinceBest = 0;
      return true;
    }
    this.sinceBest++;
    return false;
  }

  get shouldStop(): boolean {
    return this.sinceBest >= this.patience;
  }
}

export function lexGreater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -Infinity;
    const y = b[i] ?? -Infinity;
    if (x > y) return true;
    if (x < y) return false;
  }
  return false;
}

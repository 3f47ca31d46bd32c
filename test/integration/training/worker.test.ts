import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { EmbeddingTuner } from '../../../training/trainer.js';
import { tuneInWorker } from '../../../training/worker.js';
import { syntheticFaces } from '../../helpers/synthetic-features.js';

const { features, labels } = syntheticFaces({
  identities: 20,
  facesPerIdentity: 16,
  dim: 64,
  identityDims: 8,
  seed: 9,
});
const shipped = EmbeddingLayer.random(64, 32, 4, 'shipped');
const options = { batchSize: 160, facesPerIdentity: 16, seed: 2, maxEpochs: 3 };

describe('tuneInWorker', () => {
  it('trains in a worker thread with progress messages, giving the same layer as in-process', async () => {
    const progress: number[] = [];
    const result = await tuneInWorker(shipped, features, labels, options, {
      onProgress: (_p, tid) => progress.push(tid),
    });
    expect(result.threadId).not.toBe(threadId);
    expect(result.threadId).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(3);
    expect(new Set(progress)).toEqual(new Set([result.threadId]));
    const local = new EmbeddingTuner(shipped, options).fit(features, labels);
    expect(Buffer.from(result.layer.toBinary()).equals(Buffer.from(local.layer.toBinary()))).toBe(true);
    expect(result.history.length).toBe(local.history.length);
  });

  it('can be cancelled mid-run: rejects with AbortError well before the run would end', async () => {
    const controller = new AbortController();
    let steps = 0;
    const t0 = performance.now();
    const run = tuneInWorker(
      shipped,
      features,
      labels,
      { ...options, maxEpochs: 100_000, patience: 100_000 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.kind === 'step' && ++steps === 3) controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(steps).toBeGreaterThanOrEqual(3);
    expect(steps).toBeLessThan(50); // the worker stopped at the next step check, not much later
    expect(performance.now() - t0).toBeLessThan(20_000);
  });
});

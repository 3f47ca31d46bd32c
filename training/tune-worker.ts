/**
 * The tuning worker's entry point (started by tuneInWorker in worker.ts): runs EmbeddingTuner.fit on the
 * input it was given and posts progress, the result or the error back. A separate entry, not worker.ts
 * itself, so that the app can bundle it on its own (vite.app.config.ts) and load it from the package.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { EmbeddingLayer } from './embedding-layer.js';
import { EmbeddingTuner, TuningCancelledError } from './trainer.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

function runWorker(input: WorkerInput): void {
  const port = parentPort;
  if (!port) return;
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const signal = {
      get aborted() {
        return Atomics.load(input.cancel, 0) === 1;
      },
    };
    const tuner = new EmbeddingTuner(EmbeddingLayer.fromBinary(input.layer), {
      ...input.options,
      reference: input.reference ? EmbeddingLayer.fromBinary(input.reference) : undefined,
      signal,
      onProgress: (progress) => post({ type: 'progress', progress, threadId }),
    });
    const { layer, ...result } = tuner.fit(input.features, input.labels);
    post({ type: 'done', layer: layer.toBinary(), result, threadId });
  } catch (e) {
    if (e instanceof TuningCancelledError) post({ type: 'cancelled' });
    else
      post({
        type: 'error',
        message: e instanceof Error ? e.message : String(e),
        stack: e instanceof Error ? e.stack : undefined,
      });
  }
}

if ((workerData as Partial<WorkerInput> | null)?.facenetTune === true) runWorker(workerData as WorkerInput);

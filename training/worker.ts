/**
 * Runs EmbeddingTuner.fit in a worker thread (node:worker_threads) so the app's main process stays
 * responsive: progress comes back as messages, and cancel works even though fit() is one synchronous loop:
 * the cancel flag lives in a SharedArrayBuffer that the worker's loop reads before every step.
 *
 *   const controller = new AbortController();
 *   const result = await tuneInWorker(shipped, features, labels, { seed: 1 }, {
 *     onProgress: (p) => ..., signal: controller.signal });
 *
 * On cancel the promise rejects with an Error named 'AbortError' and the worker is terminated. The worker's
 * entry point is tune-worker.ts, a sibling of this module in every form it runs in: sources (tests, `tsx`:
 * the worker first registers tsx's loader), tsc's dist/training/, and the app's bundle (dist/app/workers/,
 * vite.app.config.ts), where this code sits in a chunk next to the bundled tune-worker.js.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EmbeddingLayer } from './embedding-layer.js';
import { packFeatures, type FeatureMatrix } from './features.js';
import { TuningCancelledError, type TuneProgress, type TuneResult, type TunerOptions } from './trainer.js';

/** Tuner options that can cross a thread boundary (no functions, no signal; layers as binary). */
export type WorkerTunerOptions = Omit<TunerOptions, 'onProgress' | 'signal' | 'reference'>;

export interface WorkerInput {
  facenetTune: true;
  layer: Uint8Array;
  reference?: Uint8Array;
  features: { data: Float32Array; rows: number; cols: number };
  labels: (string | number)[];
  options: WorkerTunerOptions;
  cancel: Int32Array;
}

export type WorkerMessage =
  | { type: 'progress'; progress: TuneProgress; threadId: number }
  | { type: 'done'; layer: Uint8Array; result: Omit<TuneResult, 'layer'>; threadId: number }
  | { type: 'cancelled' }
  | { type: 'error'; message: string; stack?: string };

export interface WorkerTuneResult extends TuneResult {
  /** The worker's thread id (never 0, the main thread's). */
  threadId: number;
}

export interface WorkerControl {
  /** Called for every progress message; `threadId` is the worker's. */
  onProgress?: (p: TuneProgress, threadId: number) => void;
  signal?: AbortSignal;
  /** v1 for harmonic mode (default: the initial layer). */
  reference?: EmbeddingLayer;
}

/** The worker entry's file name next to this module (a variable, so that bundlers leave the URL alone). */
const ENTRY_JS = './tune-worker.js';
const ENTRY_TS = './tune-worker.ts';

function workerBootstrap(): { code: string; eval: true } | { file: URL } {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return { file: new URL(ENTRY_JS, self) };
  const entry = new URL(ENTRY_TS, self).href;
  const tsxDir = dirname(createRequire(self).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  return {
    code: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

/** Trains in a worker thread; resolves with the result, rejects with an AbortError when `signal` aborts. */
export function tuneInWorker(
  initial: EmbeddingLayer,
  features: readonly ArrayLike<number>[] | FeatureMatrix,
  labels: readonly (string | number)[],
  options: WorkerTunerOptions = {},
  control: WorkerControl = {},
): Promise<WorkerTuneResult> {
  const packed = packFeatures(features);
  const data = packed.data instanceof Float32Array ? packed.data.slice() : Float32Array.from(packed.data);
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const input: WorkerInput = {
    facenetTune: true,
    layer: initial.toBinary(),
    reference: control.reference?.toBinary(),
    features: { data, rows: packed.rows, cols: packed.cols },
    labels: [...labels],
    options,
    cancel,
  };
  return new Promise((resolve, reject) => {
    if (control.signal?.aborted) return reject(new TuningCancelledError());
    const boot = workerBootstrap();
    const worker =
      'file' in boot
        ? new Worker(boot.file, { workerData: input, transferList: [data.buffer] })
        : new Worker(boot.code, { eval: true, workerData: input, transferList: [data.buffer] });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      control.signal?.removeEventListener('abort', onAbort);
      // Fire and forget: terminate() only resolves (with the exit code), and the outcome is settled by fn().
      void worker.terminate();
      fn();
    };
    const onAbort = () => {
      Atomics.store(cancel, 0, 1);
      // The loop checks the flag before every step; terminate anyway if it does not answer soon.
      setTimeout(() => finish(() => reject(new TuningCancelledError())), 5000).unref();
    };
    control.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') control.onProgress?.(m.progress, m.threadId);
      else if (m.type === 'done')
        finish(() => resolve({ ...m.result, layer: EmbeddingLayer.fromBinary(m.layer), threadId: m.threadId }));
      else if (m.type === 'cancelled') finish(() => reject(new TuningCancelledError()));
      else finish(() => reject(Object.assign(new Error(m.message), { stack: m.stack })));
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`tuning worker exited with code ${code}`))));
  });
}

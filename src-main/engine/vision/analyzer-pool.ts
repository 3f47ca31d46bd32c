/**
 * The face pipeline on every core: a FacePipeline whose photos are analysed in worker threads
 * (analyzer-worker.ts), each with its own FaceAnalyzer and ONNX sessions.
 *
 * onnxruntime-node runs inference synchronously on the calling thread, so in one thread two photos in flight
 * only overlap their decoding (libvips works in libuv's pool) while every detector, landmark and embedder
 * call waits for the one before it: measured with `npm run bench`, two photos in flight were no faster than
 * one. With one worker per core (one ONNX thread each) decoding, the JavaScript around the models (crops,
 * alignment, tensor packing) and inference all run in parallel.
 *
 * Results are exactly those of FaceAnalyzer (the same code runs in the worker); a photo's PhotoError comes
 * back as a PhotoError. A drawn box (embedBox) is embedded by a FaceAnalyzer in the calling thread, loaded on
 * first use. The worker's entry sits next to this module in every form it runs in: sources (tests, `tsx`:
 * the worker first registers tsx's loader) and the app's bundle (dist/app/workers/, vite.app.config.ts).
 */
import { cpus } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Box } from '../../../src-shared/geometry.js';
import type { AnalyzedFace, PhotoAnalysis } from '../../../src-shared/analysis.js';
import { PhotoError, type FacePipeline } from './analysis.js';
import type { AnalyzeRequest, AnalyzerReply, AnalyzerWorkerData } from './analyzer-worker.js';
import { embedManualFace } from './manual-face.js';
import { startModuleWorker } from './module-worker.js';
import { recordActiveProviders, type ActiveProvider, type SessionOptions } from './onnx-session.js';
import type { FaceAnalyzer, PipelineOptions } from './pipeline.js';
import { createFaceAnalyzer, DEFAULT_CHOICE, type PipelineChoice } from './registry.js';

/** The worker entry next to this module (a variable, so that bundlers leave the URL alone). */
const ENTRY = './analyzer-worker';

function startWorker(workerData: AnalyzerWorkerData): Worker {
  return startModuleWorker(import.meta.url, ENTRY, workerData);
}

interface Job {
  id: number;
  path: string;
  resolve: (a: PhotoAnalysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The photos it is analysing, by request id. */
  jobs: Map<number, Job>;
}

/**
 * Default worker count: one per CPU, at most this many. Each worker holds its own sessions and, while it
 * analyses 12 MP photos, its own decoded pixels and allocator arenas: measured about 400 MB resident per
 * worker (2 workers +840 MB, 4 workers +1.4 GB; the single-thread pipeline with 2 photos in flight +400 MB).
 */
export const MAX_DEFAULT_WORKERS = 4;

export interface AnalyzerPoolOptions {
  /** Worker threads; default one per CPU, at most MAX_DEFAULT_WORKERS. */
  workers?: number;
  /**
   * Photos given to a worker at once; default 1. With 2, the next photo is decoded (in libvips's threads)
   * while the worker runs the models on the current one: measured +5% photos/s on 2 cores with 2 workers
   * (`npm run bench -- --concurrency 1,2 --per-worker 2`), which the indexer would need twice the photos in
   * flight to use.
   */
  photosPerWorker?: number;
}

export class AnalyzerPool implements FacePipeline {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private local?: Promise<FaceAnalyzer>;

  private constructor(
    readonly modelVersion: string,
    /** Where each of the workers' models runs (the first worker's; all open theirs with the same options). */
    readonly providers: readonly ActiveProvider[],
    private readonly data: AnalyzerWorkerData,
    private readonly perWorker: number,
  ) {}

  /** Starts the workers and waits until each has loaded its models (a load failure rejects, naming it). */
  static async create(
    choice: PipelineChoice = DEFAULT_CHOICE,
    options: Partial<PipelineOptions> = {},
    session: Pick<SessionOptions, 'providers' | 'intraOpThreads'> = {},
    pool: AnalyzerPoolOptions = {},
  ): Promise<AnalyzerPool> {
    const count = Math.max(1, Math.floor(pool.workers ?? Math.min(cpus().length, MAX_DEFAULT_WORKERS)) || 1);
    const data: AnalyzerWorkerData = { facenetAnalyzer: true, choice, options: definedOnly(options), session };
    const workers = Array.from({ length: count }, () => startWorker(data));
    let ready: Ready[];
    try {
      ready = await Promise.all(workers.map(waitReady));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    const perWorker = Math.max(1, Math.floor(pool.photosPerWorker ?? 1) || 1);
    const self = new AnalyzerPool(ready[0]!.modelVersion, ready[0]!.providers, data, perWorker);
    for (const worker of workers) self.adopt(worker);
    return self;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Photos analysed at once when the queue is full (workers x photos per worker). */
  get capacity(): number {
    return this.slots.length * this.perWorker;
  }

  analyzePhoto(path: string): Promise<PhotoAnalysis> {
    if (this.closed) return Promise.reject(new Error('the face pipeline has been closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, path, resolve, reject });
      this.pump();
    });
  }

  /** A drawn box, embedded in this thread by a FaceAnalyzer loaded on first use (rare: no worker needed). */
  async embedBox(path: string, box: Box): Promise<AnalyzedFace> {
    if (!this.local) {
      const loading = createFaceAnalyzer(this.data.choice, this.data.options, this.data.session);
      this.local = loading;
      loading.catch(() => {
        if (this.local === loading) this.local = undefined; // the next drawn box tries again
      });
    }
    return embedManualFace(await this.local, path, box);
  }

  /** Ends the workers; photos still queued or in flight reject. */
  async dispose(): Promise<void> {
    this.closed = true;
    const error = new Error('the face pipeline has been closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) for (const job of slot.jobs.values()) job.reject(error);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    if (this.local) await (await this.local).dispose();
  }

  private adopt(worker: Worker): Slot {
    const slot: Slot = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (reply: AnalyzerReply) => {
      const job = 'id' in reply ? slot.jobs.get(reply.id) : undefined;
      if (!job) return;
      slot.jobs.delete(job.id);
      if (slot.jobs.size === 0) worker.unref();
      if (reply.kind === 'result') job.resolve(reply.analysis);
      else if (reply.kind === 'photo-error') job.reject(new PhotoError(reply.path, reply.reason, reply.detail));
      else if (reply.kind === 'error') job.reject(Object.assign(new Error(reply.message), { name: reply.name }));
      this.pump();
    });
    const fail = (error: Error): void => {
      // A worker that died (out of memory, a crash in native code) fails its photo; a new one replaces it.
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
      if (!this.closed) this.replace();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the face pipeline's worker stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private replace(): void {
    const worker = startWorker(this.data);
    waitReady(worker).then(
      () => {
        if (this.closed) void worker.terminate();
        else {
          this.adopt(worker);
          this.pump();
        }
      },
      (error: Error) => {
        void worker.terminate();
        // Without any worker left, queued photos would wait forever: fail them with the reason.
        if (this.slots.length === 0) for (const job of this.queue.splice(0)) job.reject(error);
      },
    );
  }

  /** Gives queued photos to the least busy workers, up to `perWorker` each. */
  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.reduce<Slot | undefined>(
        (best, s) => (s.jobs.size < this.perWorker && (!best || s.jobs.size < best.jobs.size) ? s : best),
        undefined,
      );
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.jobs.set(job.id, job);
      slot.worker.ref();
      const request: AnalyzeRequest = { id: job.id, path: job.path };
      slot.worker.postMessage(request);
    }
  }
}

interface Ready {
  modelVersion: string;
  providers: ActiveProvider[];
}

/** Resolves once the worker has loaded its models (their version and providers); rejects if it cannot. */
function waitReady(worker: Worker): Promise<Ready> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: AnalyzerReply): void => {
      if (reply.kind !== 'ready' && reply.kind !== 'load-failed') return;
      cleanup();
      if (reply.kind === 'ready') {
        recordActiveProviders(reply.providers);
        resolve({ modelVersion: reply.modelVersion, providers: reply.providers });
      } else reject(new Error(reply.message));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`the face pipeline's worker stopped while loading (exit code ${code})`));
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** Drops keys whose value is undefined (they would otherwise override the defaults in the worker). */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

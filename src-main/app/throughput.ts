/**
 * Indexing throughput on a set of photos, measured the way the indexer runs them: an AnalyzerPool with one
 * worker thread per photo in flight, each running the whole pipeline (decode, detect, align, embed every face).
 * `facenet bench` (a user's own photos, per execution provider) and `npm run bench` (generated 12 MP photos,
 * against face-api.js) both measure through here, so their figures mean the same thing.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { forEachBounded } from '../../src-shared/pool.js';
import { isPhotoFile } from '../engine/indexing/files.js';
import { EngineError } from '../engine/errors.js';
import { AnalyzerPool } from '../engine/vision/analyzer-pool.js';
import type { ActiveProvider, ExecutionProviderName } from '../engine/vision/onnx-session.js';

export { parseProvider, type ExecutionProviderName } from '../engine/vision/onnx-session.js';
import { DEFAULT_CHOICE, type PipelineChoice } from './pipeline-choice.js';

export interface ThroughputOptions {
  /** Photos in flight (one worker each), each measured in the same run; e.g. [1, 2]. */
  concurrencies: number[];
  /** Passes over the photos per concurrency, interleaved (1, 2, 1, 2, …); figures are the median pass. */
  rounds: number;
  /**
   * Run every model on this execution provider, and fail (naming the reason) when it cannot load: a figure
   * measured on the CPU fallback must never pass for a GPU figure. Absent: the best the platform offers.
   */
  provider?: ExecutionProviderName;
  /** ONNX threads per inference call (default: FACENET_THREADS, else 1). */
  threads?: number;
  choice?: PipelineChoice;
  /** Photos given to each worker at once (AnalyzerPoolOptions.photosPerWorker). */
  photosPerWorker?: number;
}

export interface ThroughputRun {
  pipeline: string;
  concurrency: number;
  photosInFlight: number;
  threadsPerCall: number;
  /** The provider each model actually ran on (a model the provider cannot run falls back to the CPU). */
  providers: Array<{ model: string; provider: ExecutionProviderName }>;
  faces: number;
  rounds: number;
  /** The median pass. */
  seconds: number;
  photosPerSecond: number;
  facesPerSecond: number;
  photosPerSecondByRound: number[];
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Throws when a model did not load on the provider asked for, with the reason the loader gave. */
function checkProvider(asked: ExecutionProviderName, providers: readonly ActiveProvider[]): void {
  const missed = providers.find((p) => p.provider !== asked);
  if (!missed) return;
  const reason = missed.fallbacks.find((f) => f.provider === asked)?.reason ?? 'it did not load';
  throw new EngineError('invalid', `execution provider ${asked} is not usable here: ${reason}`);
}

/** One pass over the photos with the pool full, like the indexer; returns the faces found and the seconds. */
async function timeOnce(pool: AnalyzerPool, paths: readonly string[]): Promise<{ faces: number; seconds: number }> {
  let faces = 0;
  const started = performance.now();
  await forEachBounded(paths, pool.capacity, async (path) => {
    const result = await pool.analyzePhoto(path); // not `faces += await …`: that reads `faces` before waiting
    faces += result.faces.length;
  });
  return { faces, seconds: (performance.now() - started) / 1000 };
}

/**
 * Measures every concurrency of `o.concurrencies` on `paths`, `o.rounds` times, interleaved, so that a burst of
 * load from other programs hits each alike. Each pool first analyses one photo per worker: loading the
 * sessions is not throughput.
 */
export async function measureThroughput(paths: readonly string[], o: ThroughputOptions): Promise<ThroughputRun[]> {
  if (paths.length === 0) throw new EngineError('invalid', 'no photos to measure');
  const threads = o.threads ?? (Number(process.env.FACENET_THREADS) || 1);
  const session = { intraOpThreads: threads, ...(o.provider ? { providers: [o.provider] } : {}) };
  const pools: AnalyzerPool[] = [];
  try {
    for (const workers of o.concurrencies) {
      const pool = await AnalyzerPool.create(o.choice ?? DEFAULT_CHOICE, {}, session, {
        workers,
        photosPerWorker: o.photosPerWorker ?? 1,
      });
      pools.push(pool);
      if (o.provider) checkProvider(o.provider, pool.providers);
    }
    for (const [i, pool] of pools.entries())
      await Promise.all(
        Array.from({ length: o.concurrencies[i]! }, (_, k) => pool.analyzePhoto(paths[k % paths.length]!)),
      );
    const rounds = Math.max(1, Math.floor(o.rounds) || 1);
    const seconds = pools.map(() => [] as number[]);
    const faces = pools.map(() => 0);
    for (let round = 0; round < rounds; round++)
      for (const [i, pool] of pools.entries()) {
        const r = await timeOnce(pool, paths);
        seconds[i]!.push(r.seconds);
        faces[i] = r.faces;
      }
    return pools.map((pool, i) => {
      const s = median(seconds[i]!);
      return {
        pipeline: pool.modelVersion,
        concurrency: o.concurrencies[i]!,
        photosInFlight: pool.capacity,
        threadsPerCall: threads,
        providers: pool.providers.map((p) => ({ model: p.model, provider: p.provider })),
        faces: faces[i]!,
        rounds,
        seconds: s,
        photosPerSecond: paths.length / s,
        facesPerSecond: faces[i]! / s,
        photosPerSecondByRound: seconds[i]!.map((x) => paths.length / x),
      };
    });
  } finally {
    await Promise.all(pools.map((p) => p.dispose()));
  }
}

/**
 * The photos to measure: files as given, and the photos directly inside each folder (sorted; not recursive, so
 * that pointing it at a whole library does not walk it all).
 */
export function photosToMeasure(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const stat = statSync(arg, { throwIfNoEntry: false });
    if (!stat) throw new EngineError('not-found', `no such file or folder: ${arg}`);
    if (stat.isDirectory())
      out.push(
        ...readdirSync(arg)
          .filter(isPhotoFile)
          .sort()
          .map((name) => join(arg, name))
          .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile()),
      );
    else out.push(arg);
  }
  if (out.length === 0) throw new EngineError('invalid', `no photos in ${args.join(', ')}`);
  return out;
}

/** Mean megapixels of the photos (as stored; the figures are per photo, so their size matters). */
export async function meanMegapixels(paths: readonly string[]): Promise<number> {
  let sum = 0;
  for (const path of paths) {
    const m = await sharp(path).metadata();
    sum += ((m.width ?? 0) * (m.height ?? 0)) / 1e6;
  }
  return sum / paths.length;
}

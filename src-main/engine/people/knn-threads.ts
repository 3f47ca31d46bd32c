/**
 * Runs kNN graph tasks (knn-tasks.ts) on worker threads, synchronously: the caller (FaceClusterer.fit, which
 * the people service calls inside a transaction) blocks in Atomics.wait while the workers share each task's
 * chunks. Inputs and outputs are SharedArrayBuffers, so the vectors are never copied per worker; a task and
 * its reply travel through each worker's MessagePort, read with receiveMessageOnPort (no event loop needed on
 * either side). The result is the same whatever the number of threads (knn-tasks.ts says why), and the same
 * code runs in this thread when no worker is wanted or one fails to start.
 *
 * The worker's entry (knn-worker.ts) sits next to this module in every form it runs in (module-worker.ts):
 * sources under tsx (tests, benchmarks) and the app's bundle (dist/app/workers/, vite.app.config.ts).
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startModuleWorker } from '../vision/module-worker.js';
import { runKnnTask, type KnnReply, type KnnTask } from './knn-tasks.js';

/** The worker entry next to this module (a variable, so that bundlers leave the URL alone). */
const ENTRY = './knn-worker';

/** Default worker threads: one per CPU, at most this many (the vectors are shared: memory does not grow). */
export const MAX_DEFAULT_KNN_WORKERS = 4;
/** Below this many faces the graph is built in this thread: starting workers would cost more than it saves. */
export const PARALLEL_MIN_FACES = 5000;
/**
 * How long workers may take to start before this thread does the work. Under tsx (tests, benchmarks) a first
 * start compiles the sources; the app's bundled workers start in tens of milliseconds (the packaged-app test),
 * so seconds without them mean they will not start. The caller is blocked meanwhile, which is why it is short.
 */
const START_TIMEOUT_MS = import.meta.url.endsWith('.ts') ? 60_000 : 5_000;

/**
 * Set once workers could not start in this process: every later graph is built in this thread at once (the
 * same graph) instead of making each re-grouping wait START_TIMEOUT_MS again.
 */
let workersFailed = false;

/** Remembers the failure and says it once, on stderr (the app's log), since grouping is slower from now on. */
function workersCannotStart(why: string): undefined {
  workersFailed = true;
  process.emitWarning(`${why}; grouping builds its kNN graphs in one thread from now on`, 'FaceNetWarning');
  return undefined;
}

/** Control words shared with the workers (Int32Array indices). */
export const CTRL = { generation: 0, done: 1, ready: 2, length: 4 } as const;

export interface KnnRunner {
  /** Threads sharing each task (1: this thread alone). */
  readonly threads: number;
  /** Runs `task` to completion on every thread; one reply per thread. */
  run(task: KnnTask): KnnReply[];
}

/** Worker threads to use for n faces when the caller did not say: none for small n, else one per CPU (capped). */
export function defaultKnnWorkers(n: number): number {
  return n < PARALLEL_MIN_FACES ? 0 : Math.min(MAX_DEFAULT_KNN_WORKERS, availableParallelism());
}

const inThisThread: KnnRunner = { threads: 1, run: (task) => [runKnnTask(task)] };

/**
 * Calls `body` with a runner over `workers` worker threads (0: this thread), and ends the workers after. If
 * the workers cannot start, or a task fails in one, the work is done (or redone) in this thread.
 */
export function withKnnRunner<T>(workers: number, body: (runner: KnnRunner) => T): T {
  const pool = workers > 0 && !workersFailed ? KnnPool.start(workers) : undefined;
  if (!pool) return body(inThisThread);
  try {
    return body(pool);
  } catch (error) {
    if (!(error instanceof KnnWorkerError)) throw error;
    return body(inThisThread);
  } finally {
    pool.close();
  }
}

class KnnWorkerError extends Error {}

class KnnPool implements KnnRunner {
  private constructor(
    private readonly workers: Worker[],
    private readonly ports: MessagePort[],
    private readonly ctrl: Int32Array,
  ) {}

  get threads(): number {
    return this.workers.length;
  }

  static start(count: number): KnnPool | undefined {
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL.length * 4));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    try {
      for (let w = 0; w < count; w++) {
        const { port1, port2 } = new MessageChannel();
        const worker = startModuleWorker(import.meta.url, ENTRY, { ctrl, port: port2 }, [port2]);
        // A failed start shows as a worker that never says it is ready; the listener keeps it from crashing us.
        worker.on('error', () => undefined);
        worker.unref();
        workers.push(worker);
        ports.push(port1);
      }
    } catch (error) {
      for (const w of workers) void w.terminate();
      return workersCannotStart(
        `a kNN worker could not be created: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const pool = new KnnPool(workers, ports, ctrl);
    if (!pool.waitFor(CTRL.ready, count, START_TIMEOUT_MS)) {
      pool.close();
      return workersCannotStart(`kNN workers did not start within ${START_TIMEOUT_MS / 1000} s`);
    }
    return pool;
  }

  run(task: KnnTask): KnnReply[] {
    const { ctrl, ports } = this;
    for (const port of ports) port.postMessage(task);
    Atomics.store(ctrl, CTRL.done, 0);
    Atomics.add(ctrl, CTRL.generation, 1);
    Atomics.notify(ctrl, CTRL.generation);
    this.waitFor(CTRL.done, ports.length, Infinity);
    return ports.map((port) => {
      const reply = receiveMessageOnPort(port)?.message as { ok: true; reply: KnnReply } | { ok: false; error: string };
      if (!reply?.ok) throw new KnnWorkerError(reply ? reply.error : 'no reply from a kNN worker');
      return reply.reply;
    });
  }

  /** Blocks until ctrl[index] reaches `count`; false on timeout. */
  private waitFor(index: number, count: number, timeoutMs: number): boolean {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.ctrl, index);
      if (seen >= count) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.ctrl, index, seen, Math.min(left, 1000));
    }
  }

  close(): void {
    for (const port of this.ports) {
      port.postMessage(null);
      port.close();
    }
    Atomics.add(this.ctrl, CTRL.generation, 1);
    Atomics.notify(this.ctrl, CTRL.generation);
    for (const w of this.workers) void w.terminate();
  }
}

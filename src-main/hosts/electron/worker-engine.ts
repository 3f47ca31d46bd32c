/**
 * The engine in a worker thread, seen from Electron's main process as an EngineLike: indexing (ONNX,
 * decoding, clustering) never blocks the main process, which stays free for window and IPC work.
 * Messages: main -> worker { id, method, args } | { id, image: 'thumb'|'photo', imageId, size? };
 * worker -> main { id, result } | { id, error: { code, message } } | { event }.
 */
import { Worker } from 'node:worker_threads';
import { ApiError, type ApiEvent } from '../../../src-shared/api.js';
import type { EngineLike } from '../../app/engine-like.js';

export type WorkerRequest =
  | { id: number; method: string; args: unknown }
  | { id: number; image: 'thumb' | 'photo'; imageId: number; size?: number };
export type WorkerReply =
  | { id: number; result: unknown }
  | { id: number; error: { code: ApiError['code']; message: string } }
  | { event: ApiEvent }
  | { ready: true }
  | { fatal: string };

export class WorkerEngine implements EngineLike {
  private nextId = 1;
  private readonly pending = new Map<number, { ok: (v: unknown) => void; fail: (e: unknown) => void }>();
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  /** Why the worker is gone (set on 'error' or 'exit'): later calls fail at once instead of hanging. */
  private gone: string | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((ok, fail) => {
      worker.on('message', (m: WorkerReply) => {
        if ('ready' in m) ok();
        else if ('fatal' in m) fail(new Error(m.fatal));
        else if ('event' in m) for (const l of this.listeners) l(m.event);
        else {
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if ('error' in m) p.fail(new ApiError(m.error.code, m.error.message));
          else p.ok(m.result);
        }
      });
      worker.on('error', (e) => {
        this.gone ??= `engine worker failed: ${e.message}`;
        fail(e);
        for (const p of this.pending.values()) p.fail(new ApiError('internal', `engine worker failed: ${e.message}`));
        this.pending.clear();
      });
      // A worker that exits without an 'error' (process.exit, a crashed native module) must not leave
      // `ready` and the callers waiting forever.
      worker.on('exit', (code) => {
        this.gone ??= `engine worker exited (${code})`;
        fail(new Error(`engine worker exited with code ${code}`));
        for (const p of this.pending.values()) p.fail(new ApiError('internal', `engine worker exited (${code})`));
        this.pending.clear();
      });
    });
  }

  /** Starts `script` (the bundled dist/app/workers/engine-worker.js) on the library at dbPath. */
  static start(script: string | URL, dbPath: string, modelsDir: string): WorkerEngine {
    return new WorkerEngine(new Worker(script, { workerData: { dbPath, modelsDir } }));
  }

  private request(message: Omit<WorkerRequest, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((ok, fail) => {
      if (this.gone !== null) {
        fail(new ApiError('internal', this.gone));
        return;
      }
      this.pending.set(id, { ok, fail });
      this.worker.postMessage({ ...message, id });
    });
  }

  call(method: string, args: unknown): Promise<unknown> {
    return this.request({ method, args });
  }

  on(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async faceThumbnail(faceId: number): Promise<string> {
    return (await this.request({ image: 'thumb', imageId: faceId })) as string;
  }

  /** The photo's cached WebP preview (see EngineApi.photoPreview). */
  async photoPreview(photoId: number, size?: number): Promise<string> {
    return (await this.request({ image: 'photo', imageId: photoId, size })) as string;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

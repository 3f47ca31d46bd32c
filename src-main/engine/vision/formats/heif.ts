/**
 * HEIC/HEIF decoding off the calling thread: a small pool of worker threads (heif-worker.ts), each running
 * libheif compiled to WebAssembly. sharp's prebuilt libvips reads HEIF containers (and decodes AVIF) but has
 * no HEVC decoder, so HEVC-coded HEIF (every phone's HEIC) comes here. WebAssembly decoding is synchronous:
 * in the caller's thread it would stop the indexer's other photos and the event loop, so each decode runs
 * in a worker, as many at once as there are CPUs. Idle workers are unreferenced (they never keep a process
 * alive) and end after a while; the next decode starts them again.
 *
 * The worker's entry is heif-worker.ts, a sibling of this module in every form it runs in: sources (tests,
 * `tsx`: the worker first registers tsx's loader) and the app's bundle (dist/app/workers/, vite.app.config.ts),
 * where this code sits next to the bundled heif-worker.js.
 */
import { cpus } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { HeifReply, HeifRequest } from './heif-worker.js';
import { startModuleWorker } from '../module-worker.js';

export interface HeifPixels {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, rotation and mirror properties applied. */
  rgba: Uint8Array;
}

/** The worker entry next to this module (a variable, so that bundlers leave the URL alone). */
const ENTRY = './heif-worker';

/** Idle workers end after this long. */
const IDLE_MS = 30_000;

function startWorker(): Worker {
  return startModuleWorker(import.meta.url, ENTRY, { facenetHeif: true });
}

interface Slot {
  worker: Worker;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

interface Job {
  bytes: Uint8Array;
  resolve: (p: HeifPixels) => void;
  reject: (e: Error) => void;
}

export class HeifDecoderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, { slot: Slot; job: Job }>();
  private nextId = 1;

  constructor(readonly size = Math.max(1, cpus().length)) {}

  /**
   * Decodes the primary image of a HEIF file's bytes. Their buffer is transferred to the worker (no copy)
   * when the bytes are the whole of it; a view into a larger buffer (Node's pooled buffers) is copied first.
   */
  decode(bytes: Uint8Array): Promise<HeifPixels> {
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes: own, resolve, reject });
      this.pump();
    });
  }

  /** Ends every worker (jobs in flight reject). */
  async close(): Promise<void> {
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy) ?? (this.slots.length < this.size ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.busy = true;
      clearTimeout(slot.idleTimer);
      slot.worker.ref();
      const id = this.nextId++;
      this.pending.set(id, { slot, job });
      const request: HeifRequest = { id, bytes: job.bytes };
      slot.worker.postMessage(request, [job.bytes.buffer as ArrayBuffer]);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker(), busy: false };
    slot.worker.on('message', (reply: HeifReply) => {
      const entry = this.pending.get(reply.id);
      if (!entry) return;
      this.pending.delete(reply.id);
      this.release(slot);
      if (reply.ok) entry.job.resolve({ width: reply.width, height: reply.height, rgba: reply.rgba });
      else entry.job.reject(new Error(reply.message));
    });
    const fail = (error: Error): void => {
      // A worker that died (out of memory in WebAssembly, a crash) fails its job; a new one replaces it.
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const [id, entry] of this.pending) {
        if (entry.slot !== slot) continue;
        this.pending.delete(id);
        entry.job.reject(error);
      }
      this.pump();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', (code) => fail(new Error(`the HEIF decoder stopped (exit code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private release(slot: Slot): void {
    slot.busy = false;
    if (this.queue.length > 0) {
      this.pump();
      return;
    }
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => {
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !slot.busy) {
        this.slots.splice(i, 1);
        void slot.worker.terminate();
      }
    }, IDLE_MS);
    slot.idleTimer.unref();
  }
}

let shared: HeifDecoderPool | undefined;

/** The process's pool (one per thread that decodes: the engine's thread in the app, the CLI's main thread). */
export function heifDecoder(): HeifDecoderPool {
  shared ??= new HeifDecoderPool();
  return shared;
}

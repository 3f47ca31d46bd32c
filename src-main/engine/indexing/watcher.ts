/**
 * Watch mode: chokidar on the library folders; added, changed and removed photos are collected for
 * `debounceMs` and then indexed in one targeted run (moves, removals and decision carry-over included).
 * Runs never overlap: events that arrive during a run are indexed right after it.
 */
import { watch, type FSWatcher } from 'chokidar';
import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import { isPhotoFile, isSkippedFolder } from './files.js';
import type { IndexOptions, IndexSummary } from './indexer.js';

export interface WatchOptions {
  /** Quiet time after the last event before indexing (default 500 ms). */
  debounceMs?: number;
  /** How long a file's size must stay unchanged before it counts as written (default 300 ms). */
  writeStabilityMs?: number;
  /** Use polling (network drives); default false. */
  usePolling?: boolean;
}

export interface WatcherEvents {
  ready: [];
  /** After each run: its summary and the paths (files or folders) that triggered it. */
  indexed: [IndexSummary, string[]];
  error: [unknown];
  closed: [];
}

export type RunIndex = (options: IndexOptions) => Promise<IndexSummary>;

export class LibraryWatcher extends EventEmitter<WatcherEvents> {
  private readonly watcher: FSWatcher;
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly debounceMs: number;

  constructor(
    folders: string[],
    private readonly runIndex: RunIndex,
    options: WatchOptions = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 500;
    this.watcher = watch(folders, {
      ignoreInitial: true,
      followSymlinks: true,
      usePolling: options.usePolling ?? false,
      awaitWriteFinish: { stabilityThreshold: options.writeStabilityMs ?? 300, pollInterval: 50 },
      ignored: (path, stats) => {
        if (folders.includes(path)) return false;
        if (stats?.isDirectory()) return isSkippedFolder(basename(path));
        if (stats?.isFile()) return !isPhotoFile(path);
        return basename(path).startsWith('.');
      },
    });
    const queue = (path: string): void => this.queue(path);
    this.watcher
      .on('add', queue)
      .on('change', queue)
      .on('unlink', queue)
      .on('unlinkDir', queue)
      .on('ready', () => this.emit('ready'))
      .on('error', (e) => this.emit('error', e));
  }

  add(folder: string): void {
    this.watcher.add(folder);
  }

  unwatch(folder: string): void {
    this.watcher.unwatch(folder);
  }

  private queue(path: string): void {
    if (this.closed) return;
    this.pending.add(path);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.debounceMs);
  }

  /** Indexes what has been queued so far; resolves when done. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    if (this.pending.size === 0 || this.closed) return;
    const paths = [...this.pending];
    this.pending.clear();
    this.running = this.runIndex({ paths })
      .then((s) => void this.emit('indexed', s, paths))
      .catch((e: unknown) => void this.emit('error', e))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    await this.watcher.close();
    while (this.running) await this.running;
    this.emit('closed');
  }
}

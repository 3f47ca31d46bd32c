/**
 * Watch mode: chokidar on the library folders; added, changed and removed photos are collected for
 * `debounceMs` and then indexed in one targeted run (moves, removals and decision carry-over included).
 * Runs never overlap: events that arrive during a run are indexed right after it.
 *
 * Removals wait longer than additions. chokidar reports an unlink at once but holds a new file back until its
 * size has been stable for `writeStabilityMs`, so the two halves of a move (a rename seen as unlink + add, a
 * copy to another drive followed by a delete) can arrive in different batches. A removal indexed first would
 * delete the photo's row, and with it the names and confirmations the user gave its faces; held back for
 * `moveWindowMs`, it lets the add claim the row as a move (the indexer matches the content) first.
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
  /**
   * How long a removed file's row is kept before the removal is indexed, so that the file can reappear
   * elsewhere as a move (default: the larger of 3 s and four times `writeStabilityMs` plus `debounceMs`).
   */
  moveWindowMs?: number;
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
  /** Removed paths and when their removal was seen; indexed once `moveWindowMs` has passed. */
  private readonly removals = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly debounceMs: number;
  private readonly moveWindowMs: number;

  constructor(
    folders: string[],
    private readonly runIndex: RunIndex,
    options: WatchOptions = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 500;
    const stability = options.writeStabilityMs ?? 300;
    this.moveWindowMs = options.moveWindowMs ?? Math.max(3000, 4 * stability + this.debounceMs);
    this.watcher = watch(folders, {
      ignoreInitial: true,
      followSymlinks: true,
      usePolling: options.usePolling ?? false,
      awaitWriteFinish: { stabilityThreshold: stability, pollInterval: 50 },
      ignored: (path, stats) => {
        if (folders.includes(path)) return false;
        if (stats?.isDirectory()) return isSkippedFolder(basename(path));
        if (stats?.isFile()) return !isPhotoFile(path);
        return basename(path).startsWith('.');
      },
    });
    const queue = (path: string): void => this.queue(path);
    const queueRemoval = (path: string): void => this.queueRemoval(path);
    this.watcher
      .on('add', queue)
      // A new folder is indexed as a whole: a file written into it before chokidar watched it gets no 'add'
      // (seen in CI under load: a photo saved at once into a new sub-folder was never indexed).
      .on('addDir', queue)
      .on('change', queue)
      .on('unlink', queueRemoval)
      .on('unlinkDir', queueRemoval)
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
    this.removals.delete(path); // back again (an editor's save-by-rename): a change, not a removal
    this.pending.add(path);
    this.schedule(this.debounceMs);
  }

  private queueRemoval(path: string): void {
    if (this.closed) return;
    this.pending.delete(path);
    this.removals.set(path, Date.now());
    this.schedule(this.debounceMs);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), ms);
  }

  /**
   * Removals whose move window has passed (all of them with `all`); schedules the next flush for the rest.
   * They do not ride along early with additions: the addition that claims a removed row may be an unrelated
   * file while the moved one is still being written.
   */
  private dueRemovals(all: boolean): string[] {
    const now = Date.now();
    const due: string[] = [];
    let next = Infinity;
    for (const [path, seen] of this.removals) {
      const left = seen + this.moveWindowMs - now;
      if (all || left <= 0) due.push(path);
      else next = Math.min(next, left);
    }
    for (const path of due) this.removals.delete(path);
    if (next !== Infinity) this.schedule(Math.max(next, this.debounceMs));
    return due;
  }

  /**
   * Indexes what has been queued so far (removals only once their move window has passed, or all of them
   * with `{ removals: 'now' }`); resolves when done.
   */
  async flush(options: { removals?: 'when-due' | 'now' } = {}): Promise<void> {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    if (this.closed) return;
    const paths = [...this.pending, ...this.dueRemovals(options.removals === 'now')];
    this.pending.clear();
    if (paths.length === 0) return;
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

/**
 * The library facade the CLI and the app call: open a library file, manage its folders, index, and query
 * photos, faces, failures and status. Logic lives in the indexer and PhotoLifecycle; SQL in the repositories.
 */
import { statSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { PhotoErrorReason } from '../../../src-shared/analysis.js';
import { formatLabel, type SkippedFiles } from '../../../src-shared/photo-formats.js';
import type { FacePipeline } from '../vision/analysis.js';
import { openPhoto } from '../vision/formats/open.js';
import {
  Indexer,
  OFFLINE_FOLDERS_KEY,
  owningFolder,
  SKIPPED_FILES_KEY,
  type IndexOptions,
  type IndexSummary,
} from '../indexing/indexer.js';
import type { IndexProgress } from '../indexing/progress.js';
import { LibraryWatcher, type WatchOptions } from '../indexing/watcher.js';
import { Library } from '../storage/library.js';
import { PhotoLifecycle } from '../storage/photo-lifecycle.js';
import type { StatusCounts } from '../storage/photo-repository.js';
import { copyFolderRows, restoreFolderRows } from '../storage/folder-rows.js';
import { FaceThumbnails, type Thumbnail, type ThumbnailOptions } from '../storage/thumbnails.js';
import { PhotoPreviews, type Preview } from './photo-previews.js';
import { recentPhotos } from './recent-photos.js';
import type {
  Face,
  FaceSummary,
  LibraryFolder,
  OrphanedDecision,
  Photo,
  PhotoPage,
  PhotoQuery,
  PhotoStatus,
} from '../storage/types.js';

export interface OpenLibraryOptions {
  /**
   * Where thumbnails are cached (default: `<db dir>/<db name>.cache`). The hosts pass the platform's cache
   * folder (src-main/app/library-location.ts); the default keeps tests and scripts self-contained.
   */
  cacheDir?: string;
  thumbnails?: ThumbnailOptions;
  /** Most bytes the photo previews may take in the cache folder (default 512 MiB). */
  previewBudgetBytes?: number;
}

export interface LibraryStatus {
  folders: number;
  photos: StatusCounts;
  faces: number;
  people: number;
  decisions: number;
  orphanedDecisions: number;
  /**
   * Photos kept although their files were not found, because their folder was not reachable (unmounted drive,
   * permission denied, suddenly empty) at the latest indexing; they stay until the folder is back (the next
   * run finds them again) or the user removes the library folder.
   */
  offline: { photos: number; folders: string[] };
  /** Indexed photos by format ('JPEG', 'HEIC', 'RAW', …), most first. */
  formats: { format: string; photos: number }[];
  /** Files the latest full indexing skipped on purpose (videos, RAW files with a same-named JPEG). */
  skipped: SkippedFiles[];
}

export interface PhotoFailure {
  photoId: number;
  path: string;
  reason: PhotoErrorReason;
  detail: string | null;
  indexedAt: number | null;
}

export interface RemoveFolderResult {
  photosRemoved: number;
  /** Photos that stay because another (enclosing or nested) library folder still holds them. */
  photosKept: number;
  /** Decisions moved to orphaned_decisions (restored if the photos are indexed again). */
  decisionsOrphaned: number;
}

export interface ServiceIndexOptions extends Omit<IndexOptions, 'onProgress'> {
  onProgress?: (p: IndexProgress) => void;
}

export class LibraryService {
  readonly cacheDir: string;
  private readonly thumbnails: FaceThumbnails;
  private readonly previews: PhotoPreviews;
  private readonly lifecycle: PhotoLifecycle;
  /** Index runs (manual and watch) are serialised. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Set<LibraryWatcher>();

  private constructor(
    readonly library: Library,
    readonly dbPath: string,
    options: OpenLibraryOptions,
  ) {
    this.cacheDir = options.cacheDir ?? join(dirname(resolve(dbPath)), `${basename(dbPath, extname(dbPath))}.cache`);
    // Thumbnails and previews of one HEIC or RAW photo share one decode (recent-photos.ts).
    const open = recentPhotos((path) => openPhoto(path));
    this.thumbnails = new FaceThumbnails(this.cacheDir, { open, ...options.thumbnails });
    this.previews = new PhotoPreviews(this.cacheDir, { open, budgetBytes: options.previewBudgetBytes });
    this.lifecycle = new PhotoLifecycle(this.library);
  }

  /** Opens (creating and migrating if needed) the library database at dbPath. */
  static open(dbPath: string, options: OpenLibraryOptions = {}): LibraryService {
    return LibraryService.over(Library.open(dbPath), dbPath, options);
  }

  /**
   * The service over a library already opened from dbPath: the app opens the storage Library once and hands
   * the same one to this service and to the services that work on the repositories (people, tuning, interop).
   * The service owns it from then on (close() closes it).
   */
  static over(library: Library, dbPath: string, options: OpenLibraryOptions = {}): LibraryService {
    return new LibraryService(library, dbPath, options);
  }

  // ---- folders

  /** Adds a folder (stored as its absolute real path). Throws when it is not an existing folder. */
  addFolder(path: string): LibraryFolder {
    let real: string;
    try {
      real = realpathSync(resolve(path));
    } catch {
      throw new Error(`not a folder: ${path}`);
    }
    if (!statSync(real).isDirectory()) throw new Error(`not a folder: ${path}`);
    const folder = this.library.folders.add(real);
    for (const w of this.watchers) w.add(real);
    return folder;
  }

  /**
   * Removes a folder from the library. Its photos leave (their faces leave the people); the user's decisions
   * about them are kept as orphaned decisions and come back if the photos are indexed again.
   */
  removeFolder(pathOrId: string | number): RemoveFolderResult {
    const folder = this.findFolder(pathOrId);
    if (!folder) throw new Error(`not a library folder: ${pathOrId}`);
    const result: RemoveFolderResult = { photosRemoved: 0, photosKept: 0, decisionsOrphaned: 0 };
    this.library.transaction(() => {
      const others = this.library.folders.list().filter((f) => f.id !== folder.id);
      for (const photo of this.library.photos.listByFolder(folder.id)) {
        const owner = owningFolder(photo.path, others);
        if (owner) {
          this.library.photos.setFolder(photo.id, owner.id);
          result.photosKept++;
        } else {
          result.decisionsOrphaned += this.lifecycle.remove(photo.id, 'photo-deleted');
          result.photosRemoved++;
        }
      }
      this.library.folders.delete(folder.id);
    });
    for (const w of this.watchers) w.unwatch(folder.path);
    return result;
  }

  /**
   * removeFolder, keeping an exact copy of the rows it deletes: `restore` (inside a transaction) puts them
   * back, for undo.
   */
  removeFolderRestorably(pathOrId: string | number): RemoveFolderResult & { path: string; restore: () => void } {
    const folder = this.findFolder(pathOrId);
    if (!folder) throw new Error(`not a library folder: ${pathOrId}`);
    const rows = copyFolderRows(this.library.db, folder.id);
    const result = this.removeFolder(folder.id);
    return {
      ...result,
      path: folder.path,
      restore: () => {
        restoreFolderRows(this.library.db, rows);
        for (const w of this.watchers) w.add(folder.path);
      },
    };
  }

  folders(): LibraryFolder[] {
    return this.library.folders.list();
  }

  // ---- indexing

  /** Indexes every library folder (or options.paths) incrementally. Runs are queued, never concurrent. */
  index(pipeline: FacePipeline, options: ServiceIndexOptions = {}): Promise<IndexSummary> {
    const run = this.queue.then(() => new Indexer(this.library, pipeline).run(options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Watches the library folders and indexes new, changed and removed photos as they appear. `pipeline` may be
   * a function, called for each run: the app starts watching at launch without loading the models until a
   * photo actually changes, and picks up a pipeline re-created after a model change.
   */
  watch(pipeline: FacePipeline | (() => Promise<FacePipeline>), options: WatchOptions = {}): LibraryWatcher {
    const current = typeof pipeline === 'function' ? pipeline : () => Promise.resolve(pipeline);
    const watcher = new LibraryWatcher(
      this.folders().map((f) => f.path),
      async (o) => this.index(await current(), o),
      options,
    );
    this.watchers.add(watcher);
    watcher.once('closed', () => this.watchers.delete(watcher));
    return watcher;
  }

  // ---- queries

  status(): LibraryStatus {
    return {
      folders: this.library.folders.list().length,
      photos: this.library.photos.counts(),
      faces: this.library.faces.count(),
      people: this.library.people.count(),
      decisions: this.library.decisions.count(),
      orphanedDecisions: this.library.decisions.orphanCount(),
      offline: this.offline(),
      formats: this.library.photos.countDoneBy(formatLabel).map(({ label, photos }) => ({ format: label, photos })),
      skipped: this.library.settings.get<SkippedFiles[]>(SKIPPED_FILES_KEY) ?? [],
    };
  }

  /** The unreachable folders of the latest indexing that still hold photos, and how many (see status()). */
  private offline(): { photos: number; folders: string[] } {
    const recorded = this.library.settings.get<string[]>(OFFLINE_FOLDERS_KEY) ?? [];
    // A folder inside another recorded one is counted with it.
    const outer = recorded.filter((f) => !recorded.some((g) => g !== f && f.startsWith(g.endsWith(sep) ? g : g + sep)));
    const counted = outer.map((f) => ({ f, n: this.library.photos.countUnder(f) })).filter((c) => c.n > 0);
    return { photos: counted.reduce((a, c) => a + c.n, 0), folders: counted.map((c) => c.f) };
  }

  errors(): PhotoFailure[] {
    return this.library.photos.errors().map((p) => ({
      photoId: p.id,
      path: p.path,
      reason: p.errorReason ?? 'unreadable',
      detail: p.errorDetail,
      indexedAt: p.indexedAt,
    }));
  }

  photos(options: { status?: PhotoStatus; limit?: number; offset?: number } = {}): Photo[] {
    return this.library.photos.list(options);
  }

  photo(id: number): Photo | undefined {
    return this.library.photos.get(id);
  }

  /** The Photos view's page: analysed photos newest first, of a folder and/or with all the given people. */
  photoPage(query: PhotoQuery): PhotoPage {
    return this.library.photos.listByCapture(query);
  }

  photoByPath(path: string): Photo | undefined {
    return this.library.photos.getByPath(path);
  }

  facesOfPhoto(photoId: number): FaceSummary[] {
    return this.library.faces.summariesByPhoto(photoId);
  }

  face(id: number): Face | undefined {
    return this.library.faces.get(id);
  }

  orphanedDecisions(): OrphanedDecision[] {
    return this.library.decisions.orphans();
  }

  /** The face's cached WebP thumbnail (generated on first request). */
  async faceThumbnail(faceId: number): Promise<Thumbnail> {
    const where = this.library.faces.locate(faceId);
    if (!where) throw new Error(`no face ${faceId}`);
    if (!where.contentHash) throw new Error(`face ${faceId}: photo has no content hash`);
    return this.thumbnails.get(where.path, where.contentHash, where.box);
  }

  /**
   * A sized WebP preview of an indexed photo (made on first request, then cached): `size` is the longest side
   * wanted, served from the nearest bucket (photo-previews.ts); without it, the Photo view's size.
   */
  async photoPreview(photoId: number, size?: number): Promise<Preview> {
    const photo = this.library.photos.get(photoId);
    if (!photo || photo.status !== 'done') throw new Error(`no photo ${photoId}`);
    if (!photo.contentHash) throw new Error(`photo ${photoId} has no content hash`);
    return this.previews.get(photo.path, photo.contentHash, size);
  }

  async close(): Promise<void> {
    for (const w of [...this.watchers]) await w.close();
    await this.queue;
    this.library.close();
  }

  private findFolder(pathOrId: string | number): LibraryFolder | undefined {
    if (typeof pathOrId === 'number') return this.library.folders.get(pathOrId);
    const direct = this.library.folders.getByPath(resolve(pathOrId));
    if (direct) return direct;
    try {
      return this.library.folders.getByPath(realpathSync(resolve(pathOrId)));
    } catch {
      return undefined;
    }
  }
}

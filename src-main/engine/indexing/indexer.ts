/**
 * Incremental, crash-safe, pipelined indexing of a library's folders.
 *
 * One run: walk the folders -> compare each file with its row (size + mtime) -> for the changed and new files,
 * hash the content; same content as before: just note the new size/mtime; same content as a photo whose file
 * is gone: a move (the row, its faces and decisions follow the file); otherwise analyse it with the
 * FacePipeline and store the result in one transaction (PhotoLifecycle). Photos whose files are gone are
 * removed last, after moves had their chance. `concurrency` photos are in flight at once, so decoding and
 * inference of the next photos overlap the (synchronous) database writes of the finished ones.
 *
 * Every write is a per-photo transaction, so a killed run leaves whole photos only, and the next run picks up
 * the remaining (pending, changed or new) files and converges to the same state.
 */
import { cpus } from 'node:os';
import { EventEmitter } from 'node:events';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { RAW_COMPANION_EXTENSIONS, type SkippedFiles } from '../../../src-shared/photo-formats.js';
import { forEachBounded } from '../../../src-shared/pool.js';
import { PhotoError, type FacePipeline } from '../vision/analysis.js';
import { readExif } from '../vision/formats/open.js';
import { RAW_EXTENSIONS } from '../vision/formats/raw-preview.js';
import type { Library } from '../storage/library.js';
import { PhotoLifecycle, type ApplyResult } from '../storage/photo-lifecycle.js';
import type { FileFacts } from '../storage/photo-repository.js';
import type { LibraryFolder, Photo } from '../storage/types.js';
import { parseExifDate } from './exif-date.js';
import { isPhotoFile } from './files.js';
import { hashFile } from './hash.js';
import { ProgressTracker, type IndexProgress } from './progress.js';
import { findBadName, walkPhotos, type BadName } from './scan.js';

export interface IndexOptions {
  /** Photos analysed at once (default: the number of CPUs, at least 2). */
  concurrency?: number;
  /** Restrict the run to these paths (files or folders, e.g. from the watcher); default: every library folder. */
  paths?: string[];
  onProgress?: (p: IndexProgress) => void;
  /** Stops taking new photos; photos in flight finish and are stored. Removals are skipped. */
  signal?: AbortSignal;
}

export interface IndexSummary {
  /** Photo files seen in scope. */
  scanned: number;
  /** Unchanged (size + mtime, or same hash) and not re-analysed. */
  unchanged: number;
  analysed: number;
  /** Copies of content already analysed with this model: faces copied, not decoded again. */
  reused: number;
  failed: number;
  moved: number;
  removed: number;
  facesFound: number;
  decisionsCarried: number;
  decisionsOrphaned: number;
  decisionsRestored: number;
  /**
   * Folders (library folders or folders below them) that could not be read, or are suddenly empty, while the
   * library holds photos in them: "folder not reachable". Their photos are kept (offline), never removed.
   */
  unreachable: string[];
  /** Photos not found whose files were kept because their folder is unreachable. */
  offline: number;
  /**
   * Files not indexed on purpose, by reason: videos, and RAW files with a JPEG or HEIC of the same name next to
   * them (RAW+JPEG shooting: the JPEG stands for the photo, so its people are not counted twice).
   */
  skipped: SkippedFiles[];
  aborted: boolean;
  seconds: number;
}

export interface IndexerEvents {
  progress: [IndexProgress];
  photo: [
    { path: string; outcome: 'analysed' | 'reused' | 'failed' | 'moved' | 'unchanged' | 'removed'; faces: number },
  ];
}

/** The deepest library folder that contains path, if any. */
export function owningFolder(path: string, folders: LibraryFolder[]): LibraryFolder | undefined {
  let best: LibraryFolder | undefined;
  for (const f of folders) {
    const prefix = f.path.endsWith(sep) ? f.path : f.path + sep;
    if ((path === f.path || path.startsWith(prefix)) && (!best || f.path.length > best.path.length)) best = f;
  }
  return best;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a photo file or folder whose name is not valid UTF-8 is stored with (a failed photo, reason
 * `unreadable`, at the name's lossy form): the walk cannot index it, the user can rename it.
 */
export const BAD_NAME_DETAIL: Record<BadName['kind'], string> = {
  file: 'the file name is not valid UTF-8 (the bytes of its name cannot be shown as text); rename the file to index it',
  folder:
    'the folder name is not valid UTF-8 (the bytes of its name cannot be shown as text); rename it to index the photos in it',
};

function fsErrorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/**
 * What one run knows about its files. `moveSources(hash)`: the stored photos with that content whose files are
 * gone (where a new file with that content may have moved from), looked up once per content hash per run:
 * paths found by this run's scan exist without asking the disk, the others are stat'ed once. (Stat'ing every
 * stored copy for every new copy made N identical files cost N²/2 stats.)
 */
class RunContext {
  private readonly sources = new Map<string, Promise<Photo[]>>();

  constructor(
    private readonly lib: Library,
    private readonly present: ReadonlySet<string>,
    /** Paths (lossy) of photo files and folders whose names are not valid UTF-8: stored as failures, not read. */
    readonly badNames: ReadonlyMap<string, BadName['kind']> = new Map(),
  ) {}

  moveSources(hash: string): Promise<Photo[]> {
    let found = this.sources.get(hash);
    if (!found) {
      found = (async () => {
        const gone: Photo[] = [];
        for (const p of this.lib.photos.listByHash(hash)) {
          if (!this.present.has(p.path) && !(await exists(p.path))) gone.push(p);
        }
        return gone;
      })();
      this.sources.set(hash, found);
    }
    return found;
  }
}

/** Settings key: the files the latest full run skipped on purpose (SkippedFiles[]). */
export const SKIPPED_FILES_KEY = 'indexer.skipped';

/**
 * RAW+JPEG shooting: a RAW file with a JPEG (or HEIC) of the same name in the same folder is one photo, and the
 * JPEG (the camera's own rendering of it) stands for it, so the same faces are not found twice. Removes such
 * RAW files from `files` and returns their paths. Names are compared case-insensitively (IMG_0001.CR2 and
 * IMG_0001.jpg), from one listing per folder that holds RAW files.
 */
async function withoutPairedRaws(files: Map<string, FileFacts>): Promise<string[]> {
  const listings = new Map<string, Promise<Set<string>>>();
  const names = (dir: string): Promise<Set<string>> => {
    let l = listings.get(dir);
    if (!l) {
      l = readdir(dir).then(
        (entries) => new Set(entries.map((e) => e.toLowerCase())),
        () => new Set<string>(),
      );
      listings.set(dir, l);
    }
    return l;
  };
  const paired: string[] = [];
  for (const path of [...files.keys()]) {
    const ext = extname(path).toLowerCase();
    if (!RAW_EXTENSIONS.has(ext)) continue;
    const stem = basename(path, extname(path)).toLowerCase();
    const siblings = await names(dirname(path));
    if (RAW_COMPANION_EXTENSIONS.some((e) => siblings.has(stem + e))) {
      files.delete(path);
      paired.push(path);
    }
  }
  return paired;
}

/** Settings key: the folders the latest runs found unreachable (their photos are offline). */
export const OFFLINE_FOLDERS_KEY = 'indexer.offlineFolders';

type FolderState = 'ok' | 'empty' | 'missing' | 'unreadable';

/**
 * Tells "the user deleted these photos" from "their folder is not reachable right now", for photos the scan did
 * not find (library README, "Offline folders"). Such a photo is kept, offline, when
 * - its library folder is missing, unreadable, or holds no visible entry at all (an unmounted drive leaves an
 *   empty mount point; a user deleting photos leaves the folder's other files, or removes the library folder), or
 * - a folder between its library folder and the file cannot be read (permission denied, I/O error, a dangling
 *   link or a file where the folder was: a link to an unmounted drive).
 * Otherwise it was deleted or moved by the user (moves are found by content first) and is removed: it is gone
 * from a readable folder, or its subfolder is gone from (or left empty in) a readable parent. So deleting every
 * photo of a library folder keeps them offline until the folder is removed from the library; doing so in a
 * subfolder removes them.
 */
class Reachability {
  private readonly states = new Map<string, Promise<FolderState>>();

  constructor(private readonly walkErrors: ReadonlySet<string>) {}

  state(dir: string): Promise<FolderState> {
    let s = this.states.get(dir);
    if (!s) {
      s = this.read(dir);
      this.states.set(dir, s);
    }
    return s;
  }

  /** The first unreachable folder from `root` down to the folder holding `path`, or undefined if none. */
  async blockedFolder(root: string, path: string): Promise<string | undefined> {
    const chain = [root];
    for (const part of relative(root, dirname(path)).split(sep).filter(Boolean)) chain.push(join(chain.at(-1)!, part));
    for (const [i, dir] of chain.entries()) {
      const s = await this.state(dir);
      if (s === 'unreadable' || (i === 0 && s !== 'ok')) return dir;
      // Below the library folder, a folder gone from (or left empty in) a readable parent: the user deleted or
      // moved its photos.
      if (s === 'missing') return undefined;
    }
    return undefined;
  }

  private async read(dir: string): Promise<FolderState> {
    if (this.walkErrors.has(dir)) return 'unreadable';
    try {
      const names = await readdir(dir);
      return names.some((n) => !n.startsWith('.')) ? 'ok' : 'empty';
    } catch (e) {
      if (fsErrorCode(e) !== 'ENOENT') return 'unreadable';
      // ENOENT through a dangling link: something is still there (a link to an unmounted drive).
      return (await lstat(dir).then(
        () => true,
        () => false,
      ))
        ? 'unreadable'
        : 'missing';
    }
  }
}

export class Indexer extends EventEmitter<IndexerEvents> {
  private readonly lifecycle: PhotoLifecycle;

  constructor(
    private readonly lib: Library,
    private readonly pipeline: FacePipeline,
  ) {
    super();
    this.lifecycle = new PhotoLifecycle(lib);
  }

  async run(options: IndexOptions = {}): Promise<IndexSummary> {
    const started = performance.now();
    const summary: IndexSummary = {
      scanned: 0,
      unchanged: 0,
      analysed: 0,
      reused: 0,
      failed: 0,
      moved: 0,
      removed: 0,
      facesFound: 0,
      decisionsCarried: 0,
      decisionsOrphaned: 0,
      decisionsRestored: 0,
      unreachable: [],
      offline: 0,
      skipped: [],
      aborted: false,
      seconds: 0,
    };
    const { files, badNames, goneCandidates, offline, skipped } = await this.collect(options.paths);
    summary.scanned = files.length;
    summary.skipped = skipped;
    // A full run knows every skipped file; a targeted (watch) run leaves the full run's list as it was.
    if (options.paths === undefined) this.lib.settings.set(SKIPPED_FILES_KEY, skipped);

    // Decide what needs work from size + mtime alone.
    const known = this.lib.photos.fingerprints();
    const model = this.pipeline.modelVersion;
    const work = files.filter((f) => {
      const k = known.get(f.path);
      const same =
        k && k.size === f.size && k.mtimeMs === f.mtimeMs && k.status !== 'pending' && k.modelVersion === model;
      if (same) summary.unchanged++;
      return !same;
    });
    // New paths become 'pending' rows at once: the status shows them, and a crash leaves a visible to-do list.
    this.lib.transaction(() => {
      for (const f of work) if (!known.has(f.path)) this.lib.photos.insertPending(f);
    });

    const progress = new ProgressTracker(work.length);
    const report = (p: IndexProgress): void => {
      options.onProgress?.(p);
      this.emit('progress', p);
    };
    report(progress.snapshot());

    const claimed = new Set<number>();
    const run = new RunContext(this.lib, new Set(files.map((f) => f.path)), badNames);
    // An abort stops new photos from starting; the ones in flight finish, and the run winds down below.
    const concurrency = Math.max(1, options.concurrency ?? Math.max(2, cpus().length));
    await forEachBounded(
      work,
      concurrency,
      async (file) => {
        const faces = await this.processFile(file, claimed, summary, run);
        report(progress.step(file.path, faces));
      },
      { signal: options.signal },
    );

    // Photos of unreachable folders are kept; one that a new file with its content claimed as moved is not.
    const stillOffline = [...offline].filter(([id]) => !claimed.has(id));
    summary.offline = stillOffline.length;
    summary.unreachable = [...new Set(stillOffline.map(([, folder]) => folder))].sort();
    await this.recordOffline(summary.unreachable, options.paths === undefined);

    if (options.signal?.aborted) {
      summary.aborted = true;
    } else {
      // Removals last: a file that moved has been claimed by its new path by now.
      for (const id of goneCandidates) {
        const photo = this.lib.photos.get(id);
        if (!photo || (await exists(photo.path))) continue;
        summary.decisionsOrphaned += this.lifecycle.remove(id, 'photo-deleted');
        summary.removed++;
        this.emit('photo', { path: photo.path, outcome: 'removed', faces: 0 });
      }
    }
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }

  /**
   * Files in scope; the ids of photos in scope whose files were not found in a reachable folder (moved or
   * deleted: `goneCandidates`); and those whose folder is unreachable (`offline`: kept, never removed).
   */
  private async collect(paths: string[] | undefined): Promise<{
    /** Including the photo files and folders whose names are not valid UTF-8 (`badNames`). */
    files: FileFacts[];
    badNames: Map<string, BadName['kind']>;
    goneCandidates: number[];
    /** Photo id -> the unreachable folder that holds it. */
    offline: Map<number, string>;
    skipped: SkippedFiles[];
  }> {
    const folders = this.lib.folders.list();
    const files = new Map<string, FileFacts>();
    const seen = new Set<string>();
    const notFound: number[] = [];
    // Folders (and files) the walk could not read: never evidence that their photos are gone.
    const walkErrors = new Set<string>();
    // Photo files and folders whose names are not valid UTF-8, by lossy path: present, but stored as failures.
    const bad = new Map<string, { folder: LibraryFolder; found: BadName }>();
    const addBad = (folder: LibraryFolder, found: BadName): void => {
      if (!bad.has(found.path)) bad.set(found.path, { folder: owningFolder(found.path, folders) ?? folder, found });
    };
    const add = (folder: LibraryFolder, path: string, size: number, mtimeMs: number): void => {
      if (!files.has(path)) files.set(path, { folderId: folder.id, path, size, mtimeMs });
    };
    // Scopes: whole folders, or single paths from the watcher.
    const roots: { folder: LibraryFolder; root: string }[] = [];
    if (paths === undefined) {
      // Deepest folders first so a nested library folder owns its files.
      for (const folder of [...folders].sort((a, b) => b.path.length - a.path.length))
        roots.push({ folder, root: folder.path });
    } else {
      for (const p of paths) {
        const folder = owningFolder(p, folders);
        if (!folder) continue;
        const s = await stat(p).catch(() => undefined);
        if (s?.isDirectory()) roots.push({ folder, root: p });
        else if (s?.isFile() && isPhotoFile(p)) add(folder, p, s.size, Math.trunc(s.mtimeMs));
        else if (!s) {
          // A name that is not valid UTF-8 reaches here in its lossy form, which no file has.
          const found = await findBadName(p);
          if (found) addBad(folder, found);
          else notFound.push(...this.photoIdsUnder(p)); // classified below: gone, or folder unreachable
        }
      }
    }
    const videos: string[] = [];
    const jpegXl: string[] = [];
    for (const { folder, root } of roots) {
      const onError = (path: string): void => void walkErrors.add(path);
      const onBadName = (found: BadName): void => addBad(folder, found);
      const onSkipped = (path: string, why: 'video' | 'jpeg-xl'): void =>
        void (why === 'video' ? videos : jpegXl).push(path);
      for await (const f of walkPhotos(root, { seen, onError, onBadName, onSkipped }))
        add(owningFolder(f.path, folders) ?? folder, f.path, f.size, f.mtimeMs);
    }
    const pairedRaws = await withoutPairedRaws(files);
    // A file whose real (valid) name happens to read like a bad one's lossy form is the one indexed.
    const badNames = new Map<string, BadName['kind']>();
    for (const [path, { folder, found }] of bad) {
      if (files.has(path)) continue;
      add(folder, path, found.size, found.mtimeMs);
      badNames.set(path, found.kind);
    }
    // Stored photos under a walked root that were not found anywhere (nested roots share one walk).
    const present = new Set(files.keys());
    for (const { root } of roots) notFound.push(...this.photoIdsUnder(root, present));

    const reach = new Reachability(walkErrors);
    const goneCandidates: number[] = [];
    const offline = new Map<number, string>();
    for (const id of new Set(notFound)) {
      const photo = this.lib.photos.get(id);
      const folder = photo && owningFolder(photo.path, folders);
      if (!photo || !folder) continue;
      const blocked = walkErrors.has(photo.path)
        ? dirname(photo.path)
        : await reach.blockedFolder(folder.path, photo.path);
      if (blocked === undefined) {
        goneCandidates.push(id);
      } else {
        offline.set(id, blocked);
      }
    }
    const skipped: SkippedFiles[] = [];
    for (const [reason, paths] of [
      ['video', videos],
      ['raw-with-jpeg', pairedRaws],
      ['jpeg-xl', jpegXl],
    ] as const) {
      if (paths.length > 0) skipped.push({ reason, files: paths.length, examples: [...paths].sort().slice(0, 5) });
    }
    return {
      files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
      badNames,
      goneCandidates,
      offline,
      skipped,
    };
  }

  /**
   * Keeps the list of unreachable folders (settings `indexer.offlineFolders`) that status() reports: a full
   * run replaces it; a targeted (watch) run adds its own and drops the ones that are readable again.
   */
  private async recordOffline(unreachable: string[], fullRun: boolean): Promise<void> {
    const kept: string[] = [];
    if (!fullRun) {
      const reach = new Reachability(new Set());
      for (const f of this.lib.settings.get<string[]>(OFFLINE_FOLDERS_KEY) ?? []) {
        if ((await reach.state(f)) !== 'ok') kept.push(f);
      }
    }
    this.lib.settings.set(OFFLINE_FOLDERS_KEY, [...new Set([...kept, ...unreachable])].sort());
  }

  /** Photos stored at or under path whose path is not in `present`. */
  private photoIdsUnder(path: string, present?: Set<string>): number[] {
    return this.lib.photos
      .listUnder(path)
      .filter((r) => !present?.has(r.path))
      .map((r) => r.id);
  }

  /** Brings one file's row up to date. Returns the number of faces stored for it. */
  private async processFile(
    file: FileFacts,
    claimed: Set<number>,
    summary: IndexSummary,
    run: RunContext,
  ): Promise<number> {
    const model = this.pipeline.modelVersion;
    const emit = (outcome: IndexerEvents['photo'][0]['outcome'], faces: number): number => {
      this.emit('photo', { path: file.path, outcome, faces });
      return faces;
    };
    const badName = run.badNames.get(file.path);
    if (badName) {
      const error = new PhotoError(file.path, 'unreadable', BAD_NAME_DETAIL[badName]);
      summary.decisionsOrphaned += this.lifecycle.applyFailure(file, null, error, model).decisionsOrphaned;
      summary.failed++;
      return emit('failed', 0);
    }
    let hash: string;
    try {
      hash = await hashFile(file.path);
    } catch (e) {
      if (fsErrorCode(e) === 'ENOENT') return emit('unchanged', 0); // vanished since the scan; next run removes it
      this.lifecycle.applyFailure(file, null, new PhotoError(file.path, 'unreadable', String(e)), model);
      summary.failed++;
      return emit('failed', 0);
    }

    const existing = this.lib.photos.getByPath(file.path);
    if (existing && existing.status !== 'pending' && existing.contentHash === hash && existing.modelVersion === model) {
      this.lib.photos.touch(existing.id, file.size, file.mtimeMs); // touched, not edited
      summary.unchanged++;
      return emit('unchanged', this.lib.faces.summariesByPhoto(existing.id).length);
    }

    // A move: a stored photo with this content whose file is gone.
    if (!existing || existing.status === 'pending' || existing.contentHash !== hash) {
      for (const candidate of await run.moveSources(hash)) {
        if (candidate.path === file.path || claimed.has(candidate.id)) continue;
        claimed.add(candidate.id);
        this.lifecycle.move(candidate.id, file);
        summary.moved++;
        if (candidate.modelVersion === model && candidate.status !== 'pending') {
          return emit('moved', this.lib.faces.summariesByPhoto(candidate.id).length);
        }
        break; // moved, but analysed with another model (or failed): analyse again below
      }
    }

    // A copy of a photo already analysed with this model: reuse its faces instead of decoding again.
    const twin = this.lib.photos.findAnalysedCopy(hash, model, file.path);
    if (twin) {
      const faces = this.lib.faces
        .listByPhoto(twin.id)
        .map(({ box, score, landmarks, quality, embedding, features }) => ({
          box,
          score,
          landmarks,
          quality,
          embedding,
          features,
        }));
      const analysis = { width: twin.width!, height: twin.height ?? 0, faces, modelVersion: model };
      const r = this.lifecycle.applyAnalysis(file, hash, analysis, twin.takenAt);
      summary.reused++;
      addApplied(summary, r);
      return emit('reused', r.faces);
    }

    const metadata = readExif(file.path).then(parseExifDate);
    try {
      const analysis = await this.pipeline.analyzePhoto(file.path);
      const takenAt = await metadata;
      const r = this.lifecycle.applyAnalysis(file, hash, analysis, takenAt);
      summary.analysed++;
      addApplied(summary, r);
      return emit('analysed', r.faces);
    } catch (e) {
      await metadata;
      const error =
        e instanceof PhotoError
          ? e
          : new PhotoError(file.path, 'unreadable', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      const r = this.lifecycle.applyFailure(file, hash, error, model);
      summary.failed++;
      summary.decisionsOrphaned += r.decisionsOrphaned;
      return emit('failed', 0);
    }
  }
}

/** Adds what storing one analysis did (faces, decisions carried / orphaned / restored) to the run's summary. */
function addApplied(summary: IndexSummary, r: ApplyResult): void {
  summary.facesFound += r.faces;
  summary.decisionsCarried += r.decisionsCarried;
  summary.decisionsOrphaned += r.decisionsOrphaned;
  summary.decisionsRestored += r.decisionsRestored;
}

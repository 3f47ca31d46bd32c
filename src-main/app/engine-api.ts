/**
 * EngineApi: the FaceNetApi contract (src-shared/api.ts) implemented over one library. The CLI calls it in
 * process; the HTTP/WebSocket server and Electron's IPC call `call(method, args)`, which validates the request
 * with `validateRequest` before any engine code runs and turns every failure into an ApiError (api-errors.ts:
 * user errors keep their code; anything unexpected becomes 'internal'). Events (`ApiEvent`) go to `on()`
 * subscribers.
 *
 * This file is the dispatch: each method checks what only the API checks (paths, conflicts with a running job)
 * and delegates. Background work runs in jobs/ (indexing-job.ts, tuning-job.ts), the face pipeline's lifetime
 * in face-pipeline.ts, export and import folder handling in import-folders.ts, and results become DTOs in the
 * *-dto.ts modules.
 *
 * Outside the contract, for the transports: `faceThumbnail(faceId)` and `photoFile(photoId)` give file paths
 * by id (the renderer never sees or sends paths for images).
 */
import {
  ApiError,
  isOneOf,
  MAX_PHOTO_PAGE,
  SIDECAR_NAMINGS,
  validateRequest,
  type ApiArgs,
  type ApiEvent,
  type ExportResultDto,
  type FaceDto,
  type FaceNetApi,
  type FolderDto,
  type FolderListingDto,
  type IgnoredFaceDto,
  type IgnoreReasonDto,
  type ImportResultDto,
  type MergeSuggestionDto,
  type ModelVersionDto,
  type ModelVersionForecastDto,
  type MoveTarget,
  type PersonDetailDto,
  type PersonSubgroupsDto,
  type PersonSummaryDto,
  type PhotoDto,
  type PhotoErrorDto,
  type PhotoPageDto,
  type ReviewQueueDto,
  type RocDto,
  type SettingsDto,
  type StatusDto,
  type ThresholdPreviewDto,
  type TuningStatusDto,
  type UndoEntryDto,
  type UseModelVersionResultDto,
} from '../../src-shared/api.js';
import type { Box } from '../../src-shared/geometry.js';
import { ExportService } from '../engine/interop/export-service.js';
import { ImportService } from '../engine/interop/import-service.js';
import type { LibraryWatcher, WatchOptions } from '../engine/indexing/watcher.js';
import { LibraryService, type OpenLibraryOptions } from '../engine/library/library-service.js';
import { PeopleService } from '../engine/people/people-service.js';
import { Library } from '../engine/storage/library.js';
import { SWITCH_UNDO_KIND, TuningService, type TuningServiceOptions } from '../engine/tuning/tuning-service.js';
import type { FacePipeline } from '../engine/vision/analysis.js';
import { canEmbedBox, embedManualFace } from '../engine/vision/manual-face.js';
import { activeProviders } from '../engine/vision/onnx-session.js';
import { assertInstalled, installedChoices, parseDetector, parseEmbedders } from '../engine/vision/registry.js';
import { absolutePath } from './absolute-path.js';
import { browseFolders } from './browse-folders.js';
import { toApiError } from './api-errors.js';
import { defaultPipelineFactory, LazyPipeline, MODEL_FIELDS, type PipelineFactory } from './face-pipeline.js';
import { importFolders } from './import-folders.js';
import { exportResultDto, importResultDto } from './interop-dto.js';
import { IndexingJob } from './jobs/indexing-job.js';
import { TuningJob } from './jobs/tuning-job.js';
import { folderDto, photoErrorDto, photoPageDto, statusDto } from './library-dto.js';
import { plainProblem } from './plain-errors.js';
import { Throttle } from './throttle.js';
import { modelVersionDto, modelVersionForecastDto, useModelVersionResultDto } from './tuning-dto.js';
import {
  faceDto,
  ignoredFaceDto,
  mergeSuggestionDto,
  personDetailDto,
  personSubgroupsDto,
  personSummaryDto,
  photoFaceDto,
  reviewQueueDto,
  rocDto,
  settingsDto,
  thresholdPreviewDto,
  undoEntryDto,
} from './people-dto.js';

export interface EngineApiOptions {
  /** Builds the face pipeline from the settings (default: createFaceAnalyzer with the ONNX models). */
  createPipeline?: PipelineFactory;
  /** Minimum time between two progress events (default 250 ms; the last one is always sent). */
  progressIntervalMs?: number;
  /** While indexing, new faces are placed into people at most this often (default 5000 ms). */
  assignIntervalMs?: number;
  /** Photos analysed at once (default: the indexer's, the number of CPUs but at least 2). */
  concurrency?: number;
  /** Tuning service options (tests: a small base layer, a short recipe); default: the shipped layer, the recipe. */
  tuning?: TuningServiceOptions;
  /**
   * Watch the library folders from the start (see startWatching): the hosts that keep running, `facenet serve`
   * and the desktop app's engine worker, pass true; one-shot CLI commands and tests leave it off.
   */
  watch?: boolean | WatchOptions;
}

export type ApiListener = (event: ApiEvent) => void;

function changed<T>(value: T | undefined, before: T): boolean {
  return value !== undefined && value !== before;
}

function definedFields<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Largest `size` a preview request may ask for (it is served from the largest bucket anyway). */
export const MAX_PREVIEW_REQUEST = 8192;

export class EngineApi implements FaceNetApi {
  readonly people: PeopleService;
  /** Fine-tuned embedding versions (src-main/engine/tuning/): tune, use, and new faces kept on the active version. */
  readonly tuning: TuningService;
  private readonly listeners = new Set<ApiListener>();
  private readonly pipeline: LazyPipeline;
  private readonly indexingJob: IndexingJob;
  private readonly tuningJob: TuningJob;
  /** The running watcher and its options while watching is on (it survives model changes). */
  private watching: { watcher: LibraryWatcher; options: WatchOptions } | null = null;

  /** `store` is the storage Library that `library` is over (see open()). */
  private constructor(
    private readonly store: Library,
    readonly library: LibraryService,
    private readonly options: EngineApiOptions = {},
  ) {
    this.people = new PeopleService(store);
    this.tuning = new TuningService(store, this.people, options.tuning);
    const emit = (event: ApiEvent) => this.emit(event);
    this.pipeline = new LazyPipeline(
      options.createPipeline ?? defaultPipelineFactory,
      () => this.people.settings(),
      (p) => this.people.setModelVersion(p.modelVersion),
    );
    this.indexingJob = new IndexingJob(library, this.people, this.tuning, () => this.getPipeline(), emit, options);
    this.tuningJob = new TuningJob(this.tuning, emit, options);
    if (options.watch) this.startWatching(options.watch === true ? {} : options.watch);
  }

  static open(dbPath: string, options: EngineApiOptions & OpenLibraryOptions = {}): EngineApi {
    const store = Library.open(dbPath);
    return new EngineApi(store, LibraryService.over(store, dbPath, options), options);
  }

  // ---- transport helpers (outside the contract)

  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: ApiListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates a request from a transport, runs it, and maps every failure to an ApiError. */
  async call(method: string, args: unknown): Promise<unknown> {
    try {
      validateRequest(method, args);
      const fn = this[method] as (a: unknown) => Promise<unknown>;
      return await fn.call(this, args ?? {});
    } catch (error) {
      throw toApiError(error);
    }
  }

  /** Path of the face's cached WebP thumbnail (generated on first request). */
  async faceThumbnail(faceId: number): Promise<string> {
    if (!this.library.face(faceId)) throw new ApiError('not-found', `no face ${faceId}`);
    return (await this.library.faceThumbnail(faceId)).path;
  }

  /**
   * Path of the photo's cached WebP preview, `size` px on its longest side or the nearest bucket above (the
   * Photo view's large one without `size`): what the transports serve for `/photo/<id>?size=<px>`, so that every
   * format displays (HEIC, RAW, TIFF) and no original file reaches the renderer.
   */
  async photoPreview(photoId: number, size?: number): Promise<string> {
    if (size !== undefined && !(Number.isInteger(size) && size >= 1 && size <= MAX_PREVIEW_REQUEST)) {
      throw new ApiError('bad-request', `size must be a whole number of pixels from 1 to ${MAX_PREVIEW_REQUEST}`);
    }
    const photo = this.library.photo(photoId);
    if (!photo || photo.status !== 'done') throw new ApiError('not-found', `no photo ${photoId}`);
    return (await this.library.photoPreview(photoId, size)).path;
  }

  /** Path of the photo's file (for export and tests; the transports serve previews, never this file). */
  photoFile(photoId: number): string {
    const photo = this.library.photo(photoId);
    // Only photos that indexed: a file whose indexing failed may be anything (not an image, not readable).
    if (!photo || photo.status !== 'done') throw new ApiError('not-found', `no photo ${photoId}`);
    return photo.path;
  }

  /**
   * Watch mode: new, changed, moved and removed photos in the library folders are indexed within about a
   * second (folders added later are watched too); after each run new faces are placed into people and
   * 'indexing-finished' + 'library-changed' (reason 'watched-change') are sent. The models load only when a
   * photo changes. Watching goes on across model changes until stopWatching() or close(). Idempotent: while
   * watching, returns the running watcher (options of a second call are ignored).
   */
  startWatching(options: WatchOptions = {}): LibraryWatcher {
    if (this.watching) return this.watching.watcher;
    const watcher = this.library.watch(() => this.getPipeline(), options);
    watcher.on('indexed', (summary) => this.indexingJob.finished(summary, 'watched-change'));
    watcher.on('error', (error) => this.indexingJob.failed(error, 'a watched change'));
    this.watching = { watcher, options };
    return watcher;
  }

  /** Stops watching (a run in progress finishes first). */
  async stopWatching(): Promise<void> {
    const watching = this.watching;
    this.watching = null;
    await watching?.watcher.close();
  }

  /** Whether the library folders are being watched. */
  isWatching(): boolean {
    return this.watching !== null;
  }

  /** Resolves when no indexing run is in progress. */
  async whenIdle(): Promise<void> {
    await this.indexingJob.whenIdle();
  }

  /** Resolves when no training run is in progress (its 'tuning-finished' event has gone out). */
  async whenTuned(): Promise<void> {
    await this.tuningJob.whenDone();
  }

  async close(): Promise<void> {
    await this.stopWatching();
    this.indexingJob.cancel();
    this.tuningJob.cancel();
    await this.whenIdle();
    await this.whenTuned();
    await this.disposePipeline();
    await this.library.close();
    this.listeners.clear();
  }

  // ---- library

  async status(): Promise<StatusDto> {
    return statusDto({
      library: this.library.status(),
      people: {
        visible: this.people.visiblePeopleCount(),
        named: this.people.namedPeopleCount(),
        unsortedFaces: this.people.unsortedCount(),
        ignoredFaces: this.people.ignoredCount(),
      },
      indexing: this.indexingJob.progress(),
      providers: activeProviders(),
      modelVersion: this.people.modelVersion() ?? '',
      choices: installedChoices(),
    });
  }

  async listFolders(): Promise<FolderDto[]> {
    return this.library.folders().map(folderDto);
  }

  async addFolder(args: { path: string }): Promise<FolderDto> {
    const path = absolutePath(args.path, 'path');
    let folder;
    try {
      folder = this.library.addFolder(path);
    } catch (e) {
      // A full disk or a lock is not the user's path being wrong: let call() say it plainly.
      if (plainProblem(e)) throw e;
      throw new ApiError('bad-request', (e as Error).message);
    }
    this.emit({ type: 'library-changed', reason: 'folder-added' });
    return folderDto(folder);
  }

  async removeFolder(args: { folderId: number }): Promise<{ photosRemoved: number; decisionsOrphaned: number }> {
    if (!this.library.folders().some((f) => f.id === args.folderId)) {
      throw new ApiError('not-found', `no library folder ${args.folderId}`);
    }
    if (this.indexing) throw new ApiError('conflict', 'indexing is in progress: cancel it before removing a folder');
    // One undoable step with the re-grouping it causes (the remaining faces re-grouped as they would be in a
    // library that never had the folder).
    let r: { photosRemoved: number; decisionsOrphaned: number } = { photosRemoved: 0, decisionsOrphaned: 0 };
    const path = this.library.folders().find((f) => f.id === args.folderId)?.path ?? '';
    this.people.regroupAfter(`Removed the folder ${path}`, () => {
      const removed = this.library.removeFolderRestorably(args.folderId);
      r = removed;
      return removed.restore;
    });
    this.emit({ type: 'library-changed', reason: 'folder-removed' });
    return { photosRemoved: r.photosRemoved, decisionsOrphaned: r.decisionsOrphaned };
  }

  async startIndexing(): Promise<{ started: boolean }> {
    return { started: this.indexingJob.start() };
  }

  async cancelIndexing(): Promise<{ cancelled: boolean }> {
    return { cancelled: this.indexingJob.cancel() };
  }

  async listErrors(): Promise<PhotoErrorDto[]> {
    return this.library.errors().map(photoErrorDto);
  }

  async browseFolders(args: { path?: string }): Promise<FolderListingDto> {
    return browseFolders(args.path);
  }

  async listPhotos(args: ApiArgs<'listPhotos'>): Promise<PhotoPageDto> {
    const offset = args.offset ?? 0;
    const limit = args.limit ?? 200;
    if (offset < 0) throw new ApiError('bad-request', 'offset must not be negative');
    if (limit < 0 || limit > MAX_PHOTO_PAGE) {
      throw new ApiError('bad-request', `limit must be between 0 and ${MAX_PHOTO_PAGE}`);
    }
    if (args.folderId !== undefined && !this.library.folders().some((f) => f.id === args.folderId)) {
      throw new ApiError('not-found', `no library folder ${args.folderId}`);
    }
    // An unknown person would silently give an empty list: say so instead (a person merged away meanwhile).
    for (const id of new Set(args.personIds ?? [])) {
      if (!this.store.people.get(id)) throw new ApiError('not-found', `no person ${id}`);
    }
    const page = this.library.photoPage({
      ...(args.folderId !== undefined ? { folderId: args.folderId } : {}),
      ...(args.personIds ? { personIds: args.personIds } : {}),
      offset,
      limit,
    });
    return photoPageDto(page, offset);
  }

  // ---- people (read)

  async listPeople(args: { includeHidden?: boolean; search?: string }): Promise<PersonSummaryDto[]> {
    return this.people.listPeople(args).map(personSummaryDto);
  }

  async getPerson(args: { personId: number }): Promise<PersonDetailDto> {
    return personDetailDto(this.people.getPerson(args.personId));
  }

  async unsortedFaces(args: { limit?: number }): Promise<FaceDto[]> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return this.people.unsortedFaces(args.limit).map(faceDto);
  }

  async getPhoto(args: { photoId: number }): Promise<PhotoDto> {
    const photo = this.library.photo(args.photoId);
    if (!photo) throw new ApiError('not-found', `no photo ${args.photoId}`);
    return {
      id: photo.id,
      width: photo.width ?? 0,
      height: photo.height ?? 0,
      takenAt: photo.takenAt,
      faces: this.people.facesOfPhoto(photo.id).map(photoFaceDto),
    };
  }

  // ---- people (actions; each returns its undo entry)

  async renamePerson(args: { personId: number; name: string | null }): Promise<UndoEntryDto> {
    return this.changed('rename', undoEntryDto(this.people.rename(args.personId, args.name)));
  }

  async setHidden(args: { personId: number; hidden: boolean }): Promise<UndoEntryDto> {
    return this.changed('hidden', undoEntryDto(this.people.setHidden(args.personId, args.hidden)));
  }

  async setCover(args: { personId: number; faceId: number }): Promise<UndoEntryDto> {
    return this.changed('cover', undoEntryDto(this.people.setCover(args.personId, args.faceId)));
  }

  async mergePeople(args: { targetId: number; sourceIds: number[] }): Promise<UndoEntryDto> {
    return this.changed('merge', undoEntryDto(this.people.merge(args.targetId, args.sourceIds)));
  }

  async moveFaces(args: { faceIds: number[]; to: MoveTarget }): Promise<UndoEntryDto & { personId: number }> {
    const moved = this.people.moveFaces(args.faceIds, args.to);
    return this.changed('move', { ...undoEntryDto(moved), personId: moved.personId });
  }

  async confirmFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto> {
    return this.changed('confirm', undoEntryDto(this.people.confirmFaces(args.faceIds, args.personId)));
  }

  async rejectFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto> {
    return this.changed('reject', undoEntryDto(this.people.rejectFaces(args.faceIds, args.personId)));
  }

  async addManualFace(args: { photoId: number; box: Box; to: MoveTarget }): Promise<UndoEntryDto & { faceId: number }> {
    const pipeline = await this.getPipeline();
    if (!canEmbedBox(pipeline)) throw new ApiError('conflict', 'this face pipeline cannot embed a drawn box');
    const result = await this.people.addManualFace(args.photoId, args.box, args.to, async (path, box) => ({
      face: await embedManualFace(pipeline, path, box),
      modelVersion: pipeline.modelVersion,
    }));
    // The new person's id goes out too, as it always has (the contract lists only faceId).
    return this.changed('manual-face', { ...undoEntryDto(result), faceId: result.faceId, personId: result.personId });
  }

  async ignoreFaces(args: { faceIds: number[]; reason: IgnoreReasonDto }): Promise<UndoEntryDto> {
    return this.changed('ignore', undoEntryDto(this.people.ignoreFaces(args.faceIds, args.reason)));
  }

  async ignorePeople(args: { personIds: number[]; reason: IgnoreReasonDto }): Promise<UndoEntryDto> {
    return this.changed('ignore', undoEntryDto(this.people.ignorePeople(args.personIds, args.reason)));
  }

  async unignoreFaces(args: { faceIds: number[] }): Promise<UndoEntryDto> {
    return this.changed('unignore', undoEntryDto(this.people.unignoreFaces(args.faceIds)));
  }

  async ignoredFaces(args: { limit?: number }): Promise<IgnoredFaceDto[]> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return this.people.ignoredFaces(args.limit).map(ignoredFaceDto);
  }

  async reviewQueue(args: { personId?: number; limit?: number }): Promise<ReviewQueueDto> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return reviewQueueDto(this.people.reviewQueue(args));
  }

  async personSubgroups(args: { personId: number }): Promise<PersonSubgroupsDto> {
    return personSubgroupsDto(this.people.personSubgroups(args.personId));
  }

  async mergeSuggestions(args: { limit?: number }): Promise<MergeSuggestionDto[]> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return this.people.mergeSuggestions(args.limit).map(mergeSuggestionDto);
  }

  async dismissSuggestion(args: { a: number; b: number }): Promise<void> {
    this.people.dismissSuggestion(args.a, args.b);
    this.emit({ type: 'library-changed', reason: 'suggestion-dismissed' });
  }

  async roc(): Promise<RocDto> {
    return rocDto(this.people.roc());
  }

  async previewThreshold(args: { threshold: number }): Promise<ThresholdPreviewDto> {
    return thresholdPreviewDto(this.people.previewThreshold(args.threshold));
  }

  async recluster(args: { threshold?: number }): Promise<{ people: number }> {
    const r = this.people.recluster({ ...args, undoable: true });
    this.emit({ type: 'library-changed', reason: 'recluster' });
    return { people: r.people };
  }

  async getSettings(): Promise<SettingsDto> {
    return settingsDto(this.people.settings());
  }

  async updateSettings(args: Partial<SettingsDto>): Promise<SettingsDto> {
    const before = this.people.settings();
    const modelChange = MODEL_FIELDS.some(
      (k) => args[k] !== undefined && JSON.stringify(args[k]) !== JSON.stringify(before[k]),
    );
    if (modelChange && this.indexing) {
      throw new ApiError('conflict', 'indexing is in progress: cancel it before changing the model');
    }
    if (changed(args.detector, before.detector) || changed(args.embedder, before.embedder)) {
      // The packaged app ships only some models: refuse the others now, not at the next indexing.
      const next = { ...before, ...definedFields(args) };
      try {
        assertInstalled({ detector: parseDetector(next.detector), embedders: parseEmbedders(next.embedder) });
      } catch (e) {
        throw new ApiError('bad-request', e instanceof Error ? e.message : String(e));
      }
    }
    const after = this.people.updateSettings(args);
    if (modelChange) await this.disposePipeline();
    this.emit({ type: 'library-changed', reason: 'settings' });
    return settingsDto(after);
  }

  async undoStack(): Promise<UndoEntryDto[]> {
    return this.people.undoStack().map(undoEntryDto);
  }

  async undo(): Promise<UndoEntryDto | null> {
    // Undoing a switch changes the version in use: not while a run trains against it (as useModelVersion).
    if (this.tuningRun && this.people.nextUndoKind() === SWITCH_UNDO_KIND)
      throw new ApiError('conflict', 'a training run is in progress: wait for it or cancel it before undoing a switch');
    const entry = this.people.undo();
    if (entry) this.emit({ type: 'library-changed', reason: 'undo' });
    return entry && undoEntryDto(entry);
  }
  // ---- export and import

  async exportPeople(args: ApiArgs<'exportPeople'>): Promise<ExportResultDto> {
    const out = args.out === undefined ? undefined : absolutePath(args.out, 'out');
    const progress = this.taskProgress('export');
    const r = await new ExportService(this.store, this.people).export({
      format: args.format,
      ...(out !== undefined ? { out } : {}),
      ...(args.personIds ? { personIds: args.personIds } : {}),
      ...(args.link !== undefined ? { link: args.link } : {}),
      ...(args.sidecar !== undefined ? { sidecar: args.sidecar } : {}),
      confirmedOnly: args.confirmedOnly ?? false,
      onProgress: (p) => progress(p.phase, p.done, p.total),
    });
    return exportResultDto(r);
  }

  async importXmp(args: ApiArgs<'importXmp'>): Promise<ImportResultDto> {
    if (args.sidecar !== undefined && !isOneOf(SIDECAR_NAMINGS, args.sidecar)) {
      throw new ApiError('bad-request', `sidecar must be one of ${SIDECAR_NAMINGS.join(', ')}`);
    }
    if (this.indexing) throw new ApiError('conflict', 'indexing is in progress: import when it has finished');
    const folders = args.folders.map((f) => absolutePath(f, 'folders'));
    const progress = this.taskProgress('import');
    // The pipeline (models) is loaded only if a region has no detected face to match.
    const embed = async (path: string, box: Box) => {
      const pipeline = await this.getPipeline();
      if (!canEmbedBox(pipeline)) throw new Error('this face pipeline cannot embed a drawn box');
      return { face: await embedManualFace(pipeline, path, box), modelVersion: pipeline.modelVersion };
    };
    const importer = new ImportService(this.store, this.people);
    const r = await importFolders(folders, (roots) =>
      importer.importXmp(roots, {
        ...(args.sidecar !== undefined ? { sidecar: args.sidecar } : {}),
        embed,
        onProgress: (p) => progress(p.phase, p.done, p.total),
      }),
    );
    let reclustered: ImportResultDto['reclustered'] = null;
    if (r.matched + r.created > 0) {
      if (args.recluster !== false) reclustered = { people: this.people.recluster({ undoable: true }).people };
      this.emit({ type: 'library-changed', reason: 'imported' });
    }
    return importResultDto(r, reclustered);
  }

  // ---- improve recognition from the user's labels (src-main/engine/tuning/)

  async tuneStart(args: ApiArgs<'tuneStart'>): Promise<TuningStatusDto> {
    return this.tuningJob.start(args);
  }

  async tuneCancel(): Promise<{ cancelled: boolean }> {
    return { cancelled: this.tuningJob.cancel() };
  }

  async tuneStatus(): Promise<TuningStatusDto> {
    return this.tuningJob.status();
  }

  async modelVersions(): Promise<ModelVersionDto[]> {
    return this.tuning.list().map(modelVersionDto);
  }

  async useModelVersion(args: { version: number }): Promise<UseModelVersionResultDto> {
    // The run's figures compare against the version in use when it started: keep that one in place.
    if (this.tuningRun) throw new ApiError('conflict', 'a training run is in progress: wait for it or cancel it');
    const r = this.tuning.use(args.version);
    this.emit({ type: 'library-changed', reason: 'model-version' });
    return useModelVersionResultDto(r);
  }

  async forecastModelVersion(args: { version: number }): Promise<ModelVersionForecastDto> {
    // Computed when asked, never cached: faces indexed or decisions made since training change the answer.
    return modelVersionForecastDto(this.tuning.forecast(args.version));
  }

  async discardModelVersion(args: { version: number }): Promise<ModelVersionDto[]> {
    this.tuning.discard(args.version);
    this.tuningJob.discarded(args.version);
    return this.modelVersions();
  }

  // ---- internals

  /** Whether an indexing run is in progress (model changes, folder removal and import wait for its end). */
  private get indexing(): boolean {
    return this.indexingJob.running;
  }

  /** Whether a training run is in progress (switching versions waits for its end). */
  private get tuningRun(): boolean {
    return this.tuningJob.running;
  }

  /** 'task-progress' events of an export or import, at most every progressIntervalMs (a phase's last always). */
  private taskProgress(task: 'export' | 'import'): (phase: string, done: number, total: number) => void {
    const events = new Throttle(this.options.progressIntervalMs ?? 250);
    return (phase, done, total) => {
      if (events.due(done >= total)) this.emit({ type: 'task-progress', task, phase, done, total });
    };
  }

  private emit(event: ApiEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (error) {
        console.error('facenet: event listener failed:', error);
      }
    }
  }

  private changed<T>(reason: string, result: T): T {
    this.emit({ type: 'library-changed', reason });
    return result;
  }

  private getPipeline(): Promise<FacePipeline> {
    return this.pipeline.get();
  }

  private async disposePipeline(): Promise<void> {
    // A watch run may be using the pipeline: stop the watcher (its run finishes), then start a fresh one,
    // which loads the new pipeline on its next run.
    const watching = this.watching;
    if (watching) {
      await this.stopWatching();
      this.startWatching(watching.options);
    }
    await this.pipeline.dispose();
  }
}

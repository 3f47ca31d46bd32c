/**
 * EngineApi: the FaceNetApi contract (src-shared/api.ts) implemented over one library. The CLI calls it in
 * process; the HTTP/WebSocket server and Electron's IPC call `call(method, args)`, which validates the request
 * with `validateRequest` before any engine code runs and turns every failure into an ApiError (user errors
 * keep their code; anything unexpected becomes 'internal'). Events (`ApiEvent`) go to `on()` subscribers.
 *
 * Indexing runs in the background (startIndexing returns at once): progress events at most every
 * `progressIntervalMs`, new faces placed into people every `assignIntervalMs` while it runs and once at the
 * end, then 'indexing-finished' and 'library-changed' (or, when the run fails, one 'indexing-failed' with a
 * plain sentence). The face pipeline is created lazily from the settings'
 * detector, embedder and providers, and re-created after they change.
 *
 * Outside the contract, for the transports: `faceThumbnail(faceId)` and `photoFile(photoId)` give file paths
 * by id (the renderer never sees or sends paths for images).
 */
import {
  ApiError,
  isOneOf,
  SIDECAR_NAMINGS,
  validateRequest,
  type ApiArgs,
  type ApiEvent,
  type ExportResultDto,
  type FaceDto,
  type FaceNetApi,
  type FolderDto,
  type ImportResultDto,
  type IndexProgressDto,
  type MergeSuggestionDto,
  type ModelVersionDto,
  type ModelVersionForecastDto,
  type MoveTarget,
  type PersonDetailDto,
  type PersonSummaryDto,
  type PhotoDto,
  type PhotoErrorDto,
  type RocDto,
  type SettingsDto,
  type StatusDto,
  type ThresholdPreviewDto,
  type TuneReportDto,
  type TuningOutcomeDto,
  type TuningProgressDto,
  type TuningStatusDto,
  type UndoEntryDto,
  type UseModelVersionResultDto,
} from '../../src-shared/api.js';
import type { Box } from '../../src-shared/geometry.js';
import { EngineError } from '../engine/errors.js';
import { ExportService } from '../engine/interop/export-service.js';
import { emptyImportResult, ImportService, type ImportResult } from '../engine/interop/import-service.js';
import type { IndexSummary } from '../engine/indexing/indexer.js';
import type { LibraryWatcher, WatchOptions } from '../engine/indexing/watcher.js';
import { LibraryService, type OpenLibraryOptions } from '../engine/library/library-service.js';
import { distancesToCentre } from '../engine/people/people-analysis.js';
import { faceDto, PeopleService } from '../engine/people/people-service.js';
import { Library } from '../engine/storage/library.js';
import { SWITCH_UNDO_KIND, TuningService, type TuningServiceOptions } from '../engine/tuning/tuning-service.js';
import type { FacePipeline } from '../engine/vision/analysis.js';
import { canEmbedBox, embedManualFace } from '../engine/vision/manual-face.js';
import { activeProviders, type ExecutionProviderName } from '../engine/vision/onnx-session.js';
import {
  assertInstalled,
  createFaceAnalyzer,
  installedChoices,
  parseDetector,
  parseEmbedders,
} from '../engine/vision/registry.js';
import { absolutePath } from './absolute-path.js';
import { failureSentence, toApiError } from './api-errors.js';
import { plainProblem } from './plain-errors.js';
import { indexingSummaryDto, indexProgressDto } from './indexing-dto.js';
import { exportResultDto, importResultDto } from './interop-dto.js';
import {
  labelSummaryDto,
  modelVersionDto,
  modelVersionForecastDto,
  tuneReportDto,
  tuningProgressDto,
  useModelVersionResultDto,
} from './tuning-dto.js';

export interface EngineApiOptions {
  /** Builds the face pipeline from the settings (default: createFaceAnalyzer with the ONNX models). */
  createPipeline?: (settings: SettingsDto) => Promise<FacePipeline>;
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

interface IndexingRun {
  controller: AbortController;
  progress: IndexProgressDto;
  done: Promise<void>;
}

interface TuningRun {
  id: number;
  controller: AbortController;
  harmonic: boolean;
  startedAt: number;
  progress: TuningProgressDto | null;
  done: Promise<void>;
}

/** How the last finished run ended (kept for tuneStatus after its events have gone out). */
interface TuningEnd {
  id: number;
  harmonic: boolean;
  startedAt: number;
  progress: TuningProgressDto | null;
  outcome: TuningOutcomeDto;
  report: TuneReportDto | null;
  error: string | null;
}

const MODEL_FIELDS = ['detector', 'embedder', 'providers'] as const;

export function defaultPipelineFactory(settings: SettingsDto): Promise<FacePipeline> {
  return createFaceAnalyzer(
    { detector: parseDetector(settings.detector), embedders: parseEmbedders(settings.embedder) },
    {},
    { providers: settings.providers as ExecutionProviderName[] },
  );
}

function changed<T>(value: T | undefined, before: T): boolean {
  return value !== undefined && value !== before;
}

function definedFields<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class EngineApi implements FaceNetApi {
  readonly people: PeopleService;
  /** Fine-tuned embedding versions (src-main/engine/tuning/): tune, use, and new faces kept on the active version. */
  readonly tuning: TuningService;
  private readonly listeners = new Set<ApiListener>();
  private pipeline: Promise<FacePipeline> | null = null;
  private indexing: IndexingRun | null = null;
  private tuningRun: TuningRun | null = null;
  private lastTuning: TuningEnd | null = null;
  private tuningRuns = 0;
  /** The running watcher and its options while watching is on (it survives model changes). */
  private watching: { watcher: LibraryWatcher; options: WatchOptions } | null = null;
  private readonly createPipeline: (settings: SettingsDto) => Promise<FacePipeline>;

  /** `store` is the storage Library that `library` is over (see open()). */
  private constructor(
    private readonly store: Library,
    readonly library: LibraryService,
    private readonly options: EngineApiOptions = {},
  ) {
    this.people = new PeopleService(library);
    this.tuning = new TuningService(store, this.people, options.tuning);
    this.createPipeline = options.createPipeline ?? defaultPipelineFactory;
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

  /** Path of the photo's file (for the transport to stream; never sent to the renderer). */
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
    watcher.on('indexed', (summary) => this.afterIndexing(summary, 'watched-change'));
    watcher.on('error', (error) => this.indexingFailed(error, 'a watched change'));
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
    while (this.indexing) await this.indexing.done;
  }

  /** Resolves when no training run is in progress (its 'tuning-finished' event has gone out). */
  async whenTuned(): Promise<void> {
    while (this.tuningRun) await this.tuningRun.done;
  }

  async close(): Promise<void> {
    await this.stopWatching();
    this.indexing?.controller.abort();
    this.tuningRun?.controller.abort();
    await this.whenIdle();
    await this.whenTuned();
    await this.disposePipeline();
    await this.library.close();
    this.listeners.clear();
  }

  // ---- library

  async status(): Promise<StatusDto> {
    const s = this.library.status();
    return {
      folders: s.folders,
      photos: { ...s.photos },
      faces: s.faces,
      people: this.people.visiblePeopleCount(),
      namedPeople: this.people.namedPeopleCount(),
      unsortedFaces: this.people.unsortedCount(),
      decisions: s.decisions,
      orphanedDecisions: s.orphanedDecisions,
      offline: { photos: s.offline.photos, folders: [...s.offline.folders] },
      indexing: this.indexing ? { ...this.indexing.progress } : null,
      providers: activeProviders().map((p) => ({ model: p.model, provider: p.provider, fallbacks: [...p.fallbacks] })),
      modelVersion: this.people.modelVersion() ?? '',
      choices: installedChoices(),
    };
  }

  async listFolders(): Promise<FolderDto[]> {
    return this.library.folders().map((f) => ({ id: f.id, path: f.path, addedAt: f.addedAt }));
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
    return { id: folder.id, path: folder.path, addedAt: folder.addedAt };
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
    if (this.indexing) return { started: false };
    const controller = new AbortController();
    const run: IndexingRun = {
      controller,
      progress: { done: 0, total: 0, photosPerSecond: 0, facesFound: 0, etaSeconds: null, currentPath: null },
      done: Promise.resolve(),
    };
    this.indexing = run;
    run.done = this.runIndexing(run).finally(() => {
      if (this.indexing === run) this.indexing = null;
    });
    return { started: true };
  }

  async cancelIndexing(): Promise<{ cancelled: boolean }> {
    if (!this.indexing) return { cancelled: false };
    this.indexing.controller.abort();
    return { cancelled: true };
  }

  async listErrors(): Promise<PhotoErrorDto[]> {
    return this.library.errors().map((e) => ({ ...e }));
  }

  // ---- people (read)

  async listPeople(args: { includeHidden?: boolean; search?: string }): Promise<PersonSummaryDto[]> {
    return this.people.listPeople(args);
  }

  async getPerson(args: { personId: number }): Promise<PersonDetailDto> {
    return this.people.getPerson(args.personId);
  }

  async unsortedFaces(args: { limit?: number }): Promise<FaceDto[]> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return this.people.unsortedFaces(args.limit);
  }

  async getPhoto(args: { photoId: number }): Promise<PhotoDto> {
    const photo = this.library.photo(args.photoId);
    if (!photo) throw new ApiError('not-found', `no photo ${args.photoId}`);
    const lib = this.library.library;
    const faces = this.library.facesOfPhoto(photo.id);
    const distances = new Map<number, number>();
    for (const personId of new Set(faces.map((f) => f.personId).filter((p): p is number => p !== null))) {
      const vectors = lib.peopleState.vectorsOfPerson(personId);
      const sameDim = vectors.filter((v) => v.embedding.length === vectors[0]?.embedding.length);
      for (const [id, d] of distancesToCentre(sameDim)) distances.set(id, d);
    }
    const rows = lib.peopleState.faceRows(faces.map((f) => f.id));
    return {
      id: photo.id,
      width: photo.width ?? 0,
      height: photo.height ?? 0,
      takenAt: photo.takenAt,
      faces: rows.map((r) => ({
        ...faceDto(r, distances.get(r.id) ?? null),
        personName: r.personId === null ? null : (lib.people.get(r.personId)?.name ?? null),
      })),
    };
  }

  // ---- people (actions; each returns its undo entry)

  async renamePerson(args: { personId: number; name: string | null }): Promise<UndoEntryDto> {
    return this.changed('rename', this.people.rename(args.personId, args.name));
  }

  async setHidden(args: { personId: number; hidden: boolean }): Promise<UndoEntryDto> {
    return this.changed('hidden', this.people.setHidden(args.personId, args.hidden));
  }

  async setCover(args: { personId: number; faceId: number }): Promise<UndoEntryDto> {
    return this.changed('cover', this.people.setCover(args.personId, args.faceId));
  }

  async mergePeople(args: { targetId: number; sourceIds: number[] }): Promise<UndoEntryDto> {
    return this.changed('merge', this.people.merge(args.targetId, args.sourceIds));
  }

  async moveFaces(args: { faceIds: number[]; to: MoveTarget }): Promise<UndoEntryDto & { personId: number }> {
    return this.changed('move', this.people.moveFaces(args.faceIds, args.to));
  }

  async confirmFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto> {
    return this.changed('confirm', this.people.confirmFaces(args.faceIds, args.personId));
  }

  async rejectFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto> {
    return this.changed('reject', this.people.rejectFaces(args.faceIds, args.personId));
  }

  async addManualFace(args: { photoId: number; box: Box; to: MoveTarget }): Promise<UndoEntryDto & { faceId: number }> {
    const pipeline = await this.getPipeline();
    if (!canEmbedBox(pipeline)) throw new ApiError('conflict', 'this face pipeline cannot embed a drawn box');
    const result = await this.people.addManualFace(args.photoId, args.box, args.to, async (path, box) => ({
      face: await embedManualFace(pipeline, path, box),
      modelVersion: pipeline.modelVersion,
    }));
    return this.changed('manual-face', result);
  }

  async mergeSuggestions(args: { limit?: number }): Promise<MergeSuggestionDto[]> {
    if (args.limit !== undefined && args.limit < 0) throw new ApiError('bad-request', 'limit must not be negative');
    return this.people.mergeSuggestions(args.limit);
  }

  async dismissSuggestion(args: { a: number; b: number }): Promise<void> {
    this.people.dismissSuggestion(args.a, args.b);
    this.emit({ type: 'library-changed', reason: 'suggestion-dismissed' });
  }

  async roc(): Promise<RocDto> {
    return this.people.roc();
  }

  async previewThreshold(args: { threshold: number }): Promise<ThresholdPreviewDto> {
    return this.people.previewThreshold(args.threshold);
  }

  async recluster(args: { threshold?: number }): Promise<{ people: number }> {
    const r = this.people.recluster({ ...args, undoable: true });
    this.emit({ type: 'library-changed', reason: 'recluster' });
    return { people: r.people };
  }

  async getSettings(): Promise<SettingsDto> {
    return this.people.settings();
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
    return after;
  }

  async undoStack(): Promise<UndoEntryDto[]> {
    return this.people.undoStack();
  }

  async undo(): Promise<UndoEntryDto | null> {
    // Undoing a switch changes the version in use: not while a run trains against it (as useModelVersion).
    if (this.tuningRun && this.people.nextUndoKind() === SWITCH_UNDO_KIND)
      throw new ApiError('conflict', 'a training run is in progress: wait for it or cancel it before undoing a switch');
    const entry = this.people.undo();
    if (entry) this.emit({ type: 'library-changed', reason: 'undo' });
    return entry;
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
    const run = (roots: string[]) =>
      importer.importXmp(roots, {
        ...(args.sidecar !== undefined ? { sidecar: args.sidecar } : {}),
        embed,
        onProgress: (p) => progress(p.phase, p.done, p.total),
      });
    let r: ImportResult;
    try {
      r = await run(folders);
    } catch (error) {
      // One folder the importer cannot read (permissions, a disk gone) must not lose the others: import them
      // one by one and report the failing ones in `errors`. Only user errors fail the whole call.
      if (error instanceof ApiError || error instanceof EngineError || folders.length === 0) throw error;
      r = await importEach(folders, run);
    }
    let reclustered: ImportResultDto['reclustered'] = null;
    if (r.matched + r.created > 0) {
      if (args.recluster !== false) reclustered = { people: this.people.recluster({ undoable: true }).people };
      this.emit({ type: 'library-changed', reason: 'imported' });
    }
    return importResultDto(r, reclustered);
  }

  // ---- improve recognition from the user's labels (src-main/engine/tuning/)

  async tuneStart(args: { harmonic?: boolean }): Promise<TuningStatusDto> {
    if (this.tuningRun) throw new ApiError('conflict', 'a training run is already in progress');
    // Refuse here, not in the background: too few labels must reach the caller as this call's error.
    const labels = this.tuning.labels();
    if (!labels.ready) throw new ApiError('bad-request', labels.reason ?? 'not enough confirmed faces');
    const run: TuningRun = {
      id: ++this.tuningRuns,
      controller: new AbortController(),
      harmonic: args.harmonic ?? false,
      startedAt: Date.now(),
      progress: null,
      done: Promise.resolve(),
    };
    this.tuningRun = run;
    run.done = this.runTuning(run);
    return this.tuneStatus();
  }

  async tuneCancel(): Promise<{ cancelled: boolean }> {
    if (!this.tuningRun) return { cancelled: false };
    this.tuningRun.controller.abort();
    return { cancelled: true };
  }

  async tuneStatus(): Promise<TuningStatusDto> {
    const run = this.tuningRun;
    const last = this.lastTuning;
    const labels = this.tuning.labels();
    const base = { labels: labelSummaryDto(labels), activeVersion: this.tuning.activeVersion() };
    if (run)
      return {
        ...base,
        runId: run.id,
        running: true,
        harmonic: run.harmonic,
        startedAt: run.startedAt,
        progress: run.progress && { ...run.progress },
        outcome: null,
        report: null,
        error: null,
      };
    return {
      ...base,
      runId: last?.id ?? 0,
      running: false,
      harmonic: last?.harmonic ?? false,
      startedAt: last?.startedAt ?? null,
      progress: last?.progress ?? null,
      outcome: last?.outcome ?? null,
      report: last?.report ?? null,
      error: last?.error ?? null,
    };
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
    if (this.lastTuning?.report?.version === args.version) this.lastTuning = { ...this.lastTuning, report: null };
    return this.modelVersions();
  }

  // ---- internals

  /** One training run in the background: throttled progress events, then the end recorded and announced. */
  private async runTuning(run: TuningRun): Promise<void> {
    const interval = this.options.progressIntervalMs ?? 250;
    let lastEmit = -Infinity;
    let end: Pick<TuningEnd, 'outcome' | 'report' | 'error'>;
    try {
      const report = await this.tuning.tune({
        harmonic: run.harmonic,
        signal: run.controller.signal,
        onProgress: (p) => {
          run.progress = tuningProgressDto(p, run.progress?.heldOutVal ?? null);
          const now = performance.now();
          // Epoch ends carry the held-out figure: always sent; steps at most every `interval` ms.
          if (p.kind === 'step' && now - lastEmit < interval) return;
          lastEmit = now;
          this.emit({ type: 'tuning-progress', runId: run.id, progress: { ...run.progress } });
        },
      });
      end = { outcome: 'done', report: tuneReportDto(report.version, report), error: null };
    } catch (error) {
      const cancelled = (error as Error | null)?.name === 'AbortError';
      if (!cancelled) console.error('facenet: tuning failed:', error);
      end = cancelled
        ? { outcome: 'cancelled', report: null, error: 'cancelled' }
        : { outcome: 'failed', report: null, error: toApiError(error).message };
    }
    // Recorded before the event goes out, so a listener asking tuneStatus() sees the run finished.
    this.lastTuning = { id: run.id, harmonic: run.harmonic, startedAt: run.startedAt, progress: run.progress, ...end };
    if (this.tuningRun === run) this.tuningRun = null;
    this.emit({ type: 'tuning-finished', runId: run.id, ...end });
  }

  /** Throttled 'task-progress' events (the last one of a phase always goes out). */
  private taskProgress(task: 'export' | 'import'): (phase: string, done: number, total: number) => void {
    const interval = this.options.progressIntervalMs ?? 250;
    let last = -Infinity;
    return (phase, done, total) => {
      const now = performance.now();
      if (now - last < interval && done < total) return;
      last = now;
      this.emit({ type: 'task-progress', task, phase, done, total });
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
    if (!this.pipeline) {
      const pending = this.createPipeline(this.people.settings());
      this.pipeline = pending;
      pending.then(
        (p) => this.people.setModelVersion(p.modelVersion),
        () => {
          if (this.pipeline === pending) this.pipeline = null;
        },
      );
    }
    return this.pipeline;
  }

  private async disposePipeline(): Promise<void> {
    // A watch run may be using the pipeline: stop the watcher (its run finishes), then start a fresh one,
    // which loads the new pipeline on its next run.
    const watching = this.watching;
    if (watching) {
      await this.stopWatching();
      this.startWatching(watching.options);
    }
    const pending = this.pipeline;
    this.pipeline = null;
    if (!pending) return;
    try {
      await (await pending).dispose();
    } catch {
      // a pipeline that failed to load has nothing to dispose
    }
  }

  private async runIndexing(run: IndexingRun): Promise<void> {
    const progressInterval = this.options.progressIntervalMs ?? 250;
    const assignInterval = this.options.assignIntervalMs ?? 5000;
    let gap = assignInterval;
    try {
      const pipeline = await this.getPipeline();
      this.people.setModelVersion(pipeline.modelVersion);
      let lastEmit = 0;
      let lastAssign = performance.now();
      const summary = await this.library.index(pipeline, {
        signal: run.controller.signal,
        concurrency: this.options.concurrency,
        onProgress: (p) => {
          run.progress = indexProgressDto(p);
          const now = performance.now();
          if (now - lastEmit >= progressInterval || p.done === p.total) {
            lastEmit = now;
            this.emit({ type: 'indexing-progress', progress: indexProgressDto(p) });
          }
          if (now - lastAssign >= gap) {
            this.tuning.syncEmbeddings();
            const t0 = performance.now();
            this.people.assignNew();
            // A re-grouping is a full one (order-independent), so on a large library it costs seconds: keep
            // it to a tenth of the indexing time.
            gap = Math.max(assignInterval, 10 * (performance.now() - t0));
            lastAssign = performance.now();
            this.emit({ type: 'library-changed', reason: 'people-updated' });
          }
        },
      });
      this.afterIndexing(summary, summary.aborted ? 'indexing-cancelled' : 'indexed');
    } catch (error) {
      this.indexingFailed(error, 'indexing');
    }
  }

  /** An indexing run (explicit or watch-triggered) failed: logged in full, sent as one plain event. */
  private indexingFailed(error: unknown, what: string): void {
    console.error(`facenet: ${what} failed:`, error);
    this.emit({ type: 'indexing-failed', message: failureSentence(error) });
  }

  /** After a run (explicit or watch-triggered): embeddings of the active version, people, events. */
  private afterIndexing(summary: IndexSummary, reason: string): void {
    this.tuning.syncEmbeddings();
    this.people.assignNew();
    this.emit({ type: 'indexing-finished', summary: indexingSummaryDto(summary) });
    this.emit({ type: 'library-changed', reason });
  }
}

/** The folders imported one at a time; a folder that fails is an entry in `errors`, the others go on. */
async function importEach(folders: string[], run: (roots: string[]) => Promise<ImportResult>): Promise<ImportResult> {
  let total: ImportResult | null = null;
  const failed: ImportResult['errors'] = [];
  for (const folder of folders) {
    let r: ImportResult;
    try {
      r = await run([folder]);
    } catch (error) {
      failed.push({ path: folder, error: folderError(error) });
      continue;
    }
    total = total === null ? { ...r } : mergeImports(total, r);
  }
  const base: ImportResult = total ?? emptyImportResult();
  return { ...base, errors: [...base.errors, ...failed] };
}

/** Two folders' results as one (people: the sum, so a person named in both folders counts twice). */
function mergeImports(a: ImportResult, b: ImportResult): ImportResult {
  const sum = (k: keyof ImportResult) => (a[k] as number) + (b[k] as number);
  return {
    photos: sum('photos'),
    photosWithRegions: sum('photosWithRegions'),
    regions: sum('regions'),
    unnamedRegions: sum('unnamedRegions'),
    matched: sum('matched'),
    created: sum('created'),
    alreadyConfirmed: sum('alreadyConfirmed'),
    people: sum('people'),
    newPeople: sum('newPeople'),
    conflicts: [...a.conflicts, ...b.conflicts],
    notIndexed: [...a.notIndexed, ...b.notIndexed],
    errors: [...a.errors, ...b.errors],
  };
}

/** Why a folder could not be imported, without internals (the full error is logged). */
function folderError(error: unknown): string {
  if ((error instanceof ApiError && error.code !== 'internal') || error instanceof EngineError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  const plain = plainProblem(error);
  if (plain) return plain.message;
  if (code === 'EACCES' || code === 'EPERM')
    return 'the folder (or a folder inside it) cannot be read: permission denied';
  if (code === 'ENOENT') return 'the folder (or a file inside it) is gone';
  return toApiError(error).message;
}

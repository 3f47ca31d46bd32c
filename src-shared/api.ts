/**
 * The one contract between the renderer and the engine. The same method table is served by Electron IPC
 * (desktop) and by `facenet serve` over HTTP + WebSocket (browser, end-to-end tests), and used by the CLI
 * in-process. Every payload is plain JSON (no typed arrays, no Dates: epoch milliseconds), and every
 * request is validated at the boundary with `validateRequest` before it reaches the engine.
 *
 * Distances are FaceNet's squared L2 between unit embeddings (0..4) everywhere.
 * Images are never addressed by path from the renderer: thumbnails and photos are fetched by id
 * (`faceThumbnailUrl`, `photoUrl` are built by the transport).
 */
import type { SkippedFiles } from './photo-formats.js';
import type { Box } from './geometry.js';

export type PhotoErrorReasonDto = 'unreadable' | 'unsupported' | 'corrupt' | 'too-large' | 'empty';

export interface FolderDto {
  id: number;
  path: string;
  addedAt: number;
}

export interface IndexProgressDto {
  done: number;
  total: number;
  photosPerSecond: number;
  facesFound: number;
  /** null until the rate is known. */
  etaSeconds: number | null;
  currentPath: string | null;
}

export interface StatusDto {
  folders: number;
  photos: { pending: number; done: number; error: number; total: number };
  faces: number;
  people: number;
  namedPeople: number;
  unsortedFaces: number;
  /** Faces in Ignored (not a face, or a stranger): never grouped. Absent from engines that do not report it. */
  ignoredFaces?: number;
  decisions: number;
  orphanedDecisions: number;
  /**
   * Photos kept although their files were not found, because their folder was not reachable at the latest
   * indexing (unmounted drive, permission denied, suddenly empty), and those folders. Absent from engines that
   * do not report it.
   */
  offline?: { photos: number; folders: string[] };
  /** Indexed photos by format ('JPEG', 'HEIC', 'RAW', …; src-shared/photo-formats.ts), most first. */
  formats?: Array<{ format: string; photos: number }>;
  /**
   * Files in the library folders not indexed on purpose at the latest full indexing, by reason (videos; RAW files
   * with a same-named JPEG, which stands for them): `describeSkipped` says each in plain words.
   */
  skipped?: SkippedFiles[];
  /** Indexing in progress, or null when idle. */
  indexing: IndexProgressDto | null;
  /** Execution provider per loaded model (cpu, cuda, dml, coreml) and why better ones were skipped. */
  providers: Array<{ model: string; provider: string; fallbacks: Array<{ provider: string; reason: string }> }>;
  modelVersion: string;
  /**
   * The detectors and embedders this installation has the model files for (the packaged app ships only the
   * default pipeline's); Settings offers only these. Absent from engines that do not report it.
   */
  choices?: { detectors: string[]; embedders: string[] };
}

export interface PhotoErrorDto {
  photoId: number;
  path: string;
  reason: PhotoErrorReasonDto;
  detail: string | null;
  indexedAt: number | null;
}

export interface PersonSummaryDto {
  id: number;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  confirmedCount: number;
  coverFaceId: number | null;
}

export interface FaceDto {
  id: number;
  photoId: number;
  /** Box in the pixels of the oriented photo. */
  box: Box;
  score: number;
  quality: number;
  personId: number | null;
  /** 'confirmed' when the user said so (or imported it); 'auto' when clustering put it there. */
  assignment: 'auto' | 'confirmed' | null;
  /** Distance to the person's centre (null when unassigned). */
  distance: number | null;
}

export interface PersonDetailDto {
  person: PersonSummaryDto;
  /** Sorted: confirmed first, then by distance to the person's centre. */
  faces: FaceDto[];
}

export interface PhotoDto {
  id: number;
  width: number;
  height: number;
  takenAt: string | null;
  /** Every face of the photo; `ignored` says why the user took it out of the people (null: it is not ignored). */
  faces: Array<FaceDto & { personName: string | null; ignored: IgnoreReasonDto | null }>;
}

/** One photo in the Photos grid (listPhotos): enough to lay out and label a cell; the image is fetched by id. */
export interface PhotoListItemDto {
  id: number;
  width: number;
  height: number;
  /** EXIF capture date ('YYYY-MM-DDTHH:MM:SS', the camera's local time), or null when the photo has none. */
  takenAt: string | null;
  /** What the list is sorted by: takenAt, else the file's modification time in the same form (UTC). */
  capturedAt: string;
  /** Faces found or drawn in the photo, less those the user said are not faces. */
  faceCount: number;
}

/** One page of listPhotos: the photos from `offset`, newest first, and how many the whole list has. */
export interface PhotoPageDto {
  total: number;
  offset: number;
  photos: PhotoListItemDto[];
}

/** Most photos in one listPhotos page. */
export const MAX_PHOTO_PAGE = 1000;

/** A folder's subfolders (browseFolders): names only, never files; hidden folders (".name") left out. */
export interface FolderListingDto {
  /** The folder listed (absolute). */
  path: string;
  /** Its parent folder, or null at the top of the file system. */
  parent: string | null;
  /** Sorted by name, case-insensitively. */
  folders: Array<{ name: string; path: string }>;
}

/**
 * Why a face is ignored: 'not-a-face' (a false detection: a dog, a poster, a pattern) or 'stranger' (a real
 * face the user does not want grouped). Ignored faces are in no person, not in Unsorted, and re-grouping
 * never uses them; the two reasons are stored apart.
 */
export const IGNORE_REASONS = ['not-a-face', 'stranger'] as const;
export type IgnoreReasonDto = (typeof IGNORE_REASONS)[number];

/** An ignored face, why, and when (epoch ms). */
export interface IgnoredFaceDto extends FaceDto {
  reason: IgnoreReasonDto;
  ignoredAt: number;
}

/** Two people who are probably one person; suggestions come most likely first. */
export interface MergeSuggestionDto {
  a: PersonSummaryDto;
  b: PersonSummaryDto;
  /** Up to 4 typical faces of each side (nearest their person's centre first), for thumbnails. */
  aFaceIds: number[];
  bFaceIds: number[];
  /** How far apart the two people are (squared L2; docs/merge-suggestions.md says which measure). */
  distance: number;
  /** That distance relative to where suggestions stop for this pair (at most 1): lower is more likely one person. */
  score: number;
}

/** A face the grouping put into a named person that the user has not confirmed: "Is this Alice?". */
export interface ReviewItemDto {
  face: FaceDto;
  person: PersonSummaryDto;
  /**
   * How doubtful the face is: its mean squared L2 to the person's confirmed faces (to all the person's faces when
   * none is confirmed). The queue is ordered by it, largest (most doubtful) first.
   */
  distance: number;
  /** Up to 3 of the person's confirmed faces, the most alike first, to compare with. */
  references: number[];
}

export interface ReviewQueueDto {
  /** Faces waiting for review in the queue's scope; `items` are the first `limit` of them. */
  total: number;
  items: ReviewItemDto[];
}

/** A person's faces grouped by similarity, at a stricter cut than the grouping that made the person. */
export interface PersonSubgroupsDto {
  person: PersonSummaryDto;
  /** The cut (squared L2, average linkage): a fraction of the clustering threshold. */
  threshold: number;
  /** Largest first; each group's faces from its centre outwards. */
  groups: Array<{
    faces: FaceDto[];
    /** Average-linkage distance to the person's other faces (null when there is one group). */
    distanceToRest: number | null;
  }>;
  /** Faces embedded by another model than the current one (not comparable): in no group. */
  otherModel: FaceDto[];
}

export interface ThresholdPreviewDto {
  threshold: number;
  /** People shown after Apply (named, or with faces): exactly what Apply gives. */
  people: number;
  /** People shown now. */
  peopleNow: number;
  /** Faces whose person would change (to another person, a new one, or Unsorted). */
  facesMoving: number;
  /** People that would merge together at this threshold (groups of current person ids). */
  merges: number[][];
  /** Current people that would be split (person id and how many parts). */
  splits: Array<{ personId: number; parts: number }>;
}

export interface RocDto {
  /** From the user's confirmed labels: same-person and different-person pairs among confirmed faces. */
  points: Array<{ threshold: number; val: number; far: number }>;
  samePairs: number;
  differentPairs: number;
  threshold: number;
}

export interface SettingsDto {
  /** Clustering distance threshold (squared L2, average linkage). */
  threshold: number;
  /** Faces below this quality (0..1) go to Unsorted. */
  minQuality: number;
  /** Clusters smaller than this go to Unsorted. */
  minClusterSize: number;
  detector: string;
  embedder: string;
  /** Preferred execution providers in order, e.g. ['cuda', 'cpu']. */
  providers: string[];
}

export interface UndoEntryDto {
  id: number;
  /** What the user did, in words ("Merged Anna into Ben"). */
  label: string;
  at: number;
}

/** Where a face goes when moved: an existing person, or a new person (optionally named). */
export type MoveTarget = { personId: number } | { newPerson: true; name?: string };

export const EXPORT_FORMATS = ['folders', 'csv', 'json', 'xmp'] as const;
export type ExportFormatDto = (typeof EXPORT_FORMATS)[number];
/** How the folders format puts a photo in a person's folder. */
export const LINK_MODES = ['symlink', 'hardlink', 'copy'] as const;
export type LinkModeDto = (typeof LINK_MODES)[number];
/** XMP sidecar file naming: `IMG_1.jpg.xmp` (default) or `IMG_1.xmp`. */
export const SIDECAR_NAMINGS = ['photo.jpg.xmp', 'photo.xmp'] as const;
export type SidecarNamingDto = (typeof SIDECAR_NAMINGS)[number];

/** Whether `value` is one of `values` (narrows a string from a command line or a form to the enum). */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** What `exportPeople` did (see src-main/engine/interop/export-service.ts). */
export interface ExportResultDto {
  format: ExportFormatDto;
  /** The output folder; null for xmp (sidecars next to the photos). */
  out: string | null;
  people: number;
  photos: number;
  faces: number;
  /** folders: links/copies made; csv/json: manifests written; xmp: sidecars written or already up to date. */
  written: number;
  /** folders: entries an earlier export had already made. */
  reused: number;
  /** The manifest, the person folders, or the sidecars. */
  files: string[];
  errors: Array<{ path: string; error: string }>;
}

/** What `importXmp` did (see src-main/engine/interop/import-service.ts). */
export interface ImportResultDto {
  /** Library photos found under the folders. */
  photos: number;
  /** Of those, photos with at least one named face region. */
  photosWithRegions: number;
  /** Named face regions read (unnamed ones are counted apart and ignored). */
  regions: number;
  unnamedRegions: number;
  /** Regions matched to a detected face and confirmed. */
  matched: number;
  /** Faces created for regions the detector had missed. */
  created: number;
  /** Regions whose face was already confirmed for that person (nothing to do). */
  alreadyConfirmed: number;
  /** Distinct people the names belong to, and how many of them the import created. */
  people: number;
  newPeople: number;
  /** Regions left alone (the user decided otherwise, or no face could be made), with the reason. */
  conflicts: Array<{ path: string; name: string; reason: string }>;
  /** Photos with named regions the library has not indexed yet (index them, then import again). */
  notIndexed: string[];
  errors: Array<{ path: string; error: string }>;
  /** People after the re-cluster that followed (null when nothing changed or it was not asked for). */
  reclustered: { people: number } | null;
}

/** A rate (0..1) or null where it could not be measured (e.g. too few held-out faces). */
export type RateDto = number | null;

/**
 * What one "Improve recognition" run measured (src-main/engine/tuning/tuning-service.ts): figures on confirmed faces
 * held out of training, before = the version in use when the run started, after = the new one.
 */
export interface TuneReportDto {
  /** The stored version; it is not in use until `useModelVersion`. */
  version: number;
  /** The version it was trained from (0 = shipped). */
  parent: number;
  /** Trained to stay comparable with the parent's embeddings (harmonic loss). */
  harmonic: boolean;
  labels: {
    faces: number;
    people: number;
    trainFaces: number;
    heldOutFaces: number;
    heldOutPeople: number;
    /** Same-person and different-person pairs among the held-out faces (0 in reports stored before they were). */
    heldOutSamePairs: number;
    heldOutDifferentPairs: number;
  };
  heldOut: {
    /** VAL at FAR 1e-3; crossVersion: one face embedded by the parent, the other by the new version. */
    valAtFar1e3: { before: RateDto; after: RateDto; crossVersion: RateDto };
    /** Share of held-out faces whose nearest confirmed (training) face is of the right person. */
    nearestLabelledAccuracy: { before: RateDto; after: RateDto };
    /** BCubed F of clustering the held-out faces at the library's threshold: do the right people end up together. */
    clusterBCubedF: { before: RateDto; after: RateDto };
    /** Held-out faces whose nearest-face person changes; fixed = now right, broken = now wrong. */
    changedPerson: number;
    fixed: number;
    broken: number;
  };
  /**
   * At training time, what applying the version would have done: faces of the library whose person changes
   * and people before and after (the re-grouping plan under the new vectors). The library may change before
   * Apply: `forecastModelVersion` says it again when asked. peopleNow/peopleAfter are null in older reports.
   */
  library: { faces: number; wouldChangePerson: number; peopleNow: number | null; peopleAfter: number | null };
  training: {
    steps: number;
    bestEpoch: number;
    stopReason: 'early-stopping' | 'max-epochs' | 'max-steps' | 'time-limit';
    seconds: number;
  };
}

/** Live progress of a training run. */
export interface TuningProgressDto {
  epoch: number;
  step: number;
  /** Upper bound on the steps of the run (training usually stops early). */
  totalSteps: number;
  /** Mean triplet loss of the last step or epoch. */
  loss: number;
  /** VAL at FAR 1e-3 on the faces the trainer keeps aside for early stopping (null until measured). */
  heldOutVal: RateDto;
  /** How many faces, of how many people, that figure is measured on (0 when none are set aside). */
  heldOutFaces: number;
  heldOutPeople: number;
  elapsedMs: number;
}

/** How a training run ended. */
export type TuningOutcomeDto = 'done' | 'cancelled' | 'failed';

export interface TuningStatusDto {
  /** Runs started since the engine started (0 = none); the events carry the same number. */
  runId: number;
  running: boolean;
  /** Harmonic flag and start time of the run in progress, or of the last one. */
  harmonic: boolean;
  startedAt: number | null;
  progress: TuningProgressDto | null;
  /** How the last finished run ended (null while none has). */
  outcome: TuningOutcomeDto | null;
  /** The last finished run's report; null after a cancel or a failure, or once its version is discarded. */
  report: TuneReportDto | null;
  /** Why the last run failed (or 'cancelled'). */
  error: string | null;
  /**
   * Confirmed faces there are to learn from now, of how many people, how many of those people have enough of
   * them; whether a run can start (reason when not) and what a run needs.
   */
  labels: {
    faces: number;
    people: number;
    peopleWithEnough: number;
    ready: boolean;
    reason: string | null;
    needed: { faces: number; people: number; facesPerPerson: number };
  };
  /** The version in use (0 = shipped). */
  activeVersion: number;
}

/** One embedding version: 0 is the one shipped with the app; the others were learned from the user's labels. */
export interface ModelVersionDto {
  version: number;
  active: boolean;
  /** Epoch milliseconds; null for version 0. */
  createdAt: number | null;
  /** The version it was trained from; null for version 0. */
  parent: number | null;
  harmonic: boolean;
  /** Its before/after figures, as measured when it was trained; null for version 0. */
  report: TuneReportDto | null;
}

/**
 * What `useModelVersion` did: every face re-embedded with that version, then a re-grouping honouring decisions,
 * or, back on a version nothing was decided since, the people exactly as they were then (restoredEarlier).
 */
export interface UseModelVersionResultDto {
  version: number;
  previous: number;
  reembedded: number;
  people: number;
  unsorted: number;
  /** Faces whose person changed. */
  facesMoved: number;
  restoredEarlier: boolean;
  /**
   * The History entry it pushed; `undo` puts back the previous version and people exactly. Null when nothing
   * changed: the version was already in use, every face on its vectors.
   */
  undo: UndoEntryDto | null;
}

/** What `useModelVersion` would do if called now (the same plan it writes). */
export interface ModelVersionForecastDto {
  version: number;
  /** Faces of the library's current model. */
  faces: number;
  facesMoving: number;
  peopleNow: number;
  peopleAfter: number;
  /** Switching back to a version nothing was decided since: the people as they were then. */
  restoresEarlier: boolean;
}

/**
 * The method table. Every method is async over every transport. Destructive methods return the undo
 * entry they pushed, so the UI can offer "Undo".
 */
export interface FaceNetApi {
  status(): Promise<StatusDto>;
  listFolders(): Promise<FolderDto[]>;
  addFolder(args: { path: string }): Promise<FolderDto>;
  removeFolder(args: { folderId: number }): Promise<{ photosRemoved: number; decisionsOrphaned: number }>;
  startIndexing(): Promise<{ started: boolean }>;
  cancelIndexing(): Promise<{ cancelled: boolean }>;
  listErrors(): Promise<PhotoErrorDto[]>;
  /**
   * The subfolders of a folder (default: the home folder; `~` is the home folder), for the browser's folder
   * picker: names only, hidden folders left out. Not a folder or not readable: 'bad-request' with the reason.
   */
  browseFolders(args: { path?: string }): Promise<FolderListingDto>;
  /**
   * Analysed photos, newest first by capture date (else file date): all of them, of one library folder, and/or
   * those where every one of `personIds` appears ("A and B together"). Paged: `offset` (default 0), `limit`
   * (default 200, at most MAX_PHOTO_PAGE); `total` counts the whole list. Photos without faces are included.
   */
  listPhotos(args: { folderId?: number; personIds?: number[]; offset?: number; limit?: number }): Promise<PhotoPageDto>;

  listPeople(args: { includeHidden?: boolean; search?: string }): Promise<PersonSummaryDto[]>;
  getPerson(args: { personId: number }): Promise<PersonDetailDto>;
  unsortedFaces(args: { limit?: number }): Promise<FaceDto[]>;
  getPhoto(args: { photoId: number }): Promise<PhotoDto>;

  renamePerson(args: { personId: number; name: string | null }): Promise<UndoEntryDto>;
  setHidden(args: { personId: number; hidden: boolean }): Promise<UndoEntryDto>;
  setCover(args: { personId: number; faceId: number }): Promise<UndoEntryDto>;
  mergePeople(args: { targetId: number; sourceIds: number[] }): Promise<UndoEntryDto>;
  moveFaces(args: { faceIds: number[]; to: MoveTarget }): Promise<UndoEntryDto & { personId: number }>;
  confirmFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto>;
  rejectFaces(args: { faceIds: number[]; personId: number }): Promise<UndoEntryDto>;
  addManualFace(args: { photoId: number; box: Box; to: MoveTarget }): Promise<UndoEntryDto & { faceId: number }>;
  /** "Not a face" / "ignore this stranger": the faces leave their people and Unsorted; undoable. */
  ignoreFaces(args: { faceIds: number[]; reason: IgnoreReasonDto }): Promise<UndoEntryDto>;
  /** Every face of these people is ignored, as one undoable action (bulk: small unnamed groups). */
  ignorePeople(args: { personIds: number[]; reason: IgnoreReasonDto }): Promise<UndoEntryDto>;
  /** Back from Ignored: to the person each face was confirmed for, else where clustering's vote puts it. */
  unignoreFaces(args: { faceIds: number[] }): Promise<UndoEntryDto>;
  /** The ignored faces, most recently ignored first. */
  ignoredFaces(args: { limit?: number }): Promise<IgnoredFaceDto[]>;

  /**
   * "Is this Alice?": the faces the grouping put into named people (or into `personId`, named or not) that the
   * user has not confirmed, most doubtful first (default limit 200). Answer with confirmFaces / rejectFaces.
   */
  reviewQueue(args: { personId?: number; limit?: number }): Promise<ReviewQueueDto>;
  /** A person's faces in sub-groups by similarity (deterministic), to split a wrong person with one Move. */
  personSubgroups(args: { personId: number }): Promise<PersonSubgroupsDto>;

  mergeSuggestions(args: { limit?: number }): Promise<MergeSuggestionDto[]>;
  dismissSuggestion(args: { a: number; b: number }): Promise<void>;

  roc(): Promise<RocDto>;
  previewThreshold(args: { threshold: number }): Promise<ThresholdPreviewDto>;
  recluster(args: { threshold?: number }): Promise<{ people: number }>;

  getSettings(): Promise<SettingsDto>;
  updateSettings(args: Partial<SettingsDto>): Promise<SettingsDto>;

  undoStack(): Promise<UndoEntryDto[]>;
  undo(): Promise<UndoEntryDto | null>;

  /** People out: per-person folders, CSV/JSON manifests, or XMP sidecars next to the photos (default: named people). */
  exportPeople(args: {
    format: ExportFormatDto;
    out?: string;
    personIds?: number[];
    link?: LinkModeDto;
    sidecar?: SidecarNamingDto;
    confirmedOnly?: boolean;
  }): Promise<ExportResultDto>;
  /** Names in (MWG/MP face regions of the library's photos under the folders) as confirmed faces. */
  importXmp(args: { folders: string[]; sidecar?: SidecarNamingDto; recluster?: boolean }): Promise<ImportResultDto>;

  /**
   * "Improve recognition from my labels": starts learning a new embedding version from the confirmed faces in
   * the background and returns at once ('tuning-progress', then 'tuning-finished'). One run at a time
   * (another: 'conflict'); too few confirmed faces: 'bad-request'. The new version is stored, not used.
   * `seed` (an integer, default 1) picks the held-out faces and the training's random choices: the same seed on
   * the same labels gives the same split (`facenet tune --seed`).
   */
  tuneStart(args: { harmonic?: boolean; seed?: number }): Promise<TuningStatusDto>;
  /** Stops the run in progress; nothing is stored. */
  tuneCancel(): Promise<{ cancelled: boolean }>;
  tuneStatus(): Promise<TuningStatusDto>;
  /** Version 0 (shipped) and every learned version, the one in use marked. */
  modelVersions(): Promise<ModelVersionDto[]>;
  /** Apply, roll back or roll forward: every face re-embedded with that version, people re-clustered. */
  useModelVersion(args: { version: number }): Promise<UseModelVersionResultDto>;
  /** What useModelVersion would do now: faces that would change person, people now and after. */
  forecastModelVersion(args: { version: number }): Promise<ModelVersionForecastDto>;
  /** Deletes a learned version that is not in use; answers the versions left. */
  discardModelVersion(args: { version: number }): Promise<ModelVersionDto[]>;
}

export type ApiMethod = keyof FaceNetApi;
export type ApiArgs<M extends ApiMethod> = Parameters<FaceNetApi[M]>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<FaceNetApi[M]>>;

/** Events pushed from the engine to every connected renderer. */
export type ApiEvent =
  | { type: 'indexing-progress'; progress: IndexProgressDto }
  | { type: 'indexing-finished'; summary: { analysed: number; failed: number; facesFound: number; seconds: number } }
  /** Indexing stopped on an error (a full disk, a lock held elsewhere, models that fail to load): a plain sentence. */
  | { type: 'indexing-failed'; message: string }
  | { type: 'library-changed'; reason: string }
  | { type: 'task-progress'; task: 'export' | 'import'; phase: string; done: number; total: number }
  | { type: 'tuning-progress'; runId: number; progress: TuningProgressDto }
  | {
      type: 'tuning-finished';
      runId: number;
      outcome: TuningOutcomeDto;
      report: TuneReportDto | null;
      error: string | null;
    };

export const API_ERROR_CODES = ['bad-request', 'not-found', 'conflict', 'internal'] as const;

/** Thrown (and transported) for bad requests; `code` lets the UI tell user errors from bugs. */
export class ApiError extends Error {
  constructor(
    readonly code: (typeof API_ERROR_CODES)[number],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Whether a failure is an ApiError, where it is turned into a reply to a client (the HTTP server, Electron's
 * IPC). `instanceof` is not enough: an engine loaded from another copy of this module (a bundled worker,
 * another build) throws errors of another ApiError class, recognised by their name and a known code.
 */
export function isApiError(error: unknown): error is ApiError {
  if (error instanceof ApiError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === 'ApiError' && isOneOf(API_ERROR_CODES, e.code);
}

/** The `{ code, message }` a transport sends for an ApiError (a foreign one may lack its message). */
export function apiErrorBody(error: ApiError): { code: ApiError['code']; message: string } {
  return { code: error.code, message: (error.message as string | undefined) ?? '' };
}

// ---------------------------------------------------------------------------------------------------
// Boundary validation: a small schema per method, checked before any engine code runs.

type FieldType =
  'number' | 'integer' | 'string' | 'boolean' | 'string|null' | 'name|null' | 'integer[]' | 'box' | 'move' | 'string[]';

/** Longest person name (renamePerson, moveFaces/addManualFace to a new person). */
export const MAX_NAME_LENGTH = 200;
/** Longest string field (paths, search text, ids of models). */
export const MAX_STRING_LENGTH = 4096;
/** Most ids in one list (faceIds, sourceIds, personIds). */
export const MAX_IDS = 100_000;
/** Most strings in one list (folders, providers). */
export const MAX_STRINGS = 16;

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
/** A field's type; `oneOf` restricts a string to those values (the enum types above). */
type Schema = Record<string, { type: FieldType; optional?: boolean; oneOf?: readonly string[] }>;

const NO_ARGS: Schema = {};

const SCHEMAS: { [M in ApiMethod]: Schema } = {
  status: NO_ARGS,
  listFolders: NO_ARGS,
  addFolder: { path: { type: 'string' } },
  removeFolder: { folderId: { type: 'integer' } },
  startIndexing: NO_ARGS,
  cancelIndexing: NO_ARGS,
  listErrors: NO_ARGS,
  browseFolders: { path: { type: 'string', optional: true } },
  listPhotos: {
    folderId: { type: 'integer', optional: true },
    personIds: { type: 'integer[]', optional: true },
    offset: { type: 'integer', optional: true },
    limit: { type: 'integer', optional: true },
  },
  listPeople: { includeHidden: { type: 'boolean', optional: true }, search: { type: 'string', optional: true } },
  getPerson: { personId: { type: 'integer' } },
  unsortedFaces: { limit: { type: 'integer', optional: true } },
  getPhoto: { photoId: { type: 'integer' } },
  renamePerson: { personId: { type: 'integer' }, name: { type: 'name|null' } },
  setHidden: { personId: { type: 'integer' }, hidden: { type: 'boolean' } },
  setCover: { personId: { type: 'integer' }, faceId: { type: 'integer' } },
  mergePeople: { targetId: { type: 'integer' }, sourceIds: { type: 'integer[]' } },
  moveFaces: { faceIds: { type: 'integer[]' }, to: { type: 'move' } },
  confirmFaces: { faceIds: { type: 'integer[]' }, personId: { type: 'integer' } },
  rejectFaces: { faceIds: { type: 'integer[]' }, personId: { type: 'integer' } },
  addManualFace: { photoId: { type: 'integer' }, box: { type: 'box' }, to: { type: 'move' } },
  ignoreFaces: { faceIds: { type: 'integer[]' }, reason: { type: 'string', oneOf: IGNORE_REASONS } },
  ignorePeople: { personIds: { type: 'integer[]' }, reason: { type: 'string', oneOf: IGNORE_REASONS } },
  unignoreFaces: { faceIds: { type: 'integer[]' } },
  ignoredFaces: { limit: { type: 'integer', optional: true } },
  reviewQueue: { personId: { type: 'integer', optional: true }, limit: { type: 'integer', optional: true } },
  personSubgroups: { personId: { type: 'integer' } },
  mergeSuggestions: { limit: { type: 'integer', optional: true } },
  dismissSuggestion: { a: { type: 'integer' }, b: { type: 'integer' } },
  roc: NO_ARGS,
  previewThreshold: { threshold: { type: 'number' } },
  recluster: { threshold: { type: 'number', optional: true } },
  getSettings: NO_ARGS,
  updateSettings: {
    threshold: { type: 'number', optional: true },
    minQuality: { type: 'number', optional: true },
    minClusterSize: { type: 'integer', optional: true },
    detector: { type: 'string', optional: true },
    embedder: { type: 'string', optional: true },
    providers: { type: 'string[]', optional: true },
  },
  undoStack: NO_ARGS,
  undo: NO_ARGS,
  exportPeople: {
    format: { type: 'string', oneOf: EXPORT_FORMATS },
    out: { type: 'string', optional: true },
    personIds: { type: 'integer[]', optional: true },
    link: { type: 'string', optional: true, oneOf: LINK_MODES },
    sidecar: { type: 'string', optional: true, oneOf: SIDECAR_NAMINGS },
    confirmedOnly: { type: 'boolean', optional: true },
  },
  importXmp: {
    folders: { type: 'string[]' },
    sidecar: { type: 'string', optional: true, oneOf: SIDECAR_NAMINGS },
    recluster: { type: 'boolean', optional: true },
  },
  tuneStart: { harmonic: { type: 'boolean', optional: true }, seed: { type: 'integer', optional: true } },
  tuneCancel: NO_ARGS,
  tuneStatus: NO_ARGS,
  modelVersions: NO_ARGS,
  useModelVersion: { version: { type: 'integer' } },
  forecastModelVersion: { version: { type: 'integer' } },
  discardModelVersion: { version: { type: 'integer' } },
};

export const API_METHODS = Object.keys(SCHEMAS) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(SCHEMAS, name);
}

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function isString(value: unknown, max = MAX_STRING_LENGTH): value is string {
  return typeof value === 'string' && value.length <= max;
}

function checkField(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return isInteger(value);
    case 'string':
      return isString(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string|null':
      return value === null || isString(value);
    case 'name|null':
      return value === null || isString(value, MAX_NAME_LENGTH);
    case 'integer[]':
      return Array.isArray(value) && value.length <= MAX_IDS && value.every(isInteger);
    case 'string[]':
      return Array.isArray(value) && value.length <= MAX_STRINGS && value.every((s) => isString(s));
    case 'box': {
      const b = value as Record<string, unknown> | null;
      return (
        !!b &&
        typeof b === 'object' &&
        !Array.isArray(b) &&
        Object.keys(b).every((k) => ['x', 'y', 'width', 'height'].includes(k)) &&
        ['x', 'y', 'width', 'height'].every((k) => typeof b[k] === 'number' && Number.isFinite(b[k] as number)) &&
        (b.width as number) > 0 &&
        (b.height as number) > 0
      );
    }
    case 'move': {
      const m = value as Record<string, unknown> | null;
      if (!m || typeof m !== 'object' || Array.isArray(m)) return false;
      if (hasOwn(m, 'personId')) return isInteger(m.personId) && Object.keys(m).length === 1;
      return (
        m.newPerson === true &&
        Object.keys(m).every((k) => k === 'newPerson' || k === 'name') &&
        (m.name === undefined || isString(m.name, MAX_NAME_LENGTH))
      );
    }
  }
}

/** What a field must be, in words (for the error message). */
function describe(type: FieldType): string {
  switch (type) {
    case 'string':
      return `a string of at most ${MAX_STRING_LENGTH} characters`;
    case 'string|null':
      return `null or a string of at most ${MAX_STRING_LENGTH} characters`;
    case 'name|null':
      return `null or a name of at most ${MAX_NAME_LENGTH} characters`;
    case 'integer[]':
      return `a list of at most ${MAX_IDS} integers`;
    case 'string[]':
      return `a list of at most ${MAX_STRINGS} strings of at most ${MAX_STRING_LENGTH} characters`;
    case 'move':
      return `{ personId } or { newPerson: true, name? } (a name of at most ${MAX_NAME_LENGTH} characters)`;
    default:
      return type;
  }
}

/**
 * Validates a request at the transport boundary: known method, an object of known fields with the right
 * types, nothing extra. Throws ApiError('bad-request') naming the problem.
 */
export function validateRequest(method: string, args: unknown): asserts method is ApiMethod {
  if (!isApiMethod(method)) throw new ApiError('bad-request', `unknown method "${method}"`);
  const schema = SCHEMAS[method];
  const value = args === undefined ? {} : args;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError('bad-request', `${method}: arguments must be an object`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // Own fields only: `key in schema` would let toString, constructor or __proto__ through.
    if (!hasOwn(schema, key)) throw new ApiError('bad-request', `${method}: unexpected field "${key.slice(0, 64)}"`);
  }
  for (const [key, field] of Object.entries(schema)) {
    if (record[key] === undefined) {
      if (!field.optional) throw new ApiError('bad-request', `${method}: missing field "${key}"`);
      continue;
    }
    if (!checkField(record[key], field.type)) {
      throw new ApiError('bad-request', `${method}: field "${key}" must be ${describe(field.type)}`);
    }
    if (field.oneOf && !isOneOf(field.oneOf, record[key])) {
      throw new ApiError('bad-request', `${method}: field "${key}" must be one of ${field.oneOf.join(', ')}`);
    }
  }
}

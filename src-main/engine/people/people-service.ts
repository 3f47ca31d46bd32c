/**
 * PeopleService: the people of a library, kept in step with the user's decisions.
 *
 * - recluster(): full agglomerative re-grouping of the current model's faces under the user's constraints
 *   (people-state.ts), with person ids kept stable by overlap (person-mapping.ts). It is a function of the
 *   faces, the decisions and the threshold alone (faces in content order, faces.ts), so re-grouping twice
 *   changes nothing and the same photos give the same people whatever order they were indexed in.
 *   planRegroup() computes it without writing: previews and forecasts show the plan that recluster writes.
 * - assignNew(): after indexing, a full re-grouping when faces were added.
 * - Decisions: moving, confirming and adding a face confirm it for its person; naming a person and merging
 *   people confirm the faces they hold; "not this person" rejects. A person's confirmed faces anchor it: it
 *   gains only faces within the threshold of them (agglomeration.ts), so decisions can only make people
 *   purer.
 * - Operations (rename, hide, cover, merge, move, confirm, reject, manual face) record the user's decision
 *   where they express one, run in one transaction each, and push an exact undo snapshot (undo.ts).
 * - Read side: people list, person detail, Unsorted in similarity order, merge suggestions, threshold
 *   preview, ROC from the confirmed labels, settings.
 * Errors meant for the user are EngineError (invalid, not-found, conflict; src-main/engine/errors.ts).
 */
import {
  type FaceDto,
  type MergeSuggestionDto,
  type MoveTarget,
  type PersonDetailDto,
  type PersonSummaryDto,
  type RocDto,
  type SettingsDto,
  type ThresholdPreviewDto,
  type UndoEntryDto,
} from '../../../src-shared/api.js';
import { EngineError } from '../errors.js';
import type { Box } from '../../../src-shared/geometry.js';
import { cleanName, isNameTooLong, NAME_MAX_LENGTH } from '../../../src-shared/names.js';
import type { Library } from '../storage/library.js';
import type { LibraryService } from '../library/library-service.js';
import type { FaceRow, Person } from '../storage/types.js';
import type { AnalyzedFace } from '../../../src-shared/analysis.js';
import { FaceAssigner } from './assign.js';
import { FaceClusterer, type ClusteringResult } from './clusterer.js';
import { CachedGraphClusterer, GraphCache } from './graph-cache.js';
import {
  diffClustering,
  distancesToCentre,
  mergeSuggestions,
  rocFromLabels,
  similarityOrder,
} from './people-analysis.js';
import { PeopleSettingsStore, SETTINGS_KEY } from './people-settings.js';
import { constraintsOf, knownPeople, loadState, toRecord, type PeopleState } from './people-state.js';
import { mapClustersToPeople } from './person-mapping.js';
import { restoreCovers, restoreSnapshot, takeSnapshot, UndoStack, type Scope } from './undo.js';

/** Settings key of the incremental watermark: faces above maxFaceId (same model) are "new". */
const WATERMARK_KEY = 'people.watermark';

/** Merge suggestions go up to this multiple of the clustering threshold. */
export const SUGGESTION_RANGE = 1.25;

export interface PeopleServiceOptions {
  /** The model whose faces are clustered; default: the model version holding the most faces. */
  modelVersion?: string;
  now?: () => number;
}

export interface ReclusterResult {
  /** People shown after the run (with faces, or named). */
  people: number;
  created: number;
  removed: number;
  unsorted: number;
  conflicts: number;
}

/** A re-grouping computed but not yet written (PeopleService.planRegroup). */
export interface RegroupPlan {
  modelVersion: string;
  threshold: number;
  /** Every face of the model: its person after (an existing id; -k for the k-th new person), or null (Unsorted). */
  personOf: Map<number, number | null>;
  newPeople: number;
  /** Existing people that would be left with no face and removed. */
  removed: number[];
  /** Faces whose person changes (a new person counts as a change). */
  facesMoving: number;
  /** People shown after (named, or with faces), as visiblePeopleCount() will count them. */
  peopleAfter: number;
  unsorted: number;
  conflicts: number;
  merges: number[][];
  splits: Array<{ personId: number; parts: number }>;
}

export interface AssignResult {
  assigned: number;
  newPeople: number;
  unsorted: number;
  /** True when it fell back to a full recluster (first run, or a new model). */
  reclustered: boolean;
}

interface Watermark {
  modelVersion: string;
  maxFaceId: number;
}

/** Something that embeds a drawn box: a FacePipeline via src-main/engine/vision/manual-face.ts, or a test double. */
export type ManualEmbedder = (photoPath: string, box: Box) => Promise<{ face: AnalyzedFace; modelVersion: string }>;

export class PeopleService {
  readonly lib: Library;
  readonly settingsStore: PeopleSettingsStore;
  private readonly undos = new UndoStack();
  /** The last k-NN graph, reused while the clustered faces are the same (previews, repeated re-clusters). */
  readonly graphCache = new GraphCache();
  private modelVersionOverride: string | undefined;
  private readonly now: () => number;

  constructor(
    readonly library: LibraryService,
    options: PeopleServiceOptions = {},
  ) {
    this.lib = library.library;
    this.settingsStore = new PeopleSettingsStore(this.lib.settings);
    this.modelVersionOverride = options.modelVersion;
    this.now = options.now ?? Date.now;
  }

  // ---- settings and model

  settings(): SettingsDto {
    return this.settingsStore.get();
  }

  updateSettings(patch: Partial<SettingsDto>): SettingsDto {
    return this.settingsStore.update(patch);
  }

  /** The pipeline's model version once known (the engine sets it when it creates the pipeline). */
  setModelVersion(modelVersion: string | undefined): void {
    this.modelVersionOverride = modelVersion;
  }

  modelVersion(): string | null {
    return this.modelVersionOverride ?? this.lib.faces.modelVersions()[0]?.modelVersion ?? null;
  }

  // ---- clustering

  /**
   * Full re-cluster honouring every decision. A given threshold is applied and saved in the settings. With
   * `undoable`, the whole previous assignment (and the settings) is snapshotted and an undo entry pushed.
   */
  recluster(options: { threshold?: number; undoable?: boolean } = {}): ReclusterResult & { undo?: UndoEntryDto } {
    const previousSettings = this.lib.settings.get<unknown>(SETTINGS_KEY);
    const modelVersion = this.modelVersion();
    if (!modelVersion) {
      if (options.threshold !== undefined) this.updateSettings({ threshold: options.threshold });
      return { people: this.visiblePeopleCount(), created: 0, removed: 0, unsorted: 0, conflicts: 0 };
    }
    const threshold = options.threshold ?? this.settings().threshold;
    const state = loadState(this.lib, modelVersion);
    const plan = this.plan(state, threshold);
    const { outcome, snapshot } = this.lib.transaction(() => {
      const snap = options.undoable ? takeSnapshot(this.lib, changedScope(state, plan)) : undefined;
      if (options.threshold !== undefined) this.updateSettings({ threshold: options.threshold });
      const applied = this.apply(state, plan);
      if (snap) {
        snap.createdPeople = applied.createdIds;
        snap.settings = { value: previousSettings };
      }
      this.setWatermark(modelVersion);
      return {
        outcome: {
          created: applied.createdIds.length,
          removed: plan.removed.length,
          unsorted: plan.unsorted,
          people: this.visiblePeopleCount(),
          conflicts: plan.conflicts,
        },
        snapshot: snap,
      };
    });
    if (!snapshot) return outcome;
    const label =
      options.threshold !== undefined
        ? `Re-grouped people at threshold ${Number(threshold.toFixed(4))}`
        : 'Re-grouped people';
    return { ...outcome, undo: this.undos.push(label, snapshot, this.now()) };
  }

  /**
   * What a re-grouping of the current model's faces at `threshold` would do, computed exactly as recluster()
   * then writes it: previews and forecasts show this plan, and applying it is what recluster does.
   * `embeddings` replaces face vectors (a recognition version not yet applied).
   */
  planRegroup(threshold: number, embeddings?: ReadonlyMap<number, Float32Array>): RegroupPlan | null {
    const modelVersion = this.modelVersion();
    if (!modelVersion) return null;
    const state = loadState(this.lib, modelVersion);
    if (embeddings) {
      state.faces = state.faces.map((f) => {
        const e = embeddings.get(f.id);
        return e ? { ...f, embedding: e } : f;
      });
    }
    return this.plan(state, threshold, embeddings !== undefined);
  }

  /**
   * After indexing: when faces were added (or the model changed) since the last run, the people are
   * re-grouped in full, so that they are exactly what the photos and the user's decisions give, whatever
   * order and batches the photos were indexed in (an incremental vote would depend on that order).
   */
  assignNew(): AssignResult {
    const modelVersion = this.modelVersion();
    if (!modelVersion) return { assigned: 0, newPeople: 0, unsorted: 0, reclustered: false };
    const mark = this.lib.settings.get<Watermark>(WATERMARK_KEY);
    const maxFaceId = this.lib.faces.maxId();
    if (mark && mark.modelVersion === modelVersion && mark.maxFaceId === maxFaceId) {
      return { assigned: 0, newPeople: 0, unsorted: this.unsortedCount(), reclustered: false };
    }
    const r = this.recluster();
    return { assigned: 0, newPeople: r.created, unsorted: r.unsorted, reclustered: true };
  }

  // ---- queries

  listPeople(options: { includeHidden?: boolean; search?: string } = {}): PersonSummaryDto[] {
    const counts = this.lib.faces.personCounts();
    const covers = this.lib.faces.defaultCovers();
    const search = options.search?.trim().toLowerCase();
    const out = this.lib.people
      .list()
      .map((p) => this.summary(p, counts, covers))
      .filter((p) => p.faceCount > 0 || p.name !== null)
      .filter((p) => options.includeHidden || !p.hidden)
      .filter((p) => !search || (p.name ?? '').toLowerCase().includes(search));
    return out.sort((a, b) => {
      if ((a.name === null) !== (b.name === null)) return a.name === null ? 1 : -1;
      if (a.name !== null && b.name !== null) {
        const x = a.name.toLowerCase();
        const y = b.name.toLowerCase();
        if (x !== y) return x < y ? -1 : 1;
      }
      return b.faceCount - a.faceCount || a.id - b.id;
    });
  }

  getPerson(personId: number): PersonDetailDto {
    const person = this.requirePerson(personId);
    const rows = this.lib.faces.listRows(this.lib.faces.idsOfPeople([personId]));
    const vectors = this.lib.faces.vectorsOfPerson(personId);
    // Distances only among vectors of one dimension (a person may hold faces of an older model).
    const sameDim = vectors.filter((v) => v.embedding.length === vectors[0]?.embedding.length);
    const distance = distancesToCentre(sameDim);
    const faces = rows.map((r) => faceDto(r, distance.get(r.id) ?? null));
    faces.sort(
      (a, b) =>
        (a.assignment === 'confirmed' ? 0 : 1) - (b.assignment === 'confirmed' ? 0 : 1) ||
        (a.distance ?? Infinity) - (b.distance ?? Infinity) ||
        a.id - b.id,
    );
    const summary = this.summary(person, this.lib.faces.personCounts(), this.lib.faces.defaultCovers());
    return { person: summary, faces };
  }

  /** The Unsorted pool (current model), similar faces next to each other. */
  unsortedFaces(limit = 500): FaceDto[] {
    const modelVersion = this.modelVersion();
    if (!modelVersion) return [];
    const ordered = similarityOrder(this.lib.faces.unassignedVectors(modelVersion), this.settings().threshold);
    const ids = ordered.slice(0, Math.max(0, limit)).map((f) => f.id);
    const rows = new Map(this.lib.faces.listRows(ids).map((r) => [r.id, r]));
    return ids.map((id) => faceDto(rows.get(id) as FaceRow, null));
  }

  unsortedCount(): number {
    const modelVersion = this.modelVersion();
    return this.lib.faces.unassignedCount(modelVersion ?? undefined);
  }

  visiblePeopleCount(): number {
    const counts = this.lib.faces.personCounts();
    return this.lib.people.list().filter((p) => p.name !== null || (counts.get(p.id)?.faces ?? 0) > 0).length;
  }

  namedPeopleCount(): number {
    return this.lib.people.list().filter((p) => p.name !== null).length;
  }

  // ---- operations (each one transaction, one undo entry)

  rename(personId: number, name: string | null): UndoEntryDto {
    const person = this.requirePerson(personId);
    const clean = userName(name);
    const label =
      clean === null ? `Removed the name of ${displayName(person)}` : `Renamed ${displayName(person)} to ${clean}`;
    return this.mutate(label, { people: [personId], faces: [] }, () => {
      this.lib.people.rename(personId, clean);
      // Naming a group says who these faces are: they become the person's confirmed faces, so no later
      // re-grouping can take them away from the name (the user can still say "not this person").
      if (person.name === null && clean !== null) this.confirmAuto(personId);
    });
  }

  setHidden(personId: number, hidden: boolean): UndoEntryDto {
    const person = this.requirePerson(personId);
    return this.mutate(`${hidden ? 'Hid' : 'Showed'} ${displayName(person)}`, { people: [personId], faces: [] }, () => {
      this.lib.people.setHidden(personId, hidden);
    });
  }

  setCover(personId: number, faceId: number): UndoEntryDto {
    const person = this.requirePerson(personId);
    const face = this.requireFace(faceId);
    if (face.personId !== personId)
      throw new EngineError('conflict', `face ${faceId} is not in ${displayName(person)}`);
    return this.mutate(`Changed the cover of ${displayName(person)}`, { people: [personId], faces: [] }, () => {
      this.lib.people.setCover(personId, faceId);
    });
  }

  /**
   * Merges the sources into the target: their faces, decisions (live and orphaned) and, where the target has
   * none, name and cover move to the target; the sources are deleted. When a face has decisions about both,
   * the user's more recent one is kept.
   */
  merge(targetId: number, sourceIds: readonly number[]): UndoEntryDto {
    const target = this.requirePerson(targetId);
    const sources = [...new Set(sourceIds)].filter((id) => id !== targetId).map((id) => this.requirePerson(id));
    if (sources.length === 0) throw new EngineError('invalid', 'nothing to merge: give at least one other person');
    const label = `Merged ${sources.map(displayName).join(', ')} into ${displayName(target)}`;
    return this.mutate(label, { people: [targetId, ...sources.map((s) => s.id)], faces: [] }, () => {
      const { decisions, faces, people } = this.lib;
      let name = target.name;
      let cover = target.coverFaceId;
      for (const source of sources) {
        const onTarget = new Map(decisions.listByPerson(targetId).map((d) => [d.faceId, d]));
        for (const d of decisions.listByPerson(source.id)) {
          const t = onTarget.get(d.faceId);
          if (t && (d.decidedAt > t.decidedAt || (d.decidedAt === t.decidedAt && d.id > t.id))) {
            decisions.record(d.faceId, targetId, d.decision, d.decidedAt);
          }
        }
        decisions.reassignPerson(source.id, targetId);
        name ??= source.name;
        cover ??= source.coverFaceId;
        for (const f of faces.listByPerson(source.id)) faces.setPerson(f.id, targetId, f.assignment ?? 'auto');
        people.delete(source.id);
      }
      // Faces the user rejected for the target leave it; faces confirmed for it are marked so.
      for (const d of decisions.listByPerson(targetId)) {
        const face = faces.get(d.faceId);
        if (!face) continue;
        if (d.decision === 'rejected' && face.personId === targetId) faces.setPerson(d.faceId, null, null);
        if (d.decision === 'confirmed' && face.personId === targetId) faces.setPerson(d.faceId, targetId, 'confirmed');
      }
      people.rename(targetId, name);
      people.setCover(targetId, cover);
      // A merge says these faces are one person: they are confirmed for it, so re-grouping keeps them together.
      this.confirmAuto(targetId);
    });
  }

  /** Moves faces to a person (or a new one): confirmed for the target, rejected for the person they left. */
  moveFaces(faceIds: readonly number[], to: MoveTarget): UndoEntryDto & { personId: number } {
    const ids = this.requireFaces(faceIds);
    const target = 'personId' in to ? this.requirePerson(to.personId) : undefined;
    const newName = 'newPerson' in to ? userName(to.name ?? null) : null;
    const label = `Moved ${plural(ids.length, 'face')} to ${target ? displayName(target) : (newName ?? 'a new person')}`;
    const sources = this.lib.faces
      .listRows(ids)
      .map((f) => f.personId)
      .filter((p): p is number => p !== null);
    let personId = target?.id ?? -1;
    const entry = this.mutate(label, { people: [...(target ? [target.id] : []), ...sources], faces: ids }, () => {
      if (!target) personId = this.lib.people.create(newName, this.now());
      this.placeConfirmed(ids, personId);
      return { createdPeople: target ? [] : [personId] };
    });
    return { ...entry, personId };
  }

  /** The user says these faces are this person (moving them there if they were elsewhere). */
  confirmFaces(faceIds: readonly number[], personId: number): UndoEntryDto {
    const ids = this.requireFaces(faceIds);
    const person = this.requirePerson(personId);
    const sources = this.lib.faces
      .listRows(ids)
      .map((f) => f.personId)
      .filter((p): p is number => p !== null);
    const label = `Confirmed ${plural(ids.length, 'face')} as ${displayName(person)}`;
    return this.mutate(label, { people: [personId, ...sources], faces: ids }, () => this.placeConfirmed(ids, personId));
  }

  /**
   * "Not this person": a rejected decision for each face; faces that were in the person leave it for the
   * best other person by k-NN vote (never one they were rejected for), or the Unsorted pool.
   */
  rejectFaces(faceIds: readonly number[], personId: number): UndoEntryDto {
    const ids = this.requireFaces(faceIds);
    const person = this.requirePerson(personId);
    const label = `Not ${displayName(person)}: ${plural(ids.length, 'face')}`;
    return this.mutate(label, { people: [personId], faces: ids }, () => {
      const now = this.now();
      const leaving: number[] = [];
      for (const row of this.lib.faces.listRows(ids)) {
        this.recordRejection(row.id, personId, ids, now);
        if (row.personId === personId) {
          this.lib.faces.setPerson(row.id, null, null);
          leaving.push(row.id);
        }
      }
      this.lib.people.clearStrayCovers();
      this.placeElsewhere(leaving);
    });
  }

  /** Adds a face the detector missed (a drawn box), embedded by `embed`, to a person (confirmed). */
  async addManualFace(
    photoId: number,
    box: Box,
    to: MoveTarget,
    embed: ManualEmbedder,
  ): Promise<UndoEntryDto & { faceId: number; personId: number }> {
    const photo = this.lib.photos.get(photoId);
    if (!photo) throw new EngineError('not-found', `no photo ${photoId}`);
    if (photo.status !== 'done') throw new EngineError('conflict', `photo ${photoId} is not indexed`);
    const target = 'personId' in to ? this.requirePerson(to.personId) : undefined;
    let analysed: { face: AnalyzedFace; modelVersion: string };
    try {
      analysed = await embed(photo.path, box);
    } catch (e) {
      if (e instanceof RangeError) throw new EngineError('invalid', e.message);
      throw e;
    }
    const newName = 'newPerson' in to ? userName(to.name ?? null) : null;
    const label = `Added a face to ${target ? displayName(target) : (newName ?? 'a new person')}`;
    let faceId = -1;
    let personId = target?.id ?? -1;
    const entry = this.mutate(label, { people: target ? [target.id] : [], faces: [] }, () => {
      faceId = this.lib.faces.insert(photoId, analysed.face, analysed.modelVersion, this.now());
      if (!target) personId = this.lib.people.create(newName, this.now());
      this.placeConfirmed([faceId], personId);
      return { createdPeople: target ? [] : [personId], createdFaces: [faceId] };
    });
    return { ...entry, faceId, personId };
  }

  // ---- suggestions, preview, ROC

  mergeSuggestions(limit = 20): MergeSuggestionDto[] {
    const modelVersion = this.modelVersion();
    if (!modelVersion) return [];
    const state = loadState(this.lib, modelVersion);
    const counts = this.lib.faces.personCounts();
    const covers = this.lib.faces.defaultCovers();
    const eligible = new Set(state.people.filter((p) => !p.hidden).map((p) => p.id));
    const maxDistance = Math.min(4, this.settings().threshold * SUGGESTION_RANGE);
    const pairs = mergeSuggestions(state, eligible, this.lib.dismissals.keys(), maxDistance, limit);
    const byId = new Map(state.people.map((p) => [p.id, p]));
    return pairs.map((p) => ({
      a: this.summary(byId.get(p.a) as Person, counts, covers),
      b: this.summary(byId.get(p.b) as Person, counts, covers),
      distance: p.distance,
    }));
  }

  dismissSuggestion(a: number, b: number): void {
    if (a === b) throw new EngineError('invalid', 'a suggestion is a pair of two different people');
    this.requirePerson(a);
    this.requirePerson(b);
    this.lib.dismissals.dismiss(a, b, this.now());
  }

  /** What a re-grouping at `threshold` would do, without applying it: exactly what recluster() then does. */
  previewThreshold(threshold: number): ThresholdPreviewDto {
    if (!(threshold > 0 && threshold <= 4)) throw new EngineError('invalid', 'threshold must be in (0, 4]');
    const peopleNow = this.visiblePeopleCount();
    const plan = this.planRegroup(threshold);
    if (!plan) return { threshold, people: peopleNow, peopleNow, facesMoving: 0, merges: [], splits: [] };
    return {
      threshold,
      people: plan.peopleAfter,
      peopleNow,
      facesMoving: plan.facesMoving,
      merges: plan.merges,
      splits: plan.splits,
    };
  }

  roc(): RocDto {
    const threshold = this.settings().threshold;
    const modelVersion = this.modelVersion();
    if (!modelVersion) return { points: [], samePairs: 0, differentPairs: 0, threshold };
    return { ...rocFromLabels(loadState(this.lib, modelVersion)), threshold };
  }

  // ---- undo

  undoStack(): UndoEntryDto[] {
    return this.undos.list();
  }

  /** The kind of action the next undo would revert (changeGrouping's `kind`), if any. */
  nextUndoKind(): string | undefined {
    return this.undos.peek()?.kind;
  }

  /** Restores the state before the most recent action; null when there is nothing to undo. */
  undo(): UndoEntryDto | null {
    const entry = this.undos.pop();
    if (!entry) return null;
    this.lib.transaction(() => {
      restoreSnapshot(this.lib, entry.snapshot);
      if (entry.restoreExtra) {
        entry.restoreExtra();
        restoreCovers(this.lib, entry.snapshot); // covers on faces the extra step brought back
      }
    });
    return { id: entry.id, label: entry.label, at: entry.at };
  }

  /**
   * One undoable change of the whole grouping together with state the people snapshot does not cover (a
   * recognition switch re-embeds every face): every person and every face is snapshotted, `change` runs in
   * the same transaction, and on undo `restoreExtra` runs after the people are restored, in the undo's
   * transaction. The entry goes on the same stack as every other action, so Ctrl+Z undoes exactly it.
   */
  changeGrouping<T>(
    label: string,
    change: () => T,
    restoreExtra: () => void,
    kind?: string,
  ): { result: T; undo: UndoEntryDto } {
    const { result, snapshot } = this.lib.transaction(() => {
      const before = this.lib.people.list().map((p) => p.id);
      const snap = takeSnapshot(this.lib, { people: before, faces: this.lib.faces.allIds() });
      snap.settings = { value: this.lib.settings.get<unknown>(SETTINGS_KEY) };
      const out = change();
      const existed = new Set(before);
      snap.createdPeople = this.lib.people
        .list()
        .map((p) => p.id)
        .filter((id) => !existed.has(id));
      return { result: out, snapshot: snap };
    });
    return { result, undo: this.undos.push(label, snapshot, this.now(), { restoreExtra, kind }) };
  }

  /**
   * A library change that adds or removes faces (a folder removed, say) and the re-grouping it calls for, as
   * one undoable step. `change` returns how to put back what it changed beyond the people's rows.
   */
  regroupAfter(label: string, change: () => () => void): UndoEntryDto {
    let restore = (): void => undefined;
    return this.changeGrouping(
      label,
      () => {
        restore = change();
        const modelVersion = this.modelVersion();
        if (!modelVersion) return;
        const state = loadState(this.lib, modelVersion);
        this.apply(state, this.plan(state, this.settings().threshold));
        this.setWatermark(modelVersion);
      },
      () => restore(),
    ).undo;
  }

  // ---- internals

  private cluster(state: PeopleState, threshold: number, freshGraph = false): ClusteringResult {
    const settings = this.settings();
    const options = { threshold, minQuality: settings.minQuality, minClusterSize: settings.minClusterSize };
    // Vectors that are not the stored ones (a forecast) must not use or replace the cached graph.
    const clusterer = freshGraph ? new FaceClusterer(options) : new CachedGraphClusterer(options, this.graphCache);
    return clusterer.fit(state.faces.map(toRecord), constraintsOf(state));
  }

  private plan(state: PeopleState, threshold: number, freshGraph = false): RegroupPlan {
    const result = this.cluster(state, threshold, freshGraph);
    const previousPerson = new Map<number, number>();
    for (const f of state.faces) if (f.personId !== null) previousPerson.set(f.id, f.personId);
    const mapping = mapClustersToPeople({
      clusters: result.clusters.map((c) => ({
        id: c.id as number,
        faces: c.faces as number[],
        personId: c.personId as number | undefined,
      })),
      previousPerson,
      named: new Set(state.people.filter((p) => p.name !== null).map((p) => p.id)),
      rejected: state.rejectedOf,
    });
    const personOf = new Map<number, number | null>();
    const clusterFaces: number[][] = [];
    let newPeople = 0;
    for (const c of result.clusters) {
      const personId = mapping.get(c.id as number) ?? -++newPeople;
      for (const f of c.faces) personOf.set(f as number, personId);
      if (personId < 0) clusterFaces.push(c.faces as number[]);
    }
    for (const f of result.unsorted) personOf.set(f as number, null);
    let facesMoving = 0;
    for (const f of state.faces) if ((personOf.get(f.id) ?? null) !== f.personId) facesMoving++;

    // Faces each person keeps from other models (a re-grouping touches the current model's faces only).
    const counts = this.lib.faces.personCounts();
    const thisModel = new Map<number, number>();
    for (const f of state.faces)
      if (f.personId !== null) thisModel.set(f.personId, (thisModel.get(f.personId) ?? 0) + 1);
    const after = new Map<number, number>();
    for (const p of personOf.values()) if (p !== null && p > 0) after.set(p, (after.get(p) ?? 0) + 1);
    // People left with no face: removed unless the user touched them (name, hidden, decisions).
    // People whose removed photos may come back are kept too (src-main/engine/storage/membership-memory-repository.ts).
    const protectedIds = new Set([...this.lib.decisions.peopleWithDecisions(), ...this.lib.memberships.people()]);
    const removed: number[] = [];
    let peopleAfter = newPeople;
    for (const p of state.people) {
      const faces = (counts.get(p.id)?.faces ?? 0) - (thisModel.get(p.id) ?? 0) + (after.get(p.id) ?? 0);
      if (faces > 0 || p.name !== null) peopleAfter++;
      else if (!(p.hidden || protectedIds.has(p.id))) removed.push(p.id);
    }
    const diff = diffClustering(state, result);
    return {
      modelVersion: state.modelVersion,
      threshold,
      personOf,
      newPeople,
      removed,
      facesMoving,
      peopleAfter,
      unsorted: result.unsorted.length,
      conflicts: result.conflicts.length,
      merges: diff.merges,
      splits: diff.splits,
    };
  }

  /** Writes a plan: new people for new clusters (in cluster order), assignments, emptied people removed. */
  private apply(state: PeopleState, plan: RegroupPlan): { createdIds: number[] } {
    const createdIds: number[] = [];
    for (let k = 0; k < plan.newPeople; k++) createdIds.push(this.lib.people.create(null, this.now()));
    for (const f of state.faces) {
      const planned = plan.personOf.get(f.id) ?? null;
      const personId = planned !== null && planned < 0 ? (createdIds[-planned - 1] as number) : planned;
      const assignment = personId === null ? null : state.confirmedOf.get(f.id) === personId ? 'confirmed' : 'auto';
      if (f.personId !== personId || f.assignment !== assignment) this.lib.faces.setPerson(f.id, personId, assignment);
    }
    for (const id of plan.removed) this.lib.people.delete(id);
    this.lib.people.clearStrayCovers();
    return { createdIds };
  }

  /** Confirms faces for a person: confirmed decision, rejected for the person each one leaves. */
  private placeConfirmed(faceIds: readonly number[], personId: number): void {
    const now = this.now();
    for (const row of this.lib.faces.listRows(faceIds)) {
      if (row.personId !== null && row.personId !== personId) {
        this.recordRejection(row.id, row.personId, faceIds, now);
      }
      this.lib.decisions.record(row.id, personId, 'confirmed', now);
      this.lib.faces.setPerson(row.id, personId, 'confirmed');
    }
    this.lib.people.clearStrayCovers();
  }

  /**
   * "Face is not this person". A person without confirmed faces is only what the clustering made of it, so
   * the face is also kept apart from the faces it holds now (except those the same action moves with it).
   */
  private recordRejection(faceId: number, personId: number, together: readonly number[], now: number): void {
    this.lib.decisions.record(faceId, personId, 'rejected', now);
    const members = this.lib.faces.listByPerson(personId);
    if (members.some((f) => f.assignment === 'confirmed')) return;
    const skip = new Set(together);
    this.lib.separations.separate(
      faceId,
      members.filter((f) => !skip.has(f.id)).map((f) => f.id),
      now,
    );
  }

  /** The person's faces that were grouped with it automatically become confirmed for it. */
  private confirmAuto(personId: number): void {
    const auto = this.lib.faces
      .listByPerson(personId)
      .filter((f) => f.assignment !== 'confirmed')
      .map((f) => f.id);
    this.placeConfirmed(auto, personId);
  }

  /** Faces that just left a person: the best other person by k-NN vote, or Unsorted. */
  private placeElsewhere(faceIds: readonly number[]): void {
    const modelVersion = this.modelVersion();
    if (!modelVersion || faceIds.length === 0) return;
    const state = loadState(this.lib, modelVersion);
    const leaving = new Set(faceIds);
    const faces = state.faces.filter((f) => leaving.has(f.id));
    if (faces.length === 0) return;
    const settings = this.settings();
    const { assigned } = new FaceAssigner({ threshold: settings.threshold, minQuality: settings.minQuality }).assign(
      faces.map(toRecord),
      knownPeople(state),
    );
    for (const a of assigned) this.lib.faces.setPerson(a.faceId as number, a.personId as number, 'auto');
  }

  private mutate(
    label: string,
    scope: Scope,
    fn: () => { createdPeople?: number[]; createdFaces?: number[] } | void,
  ): UndoEntryDto {
    const snapshot = this.lib.transaction(() => {
      const snap = takeSnapshot(this.lib, scope);
      const created = fn() ?? {};
      snap.createdPeople = created.createdPeople ?? [];
      snap.createdFaces = created.createdFaces ?? [];
      return snap;
    });
    return this.undos.push(label, snapshot, this.now());
  }

  private setWatermark(modelVersion: string): void {
    this.lib.settings.set(WATERMARK_KEY, { modelVersion, maxFaceId: this.lib.faces.maxId() } as Watermark);
  }

  private summary(
    p: Person,
    counts: ReadonlyMap<number, { faces: number; confirmed: number }>,
    covers: ReadonlyMap<number, number>,
  ): PersonSummaryDto {
    const c = counts.get(p.id);
    return {
      id: p.id,
      name: p.name,
      hidden: p.hidden,
      faceCount: c?.faces ?? 0,
      confirmedCount: c?.confirmed ?? 0,
      coverFaceId: p.coverFaceId ?? covers.get(p.id) ?? null,
    };
  }

  private requirePerson(id: number): Person {
    const p = this.lib.people.get(id);
    if (!p) throw new EngineError('not-found', `no person ${id}`);
    return p;
  }

  private requireFace(id: number): FaceRow {
    const [f] = this.lib.faces.listRows([id]);
    if (!f) throw new EngineError('not-found', `no face ${id}`);
    return f;
  }

  private requireFaces(ids: readonly number[]): number[] {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new EngineError('invalid', 'no faces given');
    const found = new Set(this.lib.faces.listRows(unique).map((f) => f.id));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw new EngineError('not-found', `no face ${missing.slice(0, 5).join(', ')}`);
    return unique;
  }
}

/**
 * What a plan changes: the faces that change person, the people they leave and join, and the people it
 * removes. An undo snapshot of this scope restores the re-grouping exactly and stays small when little moves.
 */
function changedScope(state: PeopleState, plan: RegroupPlan): Scope {
  const faces: number[] = [];
  const people = new Set<number>(plan.removed);
  for (const f of state.faces) {
    const next = plan.personOf.get(f.id) ?? null;
    if (next === f.personId) continue;
    faces.push(f.id);
    if (f.personId !== null) people.add(f.personId);
    if (next !== null && next > 0) people.add(next);
  }
  return { people: [...people], faces };
}

export function displayName(p: Pick<Person, 'id' | 'name'>): string {
  return p.name ?? `Person ${p.id}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function faceDto(r: FaceRow, distance: number | null): FaceDto {
  return {
    id: r.id,
    photoId: r.photoId,
    box: r.box,
    score: r.score,
    quality: r.quality,
    personId: r.personId,
    assignment: r.assignment,
    distance: r.personId === null ? null : distance,
  };
}

/** A name as the user typed it, under the one rule for names (src-shared/names.ts); null means no name. */
function userName(name: string | null): string | null {
  if (name === null) return null;
  if (isNameTooLong(name)) {
    throw new EngineError('invalid', `name is too long (${NAME_MAX_LENGTH} characters at most)`);
  }
  return cleanName(name) || null;
}

/**
 * PeopleService: the one entry point to the people of a library, for the app, tuning and interop. It holds
 * what the people modules share (people-context.ts) and composes them; each job lives in its own module:
 *
 * - regrouping.ts: recluster, planRegroup, assignNew, changeGrouping, regroupAfter (the re-grouping rules:
 *   decisions only help, re-grouping is idempotent, undo restores exactly);
 * - people-queries.ts: the people list, a person, the Unsorted pool, counts;
 * - people-edits.ts: the undoable edits (rename, hide, cover, merge, move, confirm, reject, manual face);
 * - face-ignoring.ts: ignored faces ("not a face", strangers, bulk by person) and un-ignoring, undoable too;
 * - face-review.ts: the review queue ("Is this Alice?") and a person's sub-groups by similarity (reads);
 * - merge-suggestions.ts and threshold-analysis.ts: suggestions, the threshold preview, the ROC;
 * - undo.ts: the undo history; people-settings.ts: the clustering and model settings.
 * It returns the domain types of types.ts; the app maps them to the contract's DTOs (src-main/app/people-dto.ts).
 */
import type { Box } from '../../../src-shared/geometry.js';
import type { IgnoreReason } from '../storage/ignored-face-repository.js';
import type { Library } from '../storage/library.js';
import { FaceIgnoring } from './face-ignoring.js';
import { FaceReview } from './face-review.js';
import type { GraphCache } from './graph-cache.js';
import { MergeSuggestions, type SuggestionRule } from './merge-suggestions.js';
import type { PeopleContext } from './people-context.js';
import { PeopleEdits, type ManualEmbedder } from './people-edits.js';
import { PeopleQueries } from './people-queries.js';
import { PeopleSettingsStore, type Settings } from './people-settings.js';
import { Regrouping, type AssignResult, type ReclusterResult, type RegroupPlan } from './regrouping.js';
import { ThresholdAnalysis } from './threshold-analysis.js';
import type {
  FaceView,
  IgnoredFaceView,
  MergeSuggestion,
  MoveTarget,
  PersonDetail,
  PersonSubgroups,
  PersonSummary,
  PhotoFace,
  ReviewQueue,
  Roc,
  ThresholdPreview,
  UndoEntry,
} from './types.js';
import { UndoHistory } from './undo.js';

export type { ManualEmbedder } from './people-edits.js';
export type { AssignResult, ReclusterResult, RegroupPlan } from './regrouping.js';

export interface PeopleServiceOptions {
  /** The model whose faces are clustered; default: the model version holding the most faces. */
  modelVersion?: string;
  now?: () => number;
}

export class PeopleService {
  readonly settingsStore: PeopleSettingsStore;
  /** The last k-NN graph, reused while the clustered faces are the same (previews, repeated re-clusters). */
  readonly graphCache: GraphCache;
  private modelVersionOverride: string | undefined;
  private readonly history: UndoHistory;
  private readonly queries: PeopleQueries;
  private readonly edits: PeopleEdits;
  private readonly ignoring: FaceIgnoring;
  private readonly review: FaceReview;
  private readonly regrouping: Regrouping;
  private readonly suggestions: MergeSuggestions;
  private readonly analysis: ThresholdAnalysis;

  constructor(
    readonly lib: Library,
    options: PeopleServiceOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.settingsStore = new PeopleSettingsStore(lib.settings);
    this.modelVersionOverride = options.modelVersion;
    this.history = new UndoHistory(lib, now);
    const ctx: PeopleContext = {
      lib,
      settings: this.settingsStore,
      history: this.history,
      now,
      modelVersion: () => this.modelVersion(),
    };
    this.queries = new PeopleQueries(ctx);
    this.edits = new PeopleEdits(ctx);
    this.ignoring = new FaceIgnoring(ctx);
    this.review = new FaceReview(ctx);
    this.regrouping = new Regrouping(ctx, this.queries);
    this.suggestions = new MergeSuggestions(ctx);
    this.analysis = new ThresholdAnalysis(ctx, this.queries, this.regrouping);
    this.graphCache = this.regrouping.graphCache;
  }

  // ---- settings and model

  settings(): Settings {
    return this.settingsStore.get();
  }

  updateSettings(patch: Partial<Settings>): Settings {
    return this.settingsStore.update(patch);
  }

  /** The pipeline's model version once known (the engine sets it when it creates the pipeline). */
  setModelVersion(modelVersion: string | undefined): void {
    this.modelVersionOverride = modelVersion;
  }

  modelVersion(): string | null {
    return this.modelVersionOverride ?? this.lib.faces.modelVersions()[0]?.modelVersion ?? null;
  }

  // ---- re-grouping (regrouping.ts)

  recluster(options: { threshold?: number; undoable?: boolean } = {}): ReclusterResult & { undo?: UndoEntry } {
    return this.regrouping.recluster(options);
  }

  planRegroup(threshold: number, embeddings?: ReadonlyMap<number, Float32Array>): RegroupPlan | null {
    return this.regrouping.planRegroup(threshold, embeddings);
  }

  assignNew(): AssignResult {
    return this.regrouping.assignNew();
  }

  changeGrouping<T>(
    label: string,
    change: () => T,
    restoreExtra: () => void,
    kind?: string,
  ): { result: T; undo: UndoEntry } {
    return this.regrouping.changeGrouping(label, change, restoreExtra, kind);
  }

  regroupAfter(label: string, change: () => () => void): UndoEntry {
    return this.regrouping.regroupAfter(label, change);
  }

  // ---- queries (people-queries.ts)

  listPeople(options: { includeHidden?: boolean; search?: string } = {}): PersonSummary[] {
    return this.queries.listPeople(options);
  }

  getPerson(personId: number): PersonDetail {
    return this.queries.getPerson(personId);
  }

  unsortedFaces(limit?: number): FaceView[] {
    return this.queries.unsortedFaces(limit);
  }

  facesOfPhoto(photoId: number): PhotoFace[] {
    return this.queries.facesOfPhoto(photoId);
  }

  unsortedCount(): number {
    return this.queries.unsortedCount();
  }

  visiblePeopleCount(): number {
    return this.queries.visiblePeopleCount();
  }

  namedPeopleCount(): number {
    return this.queries.namedPeopleCount();
  }

  // ---- edits, each one transaction and one undo entry (people-edits.ts)

  rename(personId: number, name: string | null): UndoEntry {
    return this.edits.rename(personId, name);
  }

  setHidden(personId: number, hidden: boolean): UndoEntry {
    return this.edits.setHidden(personId, hidden);
  }

  setCover(personId: number, faceId: number): UndoEntry {
    return this.edits.setCover(personId, faceId);
  }

  merge(targetId: number, sourceIds: readonly number[]): UndoEntry {
    return this.edits.merge(targetId, sourceIds);
  }

  moveFaces(faceIds: readonly number[], to: MoveTarget): UndoEntry & { personId: number } {
    return this.edits.moveFaces(faceIds, to);
  }

  confirmFaces(faceIds: readonly number[], personId: number): UndoEntry {
    return this.edits.confirmFaces(faceIds, personId);
  }

  rejectFaces(faceIds: readonly number[], personId: number): UndoEntry {
    return this.edits.rejectFaces(faceIds, personId);
  }

  addManualFace(
    photoId: number,
    box: Box,
    to: MoveTarget,
    embed: ManualEmbedder,
  ): Promise<UndoEntry & { faceId: number; personId: number }> {
    return this.edits.addManualFace(photoId, box, to, embed);
  }

  // ---- ignored faces: "not a face" and strangers, out of the people and of re-grouping (face-ignoring.ts)

  ignoreFaces(faceIds: readonly number[], reason: IgnoreReason): UndoEntry {
    return this.ignoring.ignoreFaces(faceIds, reason);
  }

  ignorePeople(personIds: readonly number[], reason: IgnoreReason): UndoEntry {
    return this.ignoring.ignorePeople(personIds, reason);
  }

  unignoreFaces(faceIds: readonly number[]): UndoEntry {
    return this.ignoring.unignoreFaces(faceIds);
  }

  ignoredFaces(limit?: number): IgnoredFaceView[] {
    return this.queries.ignoredFaces(limit);
  }

  ignoredCount(): number {
    return this.queries.ignoredCount();
  }

  // ---- review: "Is this Alice?" and a person's sub-groups (face-review.ts)

  reviewQueue(options: { personId?: number; limit?: number } = {}): ReviewQueue {
    return this.review.reviewQueue(options);
  }

  personSubgroups(personId: number): PersonSubgroups {
    return this.review.personSubgroups(personId);
  }

  // ---- suggestions, preview, ROC (merge-suggestions.ts, threshold-analysis.ts)

  mergeSuggestions(limit?: number, rule?: SuggestionRule): MergeSuggestion[] {
    return this.suggestions.list(limit, rule);
  }

  dismissSuggestion(a: number, b: number): void {
    this.suggestions.dismiss(a, b);
  }

  previewThreshold(threshold: number): ThresholdPreview {
    return this.analysis.previewThreshold(threshold);
  }

  roc(): Roc {
    return this.analysis.roc();
  }

  // ---- undo (undo.ts)

  undoStack(): UndoEntry[] {
    return this.history.list();
  }

  /** The kind of action the next undo would revert (changeGrouping's `kind`), if any. */
  nextUndoKind(): string | undefined {
    return this.history.nextKind();
  }

  /** Restores the state before the most recent action; null when there is nothing to undo. */
  undo(): UndoEntry | null {
    return this.history.undo();
  }
}

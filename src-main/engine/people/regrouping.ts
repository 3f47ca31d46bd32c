/**
 * Re-grouping: the people of the current model's faces, kept in step with the user's decisions.
 *
 * - recluster(): full agglomerative re-grouping of the current model's faces under the user's constraints
 *   (people-state.ts), with person ids kept stable by overlap (person-mapping.ts). It is a function of the
 *   faces, the decisions and the threshold alone (faces in content order, faces.ts), so re-grouping twice
 *   changes nothing and the same photos give the same people whatever order they were indexed in.
 *   planRegroup() computes it without writing: previews and forecasts show the plan that recluster writes.
 * - assignNew(): after indexing, a full re-grouping when faces were added (the watermark says whether any were).
 * - changeGrouping() / regroupAfter(): a change beyond the people's rows (a recognition switch, a folder
 *   removed) and the re-grouping it calls for, as one undoable step.
 * A person's confirmed faces anchor it: it gains only faces within the threshold of them (agglomeration.ts),
 * so decisions can only make people purer.
 */
import { FaceClusterer, type ClusteringResult } from './clusterer.js';
import { CachedGraphClusterer, GraphCache } from './graph-cache.js';
import type { PeopleContext } from './people-context.js';
import { diffClustering } from './people-analysis.js';
import type { PeopleQueries } from './people-queries.js';
import { SETTINGS_KEY } from './people-settings.js';
import { constraintsOf, loadState, toRecord, type PeopleState } from './people-state.js';
import { mapClustersToPeople } from './person-mapping.js';
import type { UndoEntry } from './types.js';
import { takeSnapshot, type Scope } from './undo.js';

/** Settings key of the incremental watermark: faces above maxFaceId (same model) are "new". */
const WATERMARK_KEY = 'people.watermark';

export interface ReclusterResult {
  /** People shown after the run (with faces, or named). */
  people: number;
  created: number;
  removed: number;
  unsorted: number;
  conflicts: number;
}

/** A re-grouping computed but not yet written (Regrouping.planRegroup). */
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

export class Regrouping {
  /** The last k-NN graph, reused while the clustered faces are the same (previews, repeated re-clusters). */
  readonly graphCache = new GraphCache();

  constructor(
    private readonly ctx: PeopleContext,
    private readonly queries: PeopleQueries,
  ) {}

  /**
   * Full re-cluster honouring every decision. A given threshold is applied and saved in the settings. With
   * `undoable`, the whole previous assignment (and the settings) is snapshotted and an undo entry pushed.
   */
  recluster(options: { threshold?: number; undoable?: boolean } = {}): ReclusterResult & { undo?: UndoEntry } {
    const { lib, settings } = this.ctx;
    const previousSettings = lib.settings.get<unknown>(SETTINGS_KEY);
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) {
      if (options.threshold !== undefined) settings.update({ threshold: options.threshold });
      return { people: this.queries.visiblePeopleCount(), created: 0, removed: 0, unsorted: 0, conflicts: 0 };
    }
    const threshold = options.threshold ?? settings.get().threshold;
    const state = loadState(lib, modelVersion);
    const plan = this.plan(state, threshold);
    const { outcome, snapshot } = lib.transaction(() => {
      const snap = options.undoable ? takeSnapshot(lib, changedScope(state, plan)) : undefined;
      if (options.threshold !== undefined) settings.update({ threshold: options.threshold });
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
          people: this.queries.visiblePeopleCount(),
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
    return { ...outcome, undo: this.ctx.history.push(label, snapshot) };
  }

  /**
   * What a re-grouping of the current model's faces at `threshold` would do, computed exactly as recluster()
   * then writes it: previews and forecasts show this plan, and applying it is what recluster does.
   * `embeddings` replaces face vectors (a recognition version not yet applied).
   */
  planRegroup(threshold: number, embeddings?: ReadonlyMap<number, Float32Array>): RegroupPlan | null {
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return null;
    const state = loadState(this.ctx.lib, modelVersion);
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
    const { lib } = this.ctx;
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return { assigned: 0, newPeople: 0, unsorted: 0, reclustered: false };
    const mark = lib.settings.get<Watermark>(WATERMARK_KEY);
    const maxFaceId = lib.faces.maxId();
    if (mark && mark.modelVersion === modelVersion && mark.maxFaceId === maxFaceId) {
      return { assigned: 0, newPeople: 0, unsorted: this.queries.unsortedCount(), reclustered: false };
    }
    const r = this.recluster();
    return { assigned: 0, newPeople: r.created, unsorted: r.unsorted, reclustered: true };
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
  ): { result: T; undo: UndoEntry } {
    const { lib } = this.ctx;
    const { result, snapshot } = lib.transaction(() => {
      const before = lib.people.list().map((p) => p.id);
      const snap = takeSnapshot(lib, { people: before, faces: lib.faces.allIds() });
      snap.settings = { value: lib.settings.get<unknown>(SETTINGS_KEY) };
      const out = change();
      const existed = new Set(before);
      snap.createdPeople = lib.people
        .list()
        .map((p) => p.id)
        .filter((id) => !existed.has(id));
      return { result: out, snapshot: snap };
    });
    return { result, undo: this.ctx.history.push(label, snapshot, { restoreExtra, kind }) };
  }

  /**
   * A library change that adds or removes faces (a folder removed, say) and the re-grouping it calls for, as
   * one undoable step. `change` returns how to put back what it changed beyond the people's rows.
   */
  regroupAfter(label: string, change: () => () => void): UndoEntry {
    let restore = (): void => undefined;
    return this.changeGrouping(
      label,
      () => {
        restore = change();
        const modelVersion = this.ctx.modelVersion();
        if (!modelVersion) return;
        const state = loadState(this.ctx.lib, modelVersion);
        this.apply(state, this.plan(state, this.ctx.settings.get().threshold));
        this.setWatermark(modelVersion);
      },
      () => restore(),
    ).undo;
  }

  private cluster(state: PeopleState, threshold: number, freshGraph = false): ClusteringResult {
    const settings = this.ctx.settings.get();
    const options = { threshold, minQuality: settings.minQuality, minClusterSize: settings.minClusterSize };
    // Vectors that are not the stored ones (a forecast) must not use or replace the cached graph.
    const clusterer = freshGraph ? new FaceClusterer(options) : new CachedGraphClusterer(options, this.graphCache);
    return clusterer.fit(state.faces.map(toRecord), constraintsOf(state));
  }

  private plan(state: PeopleState, threshold: number, freshGraph = false): RegroupPlan {
    const { lib } = this.ctx;
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
    const counts = lib.faces.personCounts();
    const thisModel = new Map<number, number>();
    for (const f of state.faces)
      if (f.personId !== null) thisModel.set(f.personId, (thisModel.get(f.personId) ?? 0) + 1);
    const after = new Map<number, number>();
    for (const p of personOf.values()) if (p !== null && p > 0) after.set(p, (after.get(p) ?? 0) + 1);
    // People left with no face: removed unless the user touched them (name, hidden, decisions).
    // People whose removed photos may come back are kept too (src-main/engine/storage/membership-memory-repository.ts).
    const protectedIds = new Set([...lib.decisions.peopleWithDecisions(), ...lib.memberships.people()]);
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
    const { lib } = this.ctx;
    const createdIds: number[] = [];
    for (let k = 0; k < plan.newPeople; k++) createdIds.push(lib.people.create(null, this.ctx.now()));
    for (const f of state.faces) {
      const planned = plan.personOf.get(f.id) ?? null;
      const personId = planned !== null && planned < 0 ? (createdIds[-planned - 1] as number) : planned;
      const assignment = personId === null ? null : state.confirmedOf.get(f.id) === personId ? 'confirmed' : 'auto';
      if (f.personId !== personId || f.assignment !== assignment) lib.faces.setPerson(f.id, personId, assignment);
    }
    for (const id of plan.removed) lib.people.delete(id);
    lib.people.clearStrayCovers();
    return { createdIds };
  }

  private setWatermark(modelVersion: string): void {
    this.ctx.lib.settings.set(WATERMARK_KEY, { modelVersion, maxFaceId: this.ctx.lib.faces.maxId() } as Watermark);
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

/**
 * TuningService: "Improve recognition from my labels".
 *
 * - tune(): trains a new embedding layer from the user's confirmed faces (stored features, no image decoded)
 *   in a worker thread with progress and cancel, starting from the active version's layer; 20% of each
 *   well-labelled person's confirmed faces are held out and never trained on; the before (active layer) and
 *   after figures are computed on them; the layer is stored as a new version (not applied).
 * - use(v): re-embeds every face of the model from its stored features with version v's layer (0 = the
 *   shipped layer: the pipeline's own embeddings are restored exactly), marks v active and re-groups honouring
 *   every decision (PeopleService.recluster) or, when the user comes back to a version and nothing they decided
 *   has changed since they left it, restores the people exactly as they were then (src-main/engine/people/grouping-memory.ts).
 *   Apply, rollback and roll-forward are all use(v); each is one entry on the people undo stack.
 * - forecast(v): what use(v) would do now (faces changing person, people before and after), computed by the
 *   same plan use(v) writes; the training report's library figure is the same forecast at training time.
 * - syncEmbeddings(): faces indexed since the last use() get the active version's embedding.
 * Decisions are never written here: tuning reads them, use() rewrites embeddings and assignments only.
 */
import { EngineError } from '../errors.js';
import type { Library } from '../storage/library.js';
import type { PeopleService } from '../people/people-service.js';
import { EmbeddingLayer } from '../../../training/embedding-layer.js';
import { evaluateTuning } from '../../../training/evaluate.js';
import { recommendedTunerOptions } from '../../../training/recipe.js';
import { loadShippedLayerFile } from '../vision/models/shipped-layer.js';
import { EmbeddingTuner, type TuneProgress, type TuneResult } from '../../../training/trainer.js';
import { tuneInWorker, type WorkerTunerOptions } from '../../../training/worker.js';
import { applyRestore, planRestore, rememberGrouping, type RestorePlan } from '../people/grouping-memory.js';
import { confirmedFaces, splitForEvaluation } from './labelled-faces.js';
import { heldOutClusterF } from './held-out-clustering.js';
import {
  countLabels,
  DEFAULT_LABEL_REQUIREMENTS,
  missingLabels,
  type LabelCounts,
  type LabelRequirements,
} from './label-requirements.js';
import { hasStaleFaces, reembedFaces, versionEmbeddings } from './reembed.js';
import { validationSample, type ValidationSample } from './validation-sample.js';
import { VersionGroupings } from './version-groupings.js';
import { EmbeddingVersionRepository, type EmbeddingVersion } from '../storage/embedding-version-repository.js';

/** Most seconds one training run may take before it keeps the best layer so far. */
export const TRAINING_SECONDS = 55;

export interface TuningServiceOptions {
  /** Version 0's layer (default: the shipped dlib layer, 256 -> 128). */
  baseLayer?: () => EmbeddingLayer;
  /** Trainer options (default: training/recipe.ts). */
  tunerOptions?: WorkerTunerOptions;
  /** Train in a worker thread (default true). */
  inWorker?: boolean;
  /** The fewest confirmed faces a run starts with (default: label-requirements.ts, with the reasons). */
  labelRequirements?: LabelRequirements;
  now?: () => number;
}

export interface TuneRequest {
  harmonic?: boolean;
  seed?: number;
  onProgress?: (p: TuneProgressWithSample) => void;
  signal?: AbortSignal;
}

/** The trainer's progress, with the size of the early-stopping split its held-out figure is measured on. */
export type TuneProgressWithSample = TuneProgress & { validation: ValidationSample };

export interface TuneReport {
  /** The stored (not yet applied) version. */
  version: number;
  parent: number;
  harmonic: boolean;
  labels: {
    faces: number;
    people: number;
    trainFaces: number;
    heldOutFaces: number;
    heldOutPeople: number;
    /** Pairs among the held-out faces: how much the held-out rates rest on. */
    heldOutSamePairs: number;
    heldOutDifferentPairs: number;
  };
  /** On held-out confirmed faces: before = the active layer, after = the new one. */
  heldOut: {
    valAtFar1e3: { before: number; after: number; crossVersion: number };
    nearestLabelledAccuracy: { before: number; after: number };
    /** BCubed F of clustering the held-out faces at the library's threshold (held-out-clustering.ts). */
    clusterBCubedF: { before: number; after: number };
    changedPerson: number;
    fixed: number;
    broken: number;
  };
  /**
   * Over every face of the model, at training time: what applying the version would do (the re-grouping plan
   * under the new vectors, exactly what use() writes if nothing changes before). forecast() says it again later.
   */
  library: { faces: number; wouldChangePerson: number; peopleNow: number; peopleAfter: number };
  training: { steps: number; bestEpoch: number; stopReason: TuneResult['stopReason']; seconds: number };
}

export interface LabelSummary extends LabelCounts {
  /** Whether tune() would start; otherwise why not. */
  ready: boolean;
  reason: string | null;
  /** What a run needs (label-requirements.ts). */
  needed: LabelRequirements;
}

/** An entry of the people undo stack, as PeopleService lists it. */
type PeopleUndoEntry = ReturnType<PeopleService['undoStack']>[number];

export interface UseResult {
  version: number;
  previous: number;
  reembedded: number;
  people: number;
  unsorted: number;
  /** Faces of the model whose person changed (measured: before against after). */
  facesMoved: number;
  /** True when the people came back exactly as they were when this version was last in use. */
  restoredEarlier: boolean;
  /**
   * The entry pushed on the people undo stack: undo puts back the previous version, vectors and people. Null
   * when nothing changed: the version was already in use, with every face on its vectors.
   */
  undo: PeopleUndoEntry | null;
}

export interface ForecastResult {
  version: number;
  /** Faces of the current model. */
  faces: number;
  facesMoving: number;
  peopleNow: number;
  peopleAfter: number;
  restoresEarlier: boolean;
}

/** The kind of a switch's undo entry (an undo that changes the active version). */
export const SWITCH_UNDO_KIND = 'recognition-switch';

/** "version 0 (shipped)" / "version 2". */
export function versionWords(version: number): string {
  return version === 0 ? 'version 0 (shipped)' : `version ${version}`;
}

/** What use(v) will write: the remembered people of v, or a re-grouping under v's vectors. */
type SwitchPlan = { kind: 'restore'; restore: RestorePlan } | { kind: 'regroup' };

export class TuningService {
  readonly versions: EmbeddingVersionRepository;
  readonly groupings: VersionGroupings;
  private readonly requirements: LabelRequirements;
  private readonly base: () => EmbeddingLayer;
  private baseCache: EmbeddingLayer | undefined;
  private readonly now: () => number;

  constructor(
    readonly lib: Library,
    readonly people: PeopleService,
    private readonly options: TuningServiceOptions = {},
  ) {
    this.versions = lib.embeddingVersions;
    this.groupings = new VersionGroupings(lib.settings);
    this.requirements = options.labelRequirements ?? DEFAULT_LABEL_REQUIREMENTS;
    this.base = options.baseLayer ?? (() => loadShippedLayerFile());
    this.now = options.now ?? Date.now;
  }

  baseLayer(): EmbeddingLayer {
    this.baseCache ??= this.base();
    return this.baseCache;
  }

  /** The layer of a version (0 = base). */
  layer(version: number): EmbeddingLayer {
    if (version === 0) return this.baseLayer();
    const bytes = this.versions.layer(version);
    if (!bytes) throw new EngineError('not-found', `no model version ${version}`);
    return EmbeddingLayer.fromBinary(bytes);
  }

  activeVersion(): number {
    return this.versions.active();
  }

  /** Version 0 (shipped) and every stored version, with the active one marked. */
  list(): Array<Pick<EmbeddingVersion, 'id' | 'createdAt' | 'parent' | 'harmonic' | 'active' | 'metrics'>> {
    const stored = this.versions.list();
    const active = this.activeVersion();
    return [{ id: 0, createdAt: 0, parent: 0, harmonic: false, active: active === 0, metrics: null }, ...stored];
  }

  /**
   * The confirmed faces there are to learn from (of the current model, with features the active layer reads)
   * and whether tune() would start: the same check, without training. Never throws.
   */
  labels(): LabelSummary {
    const needed = this.requirements;
    const none = { faces: 0, people: 0, peopleWithEnough: 0, ready: false, needed };
    const modelVersion = this.people.modelVersion();
    if (!modelVersion) return { ...none, reason: 'the library has no faces yet' };
    let inDim: number;
    try {
      inDim = this.layer(this.activeVersion()).inDim;
    } catch (e) {
      // The status must still load (and say why) when the layer cannot be read, e.g. missing model weights.
      return { ...none, reason: `the embedding layer cannot be read: ${(e as Error).message}` };
    }
    const counts = countLabels(confirmedFaces(this.lib.embeddings, modelVersion, inDim), needed);
    const reason = missingLabels(counts, needed);
    return { ...counts, ready: !reason, reason, needed };
  }

  /**
   * Deletes a stored version that is not in use. Version 0 (shipped) cannot go ('bad-request'), nor the active
   * one ('conflict': use another first); versions trained from it keep their layers (parent is only a record).
   */
  discard(version: number): void {
    if (version === 0) throw new EngineError('invalid', 'version 0 is the shipped model and cannot be discarded');
    const stored = this.versions.get(version);
    if (!stored) throw new EngineError('not-found', `no model version ${version}`);
    if (stored.active) throw new EngineError('conflict', `version ${version} is in use: use another version first`);
    this.versions.delete(version);
    this.groupings.delete(version);
  }

  private modelVersion(): string {
    const m = this.people.modelVersion();
    if (!m) throw new EngineError('invalid', 'the library has no faces yet');
    return m;
  }

  async tune(request: TuneRequest = {}): Promise<TuneReport> {
    const t0 = performance.now();
    const modelVersion = this.modelVersion();
    const parent = this.activeVersion();
    const initial = this.layer(parent);
    const harmonic = request.harmonic ?? false;
    const seed = request.seed ?? 1;
    const labelled = confirmedFaces(this.lib.embeddings, modelVersion, initial.inDim);
    const { train, heldOut } = splitForEvaluation(labelled, seed);
    const heldOutPeople = new Set(heldOut.map((f) => f.personId));
    const refusal = missingLabels(countLabels(labelled, this.requirements), this.requirements);
    if (refusal) throw new EngineError('invalid', refusal);
    const features = train.map((f) => f.features);
    const labels = train.map((f) => f.personId);
    const threshold = this.people.settings().threshold;
    const options: WorkerTunerOptions = {
      ...recommendedTunerOptions(harmonic),
      // The new layer accepts as many different-person pairs at the library's threshold as the old one:
      // the threshold the user chose keeps its meaning after apply (training/calibration.ts).
      calibrationThreshold: threshold,
      // Issue 5's budget: a family library trains in under a minute; when it runs out the best layer so far
      // is kept (stopReason 'time-limit').
      maxSeconds: TRAINING_SECONDS,
      ...this.options.tunerOptions,
      harmonic,
      seed,
      id: `tuned-${this.now()}`,
    };
    const validation = validationSample(initial, options, labels);
    const onProgress = request.onProgress ? (p: TuneProgress) => request.onProgress?.({ ...p, validation }) : undefined;
    const result: TuneResult =
      this.options.inWorker === false
        ? new EmbeddingTuner(initial, {
            ...options,
            onProgress,
            signal: request.signal,
          }).fit(features, labels)
        : await tuneInWorker(initial, features, labels, options, {
            onProgress,
            signal: request.signal,
            reference: initial,
          });
    const after = result.layer;
    const e =
      heldOut.length >= 2
        ? evaluateTuning(
            initial,
            after,
            { features: heldOut.map((f) => f.features), labels: heldOut.map((f) => f.personId) },
            { features, labels },
          )
        : null;
    const clusterF = (layer: EmbeddingLayer) =>
      heldOut.length >= 2
        ? heldOutClusterF(
            layer,
            heldOut.map((f) => f.features),
            heldOut.map((f) => f.personId),
            threshold,
          )
        : NaN;
    const changes = this.regroupForecast(modelVersion, versionEmbeddings(this.lib.embeddings, modelVersion, after));
    const report: Omit<TuneReport, 'version'> = {
      parent,
      harmonic,
      labels: {
        faces: labelled.length,
        people: new Set(labelled.map((f) => f.personId)).size,
        trainFaces: train.length,
        heldOutFaces: heldOut.length,
        heldOutPeople: heldOutPeople.size,
        heldOutSamePairs: e?.samePairs ?? 0,
        heldOutDifferentPairs: e?.differentPairs ?? 0,
      },
      heldOut: {
        valAtFar1e3: {
          before: e?.before.valAtFar ?? NaN,
          after: e?.after.valAtFar ?? NaN,
          crossVersion: e?.crossVersionValAtFar ?? NaN,
        },
        nearestLabelledAccuracy: {
          before: e?.before.nearestNeighbourAccuracy ?? NaN,
          after: e?.after.nearestNeighbourAccuracy ?? NaN,
        },
        clusterBCubedF: { before: clusterF(initial), after: clusterF(after) },
        changedPerson: e?.changedPerson ?? 0,
        fixed: e?.fixed ?? 0,
        broken: e?.broken ?? 0,
      },
      library: {
        faces: changes.faces,
        wouldChangePerson: changes.facesMoving,
        peopleNow: changes.peopleNow,
        peopleAfter: changes.peopleAfter,
      },
      training: {
        steps: result.steps,
        bestEpoch: result.bestEpoch,
        stopReason: result.stopReason,
        seconds: (performance.now() - t0) / 1000,
      },
    };
    const version = this.versions.insert(
      { parent, harmonic, modelVersion, layer: after.toBinary(), metrics: report },
      this.now(),
    );
    return { version, ...report };
  }

  /**
   * What use(version) would do now: the faces whose person would change and the people before and after,
   * from the same plan use() then writes (a remembered grouping, or the re-grouping under the version's
   * vectors computed in memory from the stored features).
   */
  forecast(version: number): ForecastResult {
    const modelVersion = this.modelVersion();
    const layer = this.checkedLayer(version, modelVersion);
    if (this.alreadyInUse(modelVersion, version, layer)) {
      const people = this.people.visiblePeopleCount();
      const faces = this.lib.faces.assignmentsOfModel(modelVersion).length;
      return { version, faces, facesMoving: 0, peopleNow: people, peopleAfter: people, restoresEarlier: false };
    }
    const plan = this.planSwitch(modelVersion, version);
    if (plan.kind === 'restore') {
      return {
        version,
        faces: plan.restore.faces.length,
        facesMoving: plan.restore.facesMoving,
        peopleNow: this.people.visiblePeopleCount(),
        peopleAfter: plan.restore.peopleAfter,
        restoresEarlier: true,
      };
    }
    const f = this.regroupForecast(modelVersion, versionEmbeddings(this.lib.embeddings, modelVersion, layer));
    return { version, ...f, restoresEarlier: false };
  }

  /**
   * Makes `version` the active one: every face of the model re-embedded from its features with that layer
   * (version 0: the pipeline's own embeddings restored), then the people of that version restored when the
   * user comes back to it unchanged, or else a full re-grouping honouring all decisions. One transaction and
   * one undo entry ("Switched recognition from version 1 to version 2"): undo puts back the previous active
   * version, every face's vectors and every person and assignment exactly.
   */
  use(version: number): UseResult {
    const modelVersion = this.modelVersion();
    const layer = this.checkedLayer(version, modelVersion);
    const previous = this.activeVersion();
    if (this.alreadyInUse(modelVersion, version, layer)) {
      const people = this.people.visiblePeopleCount();
      const unsorted = this.people.unsortedCount();
      return { version, previous, reembedded: 0, facesMoved: 0, restoredEarlier: false, people, unsorted, undo: null };
    }
    // The stored vectors, so that undoing the switch puts back exactly these bytes: re-embedding with the
    // previous version would not always do (faces indexed since the last switch may still carry another
    // version's vectors until syncEmbeddings runs; faces without usable features are never re-embedded).
    const vectorsBefore = this.lib.embeddings.snapshot(modelVersion);
    const groupingsBefore = this.groupings.raw();
    const label =
      version === previous
        ? `Re-applied recognition ${versionWords(version)}`
        : `Switched recognition from ${versionWords(previous)} to ${versionWords(version)}`;
    const { result, undo } = this.people.changeGrouping(
      label,
      () => {
        const before = this.lib.faces.assignmentsOfModel(modelVersion);
        // Remembered before anything changes: coming back to `previous` unchanged restores these people.
        if (version !== previous)
          this.groupings.set(previous, rememberGrouping(this.lib, modelVersion, this.grouping()));
        const plan = this.planSwitch(modelVersion, version);
        const reembedded = reembedFaces(this.lib.embeddings, modelVersion, version, layer);
        this.versions.setActive(version);
        this.people.graphCache.clear();
        if (plan.kind === 'restore') applyRestore(this.lib, modelVersion, plan.restore);
        else this.people.recluster();
        const after = new Map(this.lib.faces.assignmentsOfModel(modelVersion).map((f) => [f.id, f.person_id]));
        const facesMoved = before.filter((f) => (after.get(f.id) ?? null) !== f.person_id).length;
        return { reembedded, facesMoved, restoredEarlier: plan.kind === 'restore' };
      },
      () => {
        if (previous !== 0 && !this.versions.get(previous))
          throw new EngineError('conflict', `version ${previous} was discarded since: this switch cannot be undone`);
        // Faces indexed since the switch carry its vectors: bring them to the previous version, then put the
        // snapshot's own rows back byte for byte.
        reembedFaces(this.lib.embeddings, modelVersion, previous, previous === 0 ? null : this.layer(previous), true);
        this.lib.embeddings.restore(vectorsBefore);
        this.versions.setActive(previous);
        this.groupings.putRaw(groupingsBefore);
        this.people.graphCache.clear();
      },
      SWITCH_UNDO_KIND,
    );
    return {
      version,
      previous,
      ...result,
      people: this.people.visiblePeopleCount(),
      unsorted: this.people.unsortedCount(),
      undo,
    };
  }

  /**
   * `version` is the one in use and every face it can embed already carries its vectors: asking for it again
   * (the same command twice, or run again after a kill that came once it had committed) changes nothing. A
   * re-grouping here would replace the people the switch restored or grouped with a fresh grouping.
   */
  private alreadyInUse(modelVersion: string, version: number, layer: EmbeddingLayer | null): boolean {
    return version === this.activeVersion() && !hasStaleFaces(this.lib.embeddings, modelVersion, version, layer);
  }

  /** The layer of `version` (null for 0), checked to read the features of the library's model. */
  private checkedLayer(version: number, modelVersion: string): EmbeddingLayer | null {
    if (version === 0) return null;
    const layer = this.layer(version);
    const stored = this.versions.get(version) as EmbeddingVersion;
    if (stored.modelVersion !== modelVersion)
      throw new EngineError(
        'conflict',
        `version ${version} was trained for model ${stored.modelVersion}, not ${modelVersion}`,
      );
    return layer;
  }

  private grouping(): { threshold: number; minQuality: number; minClusterSize: number } {
    const s = this.people.settings();
    return { threshold: s.threshold, minQuality: s.minQuality, minClusterSize: s.minClusterSize };
  }

  /** Coming back to a version (not re-applying the active one) whose remembered people still hold: restore. */
  private planSwitch(modelVersion: string, version: number): SwitchPlan {
    const memory = version === this.activeVersion() ? undefined : this.groupings.get(version);
    const restore = memory && planRestore(this.lib, modelVersion, this.grouping(), memory);
    return restore ? { kind: 'restore', restore } : { kind: 'regroup' };
  }

  /** The re-grouping plan under `embeddings` at the library's threshold: faces moving, people before and after. */
  private regroupForecast(
    modelVersion: string,
    embeddings: ReadonlyMap<number, Float32Array>,
  ): { faces: number; facesMoving: number; peopleNow: number; peopleAfter: number } {
    const peopleNow = this.people.visiblePeopleCount();
    const faces = this.lib.faces.assignmentsOfModel(modelVersion).length;
    const plan = this.people.planRegroup(this.people.settings().threshold, embeddings);
    if (!plan) return { faces, facesMoving: 0, peopleNow, peopleAfter: peopleNow };
    return { faces, facesMoving: plan.facesMoving, peopleNow, peopleAfter: plan.peopleAfter };
  }

  /** Faces indexed since the last use(): embedded with the active version (call before assignNew). */
  syncEmbeddings(): number {
    const modelVersion = this.people.modelVersion();
    if (!modelVersion) return 0;
    const active = this.activeVersion();
    if (active === 0) return 0;
    const layer = this.layer(active);
    return this.lib.transaction(() => {
      const n = reembedFaces(this.lib.embeddings, modelVersion, active, layer, true);
      if (n > 0) this.people.graphCache.clear();
      return n;
    });
  }
}

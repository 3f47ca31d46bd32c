/**
 * TuningService: "Improve recognition from my labels".
 *
 * - tune(): trains a new embedding layer from the user's confirmed faces (stored features, no image decoded)
 *   in a worker thread with progress and cancel, starting from the active version's layer; 20% of each
 *   well-labelled person's confirmed faces are held out and never trained on; the before (active layer) and
 *   after figures are computed on them; the layer is stored as a new version (not applied).
 * - use(v): re-embeds every face of the model from its stored features with version v's layer (0 = the
 *   shipped layer: the pipeline's own embeddings are restored exactly), marks v active and re-clusters
 *   honouring every decision (PeopleService.recluster). Apply, rollback and roll-forward are all use(v).
 * - syncEmbeddings(): faces indexed since the last use() get the active version's embedding.
 * Decisions are never written here: tuning reads them, use() rewrites embeddings and assignments only.
 */
import { ApiError } from '../../src-shared/api.js';
import type { Library } from '../library/library.js';
import type { PeopleService } from '../people/people-service.js';
import { EmbeddingLayer } from '../../training/embedding-layer.js';
import { evaluateTuning } from '../../training/evaluate.js';
import { recommendedTunerOptions } from '../../training/recipe.js';
import { loadShippedLayerFile } from '../vision/models/shipped-layer.js';
import { EmbeddingTuner, type TuneProgress, type TuneResult } from '../../training/trainer.js';
import { tuneInWorker, type WorkerTunerOptions } from '../../training/worker.js';
import { confirmedFaces, splitForEvaluation, type LabelledFace } from './labelled-faces.js';
import { heldOutClusterF } from './held-out-clustering.js';
import { reembedFaces } from './reembed.js';
import { EmbeddingVersionRepository, type EmbeddingVersion } from './version-repository.js';
import { libraryChanges } from './would-change.js';

/** Most seconds one training run may take before it keeps the best layer so far. */
export const TRAINING_SECONDS = 55;

export interface TuningServiceOptions {
  /** Version 0's layer (default: the shipped dlib layer, 256 -> 128). */
  baseLayer?: () => EmbeddingLayer;
  /** Trainer options (default: training/recipe.ts). */
  tunerOptions?: WorkerTunerOptions;
  /** Train in a worker thread (default true). */
  inWorker?: boolean;
  now?: () => number;
}

export interface TuneRequest {
  harmonic?: boolean;
  seed?: number;
  onProgress?: (p: TuneProgress) => void;
  signal?: AbortSignal;
}

export interface TuneReport {
  /** The stored (not yet applied) version. */
  version: number;
  parent: number;
  harmonic: boolean;
  labels: { faces: number; people: number; trainFaces: number; heldOutFaces: number; heldOutPeople: number };
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
  /** Over every face of the library: faces whose nearest confirmed face's person differs between layers. */
  library: { faces: number; wouldChangePerson: number };
  training: { steps: number; bestEpoch: number; stopReason: TuneResult['stopReason']; seconds: number };
}

export interface LabelSummary {
  /** Confirmed faces usable for training, and the people they belong to. */
  faces: number;
  people: number;
  /** Whether tune() would start; otherwise why not. */
  ready: boolean;
  reason: string | null;
}

/** Why a run cannot learn from these labels (null: it can). */
function notEnoughLabels(labelled: readonly LabelledFace[], train: readonly LabelledFace[]): string | null {
  if (new Set(train.map((f) => f.personId)).size >= 2 && train.length >= 6) return null;
  const people = new Set(labelled.map((f) => f.personId)).size;
  return `not enough confirmed faces to learn from (${labelled.length} faces of ${people} people; confirm faces of at least 2 people)`;
}

export interface UseResult {
  version: number;
  previous: number;
  reembedded: number;
  people: number;
  unsorted: number;
}

export class TuningService {
  readonly versions: EmbeddingVersionRepository;
  private readonly base: () => EmbeddingLayer;
  private baseCache: EmbeddingLayer | undefined;
  private readonly now: () => number;

  constructor(
    readonly lib: Library,
    readonly people: PeopleService,
    private readonly options: TuningServiceOptions = {},
  ) {
    this.versions = new EmbeddingVersionRepository(lib.db);
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
    if (!bytes) throw new ApiError('not-found', `no model version ${version}`);
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
  labels(seed = 1): LabelSummary {
    const modelVersion = this.people.modelVersion();
    if (!modelVersion) return { faces: 0, people: 0, ready: false, reason: 'the library has no faces yet' };
    let inDim: number;
    try {
      inDim = this.layer(this.activeVersion()).inDim;
    } catch (e) {
      // The status must still load (and say why) when the layer cannot be read, e.g. missing model weights.
      return {
        faces: 0,
        people: 0,
        ready: false,
        reason: `the embedding layer cannot be read: ${(e as Error).message}`,
      };
    }
    const labelled = confirmedFaces(this.lib.db, modelVersion, inDim);
    const reason = notEnoughLabels(labelled, splitForEvaluation(labelled, seed).train);
    return { faces: labelled.length, people: new Set(labelled.map((f) => f.personId)).size, ready: !reason, reason };
  }

  /**
   * Deletes a stored version that is not in use. Version 0 (shipped) cannot go ('bad-request'), nor the active
   * one ('conflict': use another first); versions trained from it keep their layers (parent is only a record).
   */
  discard(version: number): void {
    if (version === 0) throw new ApiError('bad-request', 'version 0 is the shipped model and cannot be discarded');
    const stored = this.versions.get(version);
    if (!stored) throw new ApiError('not-found', `no model version ${version}`);
    if (stored.active) throw new ApiError('conflict', `version ${version} is in use: use another version first`);
    this.versions.delete(version);
  }

  private modelVersion(): string {
    const m = this.people.modelVersion();
    if (!m) throw new ApiError('bad-request', 'the library has no faces yet');
    return m;
  }

  async tune(request: TuneRequest = {}): Promise<TuneReport> {
    const t0 = performance.now();
    const modelVersion = this.modelVersion();
    const parent = this.activeVersion();
    const initial = this.layer(parent);
    const harmonic = request.harmonic ?? false;
    const seed = request.seed ?? 1;
    const labelled = confirmedFaces(this.lib.db, modelVersion, initial.inDim);
    const { train, heldOut } = splitForEvaluation(labelled, seed);
    const heldOutPeople = new Set(heldOut.map((f) => f.personId));
    const refusal = notEnoughLabels(labelled, train);
    if (refusal) throw new ApiError('bad-request', refusal);
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
    const result: TuneResult =
      this.options.inWorker === false
        ? new EmbeddingTuner(initial, {
            ...options,
            onProgress: request.onProgress,
            signal: request.signal,
          }).fit(features, labels)
        : await tuneInWorker(initial, features, labels, options, {
            onProgress: request.onProgress ? (p) => request.onProgress?.(p) : undefined,
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
    const changes = libraryChanges(this.lib.db, modelVersion, initial, after, labelled);
    const report: Omit<TuneReport, 'version'> = {
      parent,
      harmonic,
      labels: {
        faces: labelled.length,
        people: new Set(labelled.map((f) => f.personId)).size,
        trainFaces: train.length,
        heldOutFaces: heldOut.length,
        heldOutPeople: heldOutPeople.size,
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
      library: changes,
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
   * Makes `version` the active one: every face of the model re-embedded from its features with that layer
   * (version 0: the pipeline's own embeddings restored), then a full re-cluster honouring all decisions. One
   * transaction: on any error nothing changes.
   */
  use(version: number): UseResult {
    const modelVersion = this.modelVersion();
    const layer = version === 0 ? null : this.layer(version);
    if (version !== 0) {
      const stored = this.versions.get(version) as EmbeddingVersion;
      if (stored.modelVersion !== modelVersion)
        throw new ApiError(
          'conflict',
          `version ${version} was trained for model ${stored.modelVersion}, not ${modelVersion}`,
        );
    }
    return this.lib.transaction(() => {
      const previous = this.activeVersion();
      const reembedded = reembedFaces(this.lib.db, modelVersion, version, layer);
      this.versions.setActive(version);
      this.people.graphCache.clear();
      const r = this.people.recluster();
      return { version, previous, reembedded, people: r.people, unsorted: r.unsorted };
    });
  }

  /** Faces indexed since the last use(): embedded with the active version (call before assignNew). */
  syncEmbeddings(): number {
    const modelVersion = this.people.modelVersion();
    if (!modelVersion) return 0;
    const active = this.activeVersion();
    if (active === 0) return 0;
    const layer = this.layer(active);
    return this.lib.transaction(() => {
      const n = reembedFaces(this.lib.db, modelVersion, active, layer, true);
      if (n > 0) this.people.graphCache.clear();
      return n;
    });
  }
}

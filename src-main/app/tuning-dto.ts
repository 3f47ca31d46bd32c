/**
 * Tuning results as the contract's plain-JSON DTOs (src-shared/api.ts). Rates the service could not measure
 * are NaN in a fresh TuneReport and null once stored (JSON has no NaN): both become null here, so the wire
 * and the version list say the same thing. Stored metrics are parsed defensively: a row written by another
 * build of the app may lack fields, and the version list must still load.
 */
import type {
  ModelVersionDto,
  ModelVersionForecastDto,
  RateDto,
  TuneReportDto,
  TuningProgressDto,
  TuningStatusDto,
  UseModelVersionResultDto,
} from '../../src-shared/api.js';
import type {
  ForecastResult,
  LabelSummary,
  TuneProgressWithSample,
  UseResult,
} from '../engine/tuning/tuning-service.js';
import type { EmbeddingVersion } from '../engine/storage/embedding-version-repository.js';

type Loose = Record<string, unknown> | undefined;

const rate = (x: unknown): RateDto => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const count = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const obj = (x: unknown): Loose => (x && typeof x === 'object' ? (x as Record<string, unknown>) : undefined);

const STOP_REASONS = new Set<TuneReportDto['training']['stopReason']>([
  'early-stopping',
  'max-epochs',
  'max-steps',
  'time-limit',
]);

/** A TuneReport (fresh, or the metrics JSON stored with a version) as the DTO; null when it is not one. */
export function tuneReportDto(version: number, report: unknown): TuneReportDto | null {
  const r = obj(report);
  const labels = obj(r?.labels);
  const heldOut = obj(r?.heldOut);
  if (!r || !labels || !heldOut) return null;
  const val = obj(heldOut.valAtFar1e3);
  const nearest = obj(heldOut.nearestLabelledAccuracy);
  const cluster = obj(heldOut.clusterBCubedF);
  const library = obj(r.library);
  const training = obj(r.training);
  const stop = training?.stopReason as TuneReportDto['training']['stopReason'];
  return {
    version,
    parent: count(r.parent),
    harmonic: r.harmonic === true,
    labels: {
      faces: count(labels.faces),
      people: count(labels.people),
      trainFaces: count(labels.trainFaces),
      heldOutFaces: count(labels.heldOutFaces),
      heldOutPeople: count(labels.heldOutPeople),
      heldOutSamePairs: count(labels.heldOutSamePairs),
      heldOutDifferentPairs: count(labels.heldOutDifferentPairs),
    },
    heldOut: {
      valAtFar1e3: { before: rate(val?.before), after: rate(val?.after), crossVersion: rate(val?.crossVersion) },
      nearestLabelledAccuracy: { before: rate(nearest?.before), after: rate(nearest?.after) },
      // Absent from reports stored before the figure existed: null (not measured).
      clusterBCubedF: { before: rate(cluster?.before), after: rate(cluster?.after) },
      changedPerson: count(heldOut.changedPerson),
      fixed: count(heldOut.fixed),
      broken: count(heldOut.broken),
    },
    library: {
      faces: count(library?.faces),
      wouldChangePerson: count(library?.wouldChangePerson),
      // Absent from reports stored before the forecast was the re-grouping plan: not known.
      peopleNow: typeof library?.peopleNow === 'number' ? library.peopleNow : null,
      peopleAfter: typeof library?.peopleAfter === 'number' ? library.peopleAfter : null,
    },
    training: {
      steps: count(training?.steps),
      bestEpoch: count(training?.bestEpoch),
      stopReason: STOP_REASONS.has(stop) ? stop : 'max-epochs',
      seconds: count(training?.seconds),
    },
  };
}

/** A row of TuningService.list() (version 0 included) as the DTO. */
export function modelVersionDto(
  v: Pick<EmbeddingVersion, 'id' | 'createdAt' | 'parent' | 'harmonic' | 'active' | 'metrics'>,
): ModelVersionDto {
  const shipped = v.id === 0;
  return {
    version: v.id,
    active: v.active,
    createdAt: shipped ? null : v.createdAt,
    parent: shipped ? null : v.parent,
    harmonic: v.harmonic,
    report: shipped ? null : tuneReportDto(v.id, v.metrics),
  };
}

/** The trainer's progress; the held-out VAL of the last scored epoch is carried over to the steps after it. */
export function tuningProgressDto(p: TuneProgressWithSample, lastHeldOutVal: RateDto): TuningProgressDto {
  return {
    epoch: p.epoch,
    step: p.step,
    totalSteps: p.totalSteps,
    loss: Number.isFinite(p.loss) ? p.loss : 0,
    heldOutVal: p.heldOut ? rate(p.heldOut.valAtFar) : lastHeldOutVal,
    heldOutFaces: p.validation.faces,
    heldOutPeople: p.validation.people,
    elapsedMs: p.elapsedMs,
  };
}

/** The labels there are to learn from, and whether a run would start (tuneStatus). */
export function labelSummaryDto(labels: LabelSummary): TuningStatusDto['labels'] {
  return {
    faces: labels.faces,
    people: labels.people,
    peopleWithEnough: labels.peopleWithEnough,
    ready: labels.ready,
    reason: labels.reason,
    needed: { ...labels.needed },
  };
}

/** What a switch did, with the undo entry it pushed. */
export function useModelVersionResultDto(r: UseResult): UseModelVersionResultDto {
  return {
    version: r.version,
    previous: r.previous,
    reembedded: r.reembedded,
    facesMoved: r.facesMoved,
    restoredEarlier: r.restoredEarlier,
    people: r.people,
    unsorted: r.unsorted,
    undo: r.undo && { id: r.undo.id, label: r.undo.label, at: r.undo.at },
  };
}

/** What a switch would do now. */
export function modelVersionForecastDto(f: ForecastResult): ModelVersionForecastDto {
  return {
    version: f.version,
    faces: f.faces,
    facesMoving: f.facesMoving,
    peopleNow: f.peopleNow,
    peopleAfter: f.peopleAfter,
    restoresEarlier: f.restoresEarlier,
  };
}

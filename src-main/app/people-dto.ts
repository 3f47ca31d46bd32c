/**
 * People as the contract's plain-JSON DTOs (src-shared/api.ts): the engine's people types
 * (src-main/engine/people/types.ts, people-settings.ts) mapped field by field at this edge, so a change on
 * either side is a change here, not a silent change of the wire. Arrays and nested objects are copied: a
 * DTO shares nothing with the engine's state.
 */
import type {
  FaceDto,
  IgnoredFaceDto,
  MergeSuggestionDto,
  PersonDetailDto,
  PersonSubgroupsDto,
  PersonSummaryDto,
  PhotoDto,
  ReviewQueueDto,
  RocDto,
  SettingsDto,
  ThresholdPreviewDto,
  UndoEntryDto,
} from '../../src-shared/api.js';
import type { Settings } from '../engine/people/people-settings.js';
import type {
  FaceView,
  IgnoredFaceView,
  MergeSuggestion,
  PersonDetail,
  PersonSubgroups,
  PersonSummary,
  PhotoFace,
  ReviewQueue,
  Roc,
  ThresholdPreview,
  UndoEntry,
} from '../engine/people/types.js';

export function personSummaryDto(p: PersonSummary): PersonSummaryDto {
  return {
    id: p.id,
    name: p.name,
    hidden: p.hidden,
    faceCount: p.faceCount,
    confirmedCount: p.confirmedCount,
    coverFaceId: p.coverFaceId,
  };
}

export function faceDto(f: FaceView): FaceDto {
  return {
    id: f.id,
    photoId: f.photoId,
    box: { x: f.box.x, y: f.box.y, width: f.box.width, height: f.box.height },
    score: f.score,
    quality: f.quality,
    personId: f.personId,
    assignment: f.assignment,
    distance: f.distance,
  };
}

export function photoFaceDto(f: PhotoFace): PhotoDto['faces'][number] {
  return { ...faceDto(f), personName: f.personName, ignored: f.ignored };
}

export function ignoredFaceDto(f: IgnoredFaceView): IgnoredFaceDto {
  return { ...faceDto(f), reason: f.reason, ignoredAt: f.ignoredAt };
}

export function personDetailDto(d: PersonDetail): PersonDetailDto {
  return { person: personSummaryDto(d.person), faces: d.faces.map(faceDto) };
}

export function reviewQueueDto(q: ReviewQueue): ReviewQueueDto {
  return {
    total: q.total,
    items: q.items.map((i) => ({
      face: faceDto(i.face),
      person: personSummaryDto(i.person),
      distance: i.distance,
      references: [...i.references],
    })),
  };
}

export function personSubgroupsDto(s: PersonSubgroups): PersonSubgroupsDto {
  return {
    person: personSummaryDto(s.person),
    threshold: s.threshold,
    groups: s.groups.map((g) => ({ faces: g.faces.map(faceDto), distanceToRest: g.distanceToRest })),
    otherModel: s.otherModel.map(faceDto),
  };
}

export function undoEntryDto(e: UndoEntry): UndoEntryDto {
  return { id: e.id, label: e.label, at: e.at };
}

export function mergeSuggestionDto(s: MergeSuggestion): MergeSuggestionDto {
  return {
    a: personSummaryDto(s.a),
    b: personSummaryDto(s.b),
    aFaceIds: [...s.aFaceIds],
    bFaceIds: [...s.bFaceIds],
    distance: s.distance,
    score: s.score,
  };
}

export function thresholdPreviewDto(p: ThresholdPreview): ThresholdPreviewDto {
  return {
    threshold: p.threshold,
    people: p.people,
    peopleNow: p.peopleNow,
    facesMoving: p.facesMoving,
    merges: p.merges.map((group) => [...group]),
    splits: p.splits.map((s) => ({ personId: s.personId, parts: s.parts })),
  };
}

export function rocDto(r: Roc): RocDto {
  return {
    points: r.points.map((p) => ({ threshold: p.threshold, val: p.val, far: p.far })),
    samePairs: r.samePairs,
    differentPairs: r.differentPairs,
    threshold: r.threshold,
  };
}

export function settingsDto(s: Settings): SettingsDto {
  return {
    threshold: s.threshold,
    minQuality: s.minQuality,
    minClusterSize: s.minClusterSize,
    detector: s.detector,
    embedder: s.embedder,
    providers: [...s.providers],
  };
}

/**
 * The people DTOs (src-main/app/people-dto.ts): every field of the engine's people types reaches the wire
 * unchanged, nothing else does, and a DTO shares no array or object with the engine's values.
 */
import { describe, expect, it } from 'vitest';
import {
  mergeSuggestionDto,
  personDetailDto,
  photoFaceDto,
  rocDto,
  settingsDto,
  thresholdPreviewDto,
  undoEntryDto,
} from '../../../src-main/app/people-dto.js';
import type { Settings } from '../../../src-main/engine/people/people-settings.js';
import type { FaceView, PersonSummary, Roc, ThresholdPreview } from '../../../src-main/engine/people/types.js';

const anna: PersonSummary = { id: 3, name: 'Anna', hidden: false, faceCount: 4, confirmedCount: 2, coverFaceId: 7 };
const ben: PersonSummary = { id: 5, name: null, hidden: true, faceCount: 1, confirmedCount: 0, coverFaceId: null };
const face: FaceView = {
  id: 7,
  photoId: 2,
  box: { x: 1, y: 2, width: 30, height: 40 },
  score: 0.99,
  quality: 0.8,
  personId: 3,
  assignment: 'confirmed',
  distance: 0.12,
};

describe('people DTOs', () => {
  it('map every field, and only those', () => {
    expect(personDetailDto({ person: anna, faces: [face] })).toStrictEqual({ person: anna, faces: [face] });
    expect(photoFaceDto({ ...face, personName: 'Anna', ignored: null })).toStrictEqual({
      ...face,
      personName: 'Anna',
      ignored: null,
    });
    const suggestion = { a: anna, b: ben, aFaceIds: [1, 2], bFaceIds: [7], distance: 0.7, score: 1.4 };
    expect(mergeSuggestionDto(suggestion)).toStrictEqual(suggestion);
    expect(mergeSuggestionDto(suggestion).aFaceIds).not.toBe(suggestion.aFaceIds);
    const entry = { id: 1, label: 'Renamed Person 3 to Anna', at: 1000 };
    expect(undoEntryDto({ ...entry, personId: 3 } as typeof entry)).toStrictEqual(entry);
  });

  it('copy arrays and objects, so the wire shares nothing with the engine', () => {
    const preview: ThresholdPreview = {
      threshold: 0.6,
      people: 2,
      peopleNow: 3,
      facesMoving: 4,
      merges: [[3, 5]],
      splits: [{ personId: 8, parts: 2 }],
    };
    const roc: Roc = {
      points: [{ threshold: 0.5, val: 0.9, far: 0.01 }],
      samePairs: 10,
      differentPairs: 20,
      threshold: 0.6,
    };
    const settings: Settings = {
      threshold: 0.6,
      minQuality: 0.3,
      minClusterSize: 2,
      detector: 'yunet',
      embedder: 'dlib',
      providers: ['cuda', 'cpu'],
    };
    const p = thresholdPreviewDto(preview);
    const r = rocDto(roc);
    const s = settingsDto(settings);
    expect([p, r, s]).toStrictEqual([preview, roc, settings]);
    expect(p.merges[0]).not.toBe(preview.merges[0]);
    expect(p.splits[0]).not.toBe(preview.splits[0]);
    expect(r.points[0]).not.toBe(roc.points[0]);
    expect(s.providers).not.toBe(settings.providers);
    expect(personDetailDto({ person: anna, faces: [face] }).faces[0]!.box).not.toBe(face.box);
  });
});

/**
 * The people module's domain types: what PeopleService takes and returns. They are the engine's own, not the
 * wire's: the app maps them to the contract's DTOs at its edge (src-main/app/people-dto.ts), so the contract
 * and the domain can change apart.
 */
import type { IgnoreReason } from '../storage/ignored-face-repository.js';
import type { FaceRow } from '../storage/types.js';

export type { IgnoreReason } from '../storage/ignored-face-repository.js';

/** Where faces go when moved or added: an existing person, or a new person (optionally named). */
export type MoveTarget = { personId: number } | { newPerson: true; name?: string };

/** A person as lists show them. */
export interface PersonSummary {
  id: number;
  name: string | null;
  hidden: boolean;
  faceCount: number;
  confirmedCount: number;
  /** The cover the user chose, else the default one (confirmed first, then the best quality). */
  coverFaceId: number | null;
}

/** A face as lists show it: its stored row, and how far it sits from its person's centre. */
export interface FaceView extends FaceRow {
  /** Squared L2 to the centre of its person's faces; null when unassigned (or not measured). */
  distance: number | null;
}

/** A face of a photo, with the name of its person, and why it is ignored (null: it is not). */
export interface PhotoFace extends FaceView {
  personName: string | null;
  ignored: IgnoreReason | null;
}

/** An ignored face as the Ignored list shows it: the face, why, and when. */
export interface IgnoredFaceView extends FaceView {
  reason: IgnoreReason;
  ignoredAt: number;
}

export interface PersonDetail {
  person: PersonSummary;
  /** Confirmed first, then by distance to the person's centre. */
  faces: FaceView[];
}

/** An action on the undo stack, as the user sees it. */
export interface UndoEntry {
  id: number;
  /** What the user did, in words ("Merged Anna into Ben"). */
  label: string;
  at: number;
}

export interface MergeSuggestion {
  a: PersonSummary;
  b: PersonSummary;
  /** A few typical faces of each side (nearest their person's centre first). */
  aFaceIds: number[];
  bFaceIds: number[];
  /** How far apart the two people are (squared L2; the rule's measure, merge-suggestions.ts). */
  distance: number;
  /** That distance relative to where the rule cuts for this pair (at most 1): lower is more likely one person. */
  score: number;
}

/** What a re-grouping at `threshold` would do (exactly what Apply then does). */
export interface ThresholdPreview {
  threshold: number;
  /** People shown after (named, or with faces). */
  people: number;
  /** People shown now. */
  peopleNow: number;
  /** Faces whose person would change (to another person, a new one, or Unsorted). */
  facesMoving: number;
  /** Groups of current people that would merge. */
  merges: number[][];
  /** Current people that would be split, and into how many parts. */
  splits: Array<{ personId: number; parts: number }>;
}

/** The ROC of the user's confirmed labels, and the clustering threshold to mark on it. */
export interface Roc {
  points: Array<{ threshold: number; val: number; far: number }>;
  samePairs: number;
  differentPairs: number;
  threshold: number;
}

/** A face the grouping put into a named person, waiting for the user's yes or no. */
export interface ReviewItem {
  face: FaceView;
  person: PersonSummary;
  /**
   * How far the face is from the person's confirmed faces: the mean squared L2 to them (average linkage, as the
   * re-grouping anchors a person); from all the person's faces when none is confirmed.
   */
  distance: number;
  /** The person's confirmed faces nearest to this one (at most REVIEW_REFERENCES, face-review.ts), for comparison. */
  references: number[];
}

export interface ReviewQueue {
  /** Faces waiting for review in the queue's scope (the items are the first `limit` of them). */
  total: number;
  items: ReviewItem[];
}

/** One sub-group of a person: faces from its centre outwards. */
export interface Subgroup {
  faces: FaceView[];
  /** Average-linkage distance to the rest of the person's faces (null when it is the only group). */
  distanceToRest: number | null;
}

export interface PersonSubgroups {
  person: PersonSummary;
  /** The cut used: subgroupCut (face-review.ts) of the clustering threshold. */
  threshold: number;
  /** Largest first (ties: the group with the smallest face id). */
  groups: Subgroup[];
  /** Faces of the person embedded by another model than the current one: not comparable, listed apart. */
  otherModel: FaceView[];
}

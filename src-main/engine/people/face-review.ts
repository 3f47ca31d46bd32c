/**
 * Reviewing what the grouping decided, as photo apps offer it:
 *
 * - the review queue ("Is this Alice?"): the faces the grouping put into a named person that the user has not
 *   confirmed, most doubtful first: the farthest from the person's confirmed faces (the faces that anchor the
 *   person in re-grouping, README "How re-grouping treats your decisions"). The answers are the existing edits,
 *   confirmFaces and rejectFaces (people-edits.ts), so they are undoable and re-grouping honours them;
 * - sub-groups of one person ("Group by similarity"): the person's faces clustered again by the same clusterer
 *   at a stricter cut, so a person that is really several people shows as several groups, each one selection
 *   away from "Move to…". The user's decisions are left out on purpose: a merge confirms every face it moves,
 *   and a wrong merge is exactly what the sub-groups are for. Faces of one photo still stay apart.
 *
 * Both are reads, and deterministic: the same faces give the same queue and the same groups.
 */
import type { FaceVector } from '../storage/types.js';
import type { PeopleContext } from './people-context.js';
import { averageLinkage, distancesToCentre, groupSum, subgroupsOf, type GroupSum } from './people-analysis.js';
import { faceView, personSummary, requirePerson } from './people-queries.js';
import type { PersonSubgroups, ReviewQueue } from './types.js';
import { squaredL2 } from '../../../src-shared/vectors.js';

/**
 * Sub-groups are cut at this fraction of the clustering threshold (stricter than the grouping that made the
 * person), and never looser than SUBGROUP_MAX_CUT: a person made at a loose threshold holds several people whose
 * parts are that far apart. Measured on ../shared/celeba-people (test/bench/subgroups.bench.ts): with this rule
 * 94-100% of the people mixed into one person by grouping at 0.16-0.3 come out as a sub-group of their own (70% of
 * their faces, under 10% of others'), and a person who is one person shows about 2 sub-groups of 2 faces or more.
 */
export const SUBGROUP_CUT = 0.7;
/** The loosest sub-group cut (squared L2): a little above the default threshold, where identities part. */
export const SUBGROUP_MAX_CUT = 0.15;

/** The sub-group cut for a clustering threshold. */
export function subgroupCut(threshold: number): number {
  return Math.min(SUBGROUP_CUT * threshold, SUBGROUP_MAX_CUT);
}
/** Confirmed faces of the person shown next to a face in review, the nearest first. */
export const REVIEW_REFERENCES = 3;

/** A face's review entry without the rows and names: what the pure ordering needs. */
export interface ReviewCandidate {
  faceId: number;
  personId: number;
  distance: number;
  references: number[];
}

/**
 * The review order over the faces of some people (pure): every face not confirmed, with its mean squared L2 to
 * its person's confirmed faces (to all its person's faces when none is confirmed), farthest first; ties by face id.
 * Only the first `limit` get their references (the nearest confirmed faces): that part is a scan of the person's
 * confirmed faces per face, and only what is shown needs it.
 */
export function reviewOrder(
  faces: readonly FaceVector[],
  limit = Number.POSITIVE_INFINITY,
): { total: number; shown: ReviewCandidate[] } {
  const byPerson = new Map<number, FaceVector[]>();
  for (const f of faces) {
    if (f.personId === null) continue;
    const list = byPerson.get(f.personId);
    if (list) list.push(f);
    else byPerson.set(f.personId, [f]);
  }
  const all: Array<{ face: FaceVector; personId: number; distance: number; confirmed: FaceVector[] }> = [];
  for (const [personId, list] of byPerson) {
    const dim = list[0]?.embedding.length ?? 0;
    // Vectors of one dimension only: a person may hold faces of an older model.
    const same = list.filter((f) => f.embedding.length === dim);
    const confirmed = same.filter((f) => f.assignment === 'confirmed');
    const anchor = groupSum(confirmed.length > 0 ? confirmed : same);
    for (const face of same) {
      if (face.assignment === 'confirmed') continue;
      all.push({ face, personId, distance: averageLinkage(groupSum([face]), anchor), confirmed });
    }
  }
  all.sort((a, b) => b.distance - a.distance || a.face.id - b.face.id);
  const shown = all.slice(0, Math.max(0, limit)).map((c) => ({
    faceId: c.face.id,
    personId: c.personId,
    distance: c.distance,
    references: c.confirmed
      .map((r) => ({ id: r.id, d: squaredL2(c.face.embedding, r.embedding) }))
      .sort((a, b) => a.d - b.d || a.id - b.id)
      .slice(0, REVIEW_REFERENCES)
      .map((r) => r.id),
  }));
  return { total: all.length, shown };
}

export class FaceReview {
  constructor(private readonly ctx: PeopleContext) {}

  /**
   * The review queue of one person (named or not, hidden or not: the user asked for them), or of every named
   * person that is not hidden; the first `limit` items.
   */
  reviewQueue(options: { personId?: number; limit?: number } = {}): ReviewQueue {
    const { lib } = this.ctx;
    const limit = Math.max(0, options.limit ?? 200);
    const people =
      options.personId !== undefined
        ? [requirePerson(lib, options.personId)]
        : lib.people.list().filter((p) => p.name !== null && !p.hidden);
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion || people.length === 0) return { total: 0, items: [] };
    const { total, shown } = reviewOrder(
      lib.faces.vectorsOfPeople(
        people.map((p) => p.id),
        modelVersion,
      ),
      limit,
    );
    const rows = new Map(lib.faces.listRows(shown.map((c) => c.faceId)).map((r) => [r.id, r]));
    const counts = lib.faces.personCounts();
    const covers = lib.faces.defaultCovers();
    const summaries = new Map(people.map((p) => [p.id, personSummary(p, counts, covers)]));
    const items = shown.flatMap((c) => {
      const row = rows.get(c.faceId);
      const person = summaries.get(c.personId);
      if (!row || !person) return [];
      return [{ face: faceView(row, null), person, distance: c.distance, references: c.references }];
    });
    return { total, items };
  }

  /** The person's faces grouped by similarity at the sub-group cut of the clustering threshold (subgroupCut). */
  personSubgroups(personId: number): PersonSubgroups {
    const { lib } = this.ctx;
    const person = requirePerson(lib, personId);
    const summary = personSummary(person, lib.faces.personCounts(), lib.faces.defaultCovers());
    const threshold = subgroupCut(this.ctx.settings.get().threshold);
    const modelVersion = this.ctx.modelVersion();
    const vectors = modelVersion ? lib.faces.vectorsOfPeople([personId], modelVersion) : [];
    const groups = subgroupsOf(vectors, threshold);
    const all = groupSum(vectors);
    const inGroups = new Set(vectors.map((f) => f.id));
    const otherIds = lib.faces.idsOfPeople([personId]).filter((id) => !inGroups.has(id));
    const rows = new Map(lib.faces.listRows([...inGroups, ...otherIds]).map((r) => [r.id, r]));
    return {
      person: summary,
      threshold,
      groups: groups.map((g) => {
        const own = groupSum(g);
        const rest: GroupSum = { sum: all.sum.map((v, t) => v - (own.sum[t] as number)), n: all.n - own.n };
        const centre = distancesToCentre(g);
        return {
          faces: g.flatMap((f) => {
            const row = rows.get(f.id);
            return row ? [faceView(row, centre.get(f.id) ?? null)] : [];
          }),
          distanceToRest: rest.n > 0 ? averageLinkage(own, rest) : null,
        };
      }),
      otherModel: otherIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [faceView(row, null)] : [];
      }),
    };
  }
}

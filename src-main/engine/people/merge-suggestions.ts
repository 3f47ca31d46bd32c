/**
 * Merge suggestions: the pairs of people who are more often one person than not, most likely first, each with
 * a few typical faces of both sides; the user can dismiss a pair for good. Candidates and their measures come
 * from merge-candidates.ts; the ranking and the cut (SUGGESTION_RANKING, SUGGESTION_RANGE) were chosen on the
 * development sets by the criterion written down beforehand in docs/merge-suggestions.md, which also has what
 * the list covers.
 */
import { EngineError } from '../errors.js';
import type { FaceVector, Person } from '../storage/types.js';
import type { PeopleContext } from './people-context.js';
import { averagePairs, mergeCandidates, type MergeCandidate } from './merge-candidates.js';
import { centreOutwards } from './people-analysis.js';
import { personSummary, requirePerson } from './people-queries.js';
import { groupByPerson, loadState } from './people-state.js';
import type { MergeSuggestion } from './types.js';

/** The ways of ranking candidates that were measured (docs/merge-suggestions.md). */
export const RANKINGS = {
  average: (c: MergeCandidate) => c.average,
  nearest: (c: MergeCandidate) => c.link,
  blend: (c: MergeCandidate) => (c.average + c.link) / 2,
  /** The clustering's own merge value (mergeValue): the pairs the grouping nearly joined. */
  adaptive: (c: MergeCandidate) => c.adaptive,
} as const;
export type Ranking = keyof typeof RANKINGS;

/**
 * The clustering's own merge value (adaptive) up to 1.25x the clustering threshold: the pairs the grouping
 * nearly joined. Of the rankings and cuts measured on the 2026-12-02 grouping (the second rule's default then:
 * adaptive criterion 0.55 / -0.35 at 0.1125, faces below the floor attached), the list with the most right
 * pairs among those right at least half the time, pooled over celeba-people and lfw-dev-people (40 pairs, 20
 * right; docs/merge-suggestions.md, fourth rule, re-applied). No growth with the people's size
 * (SUGGESTION_ALPHA = 0): the third rule measured there did not do better.
 */
export const SUGGESTION_RANKING: Ranking = 'adaptive';
export const SUGGESTION_RANGE = 1.25;
export const SUGGESTION_ALPHA = 0;

export interface SuggestionRule {
  ranking: Ranking;
  /** The cut, a multiple of the clustering threshold, for a pair whose smaller person has one face… */
  range: number;
  /** …growing by alpha x (1 - 1/sqrt(faces of the smaller person)): larger people average out noise. */
  alpha?: number;
}

/** Where a rule cuts for a candidate (squared L2). */
export function suggestionCut(rule: SuggestionRule, threshold: number, smaller: number): number {
  return threshold * (rule.range + (rule.alpha ?? 0) * (1 - 1 / Math.sqrt(Math.max(1, smaller))));
}

/** Faces shown per side of a suggestion. */
export const SUGGESTION_FACES = 4;

/** The `count` faces of a person nearest its centre (ties: smaller id): what the person typically looks like. */
function typicalFaces(faces: readonly FaceVector[], count: number): number[] {
  return centreOutwards(faces)
    .slice(0, count)
    .map((f) => f.id);
}

export class MergeSuggestions {
  constructor(private readonly ctx: PeopleContext) {}

  /** The suggestions, most likely first; another rule than the shipped one is for the benchmark. */
  list(
    limit = 20,
    rule: SuggestionRule = { ranking: SUGGESTION_RANKING, range: SUGGESTION_RANGE, alpha: SUGGESTION_ALPHA },
  ): MergeSuggestion[] {
    const { lib } = this.ctx;
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return [];
    const state = loadState(lib, modelVersion);
    const eligible = new Set(state.people.filter((p) => !p.hidden).map((p) => p.id));
    const faces = state.faces.filter((f) => f.personId !== null && eligible.has(f.personId));
    const dismissed = lib.dismissals.keys();
    const threshold = this.ctx.settings.get().threshold;
    const rank = RANKINGS[rule.ranking];
    // Average linkage and the merge value need no face graph: every pair of people, from their sums
    // (see averagePairs).
    const fromSums = rule.ranking === 'average' || rule.ranking === 'adaptive';
    const pick = (average: number, adaptive: number) => (rule.ranking === 'average' ? average : adaptive);
    const measured = fromSums
      ? averagePairs(faces, (d, smaller, v) => pick(d, v) <= suggestionCut(rule, threshold, smaller)).map((c) => ({
          a: c.a,
          b: c.b,
          smaller: c.smaller,
          distance: pick(c.average, c.adaptive),
        }))
      : mergeCandidates(faces, { threshold }).map((c) => ({ a: c.a, b: c.b, smaller: c.smaller, distance: rank(c) }));
    const pairs = measured
      .map((c) => ({ ...c, score: c.distance / suggestionCut(rule, threshold, c.smaller) }))
      .filter((p) => p.score <= 1 && !dismissed.has(`${p.a}:${p.b}`))
      .sort((x, y) => x.score - y.score || x.distance - y.distance || x.a - y.a || x.b - y.b)
      .slice(0, limit);
    if (pairs.length === 0) return [];
    const counts = lib.faces.personCounts();
    const covers = lib.faces.defaultCovers();
    const byId = new Map(state.people.map((p) => [p.id, p]));
    const groups = groupByPerson(faces);
    const shown = (personId: number) => typicalFaces(groups.get(personId) ?? [], SUGGESTION_FACES);
    return pairs.map((p) => ({
      a: personSummary(byId.get(p.a) as Person, counts, covers),
      b: personSummary(byId.get(p.b) as Person, counts, covers),
      aFaceIds: shown(p.a),
      bFaceIds: shown(p.b),
      distance: p.distance,
      score: p.score,
    }));
  }

  dismiss(a: number, b: number): void {
    if (a === b) throw new EngineError('invalid', 'a suggestion is a pair of two different people');
    requirePerson(this.ctx.lib, a);
    requirePerson(this.ctx.lib, b);
    this.ctx.lib.dismissals.dismiss(a, b, this.ctx.now());
  }
}

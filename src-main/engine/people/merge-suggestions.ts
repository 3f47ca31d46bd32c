/**
 * Merge suggestions: pairs of people whose faces are close (average linkage, people-analysis.ts) but not
 * close enough for the clustering to join them, closest first; the user can dismiss a pair for good.
 */
import { EngineError } from '../errors.js';
import type { Person } from '../storage/types.js';
import type { PeopleContext } from './people-context.js';
import { mergeSuggestions } from './people-analysis.js';
import { personSummary, requirePerson } from './people-queries.js';
import { loadState } from './people-state.js';
import type { MergeSuggestion } from './types.js';

/** Merge suggestions go up to this multiple of the clustering threshold. */
export const SUGGESTION_RANGE = 1.25;

export class MergeSuggestions {
  constructor(private readonly ctx: PeopleContext) {}

  list(limit = 20): MergeSuggestion[] {
    const { lib } = this.ctx;
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return [];
    const state = loadState(lib, modelVersion);
    const counts = lib.faces.personCounts();
    const covers = lib.faces.defaultCovers();
    const eligible = new Set(state.people.filter((p) => !p.hidden).map((p) => p.id));
    const maxDistance = Math.min(4, this.ctx.settings.get().threshold * SUGGESTION_RANGE);
    const pairs = mergeSuggestions(state, eligible, lib.dismissals.keys(), maxDistance, limit);
    const byId = new Map(state.people.map((p) => [p.id, p]));
    return pairs.map((p) => ({
      a: personSummary(byId.get(p.a) as Person, counts, covers),
      b: personSummary(byId.get(p.b) as Person, counts, covers),
      distance: p.distance,
    }));
  }

  dismiss(a: number, b: number): void {
    if (a === b) throw new EngineError('invalid', 'a suggestion is a pair of two different people');
    requirePerson(this.ctx.lib, a);
    requirePerson(this.ctx.lib, b);
    this.ctx.lib.dismissals.dismiss(a, b, this.ctx.now());
  }
}

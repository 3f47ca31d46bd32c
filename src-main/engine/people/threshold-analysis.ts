/**
 * How the clustering threshold plays out: the preview of a re-grouping at another threshold (exactly the
 * plan Apply writes, regrouping.ts) and the ROC curve of the user's confirmed labels.
 */
import { EngineError } from '../errors.js';
import type { PeopleContext } from './people-context.js';
import { rocFromLabels } from './people-analysis.js';
import type { PeopleQueries } from './people-queries.js';
import { loadState } from './people-state.js';
import type { Regrouping } from './regrouping.js';
import type { Roc, ThresholdPreview } from './types.js';

export class ThresholdAnalysis {
  constructor(
    private readonly ctx: PeopleContext,
    private readonly queries: PeopleQueries,
    private readonly regrouping: Regrouping,
  ) {}

  /** What a re-grouping at `threshold` would do, without applying it: exactly what recluster() then does. */
  previewThreshold(threshold: number): ThresholdPreview {
    if (!(threshold > 0 && threshold <= 4)) throw new EngineError('invalid', 'threshold must be in (0, 4]');
    const peopleNow = this.queries.visiblePeopleCount();
    const plan = this.regrouping.planRegroup(threshold);
    if (!plan) return { threshold, people: peopleNow, peopleNow, facesMoving: 0, merges: [], splits: [] };
    return {
      threshold,
      people: plan.peopleAfter,
      peopleNow,
      facesMoving: plan.facesMoving,
      merges: plan.merges,
      splits: plan.splits,
    };
  }

  roc(): Roc {
    const threshold = this.ctx.settings.get().threshold;
    const modelVersion = this.ctx.modelVersion();
    if (!modelVersion) return { points: [], samePairs: 0, differentPairs: 0, threshold };
    return { ...rocFromLabels(loadState(this.ctx.lib, modelVersion)), threshold };
  }
}

/**
 * `npx tsx test/bench/reference-optimism.bench.ts [splits]`: how much of issue 15's reference is the advantage
 * of choosing its threshold with the answers? The reference (exact average-linkage HAC at the best threshold
 * for a set, chosen on that set's own identities) is an in-sample maximum over ~100 thresholds, which is
 * optimistic. Here each development set's identities are split in two halves at random (seeded, `splits`
 * times, default 30); on each half the reference's threshold is chosen on the *other* half, and the half is
 * scored three ways: the reference in sample (its own best threshold), the reference tuned on the other half,
 * and the shipped grouping (defaults, no tuning). An analysis, not a selection: it chooses nothing.
 *
 * Prints one JSON object: per set, the means over all halves and how often the shipped grouping is at least
 * the reference tuned on the other half.
 */
import {
  scoreClustering,
  thresholdRange,
  DEFAULT_CLUSTER_SETTINGS,
  type EmbeddedFace,
} from '../../src-main/app/evaluation/cluster.js';
import { exactHacReference } from '../../src-main/app/evaluation/cluster-suite.js';
import { Rng } from '../../src-shared/random.js';
import { developmentFaces } from '../helpers/development-faces.js';

const splits = Number(process.argv[2] ?? 30);
const THRESHOLDS = thresholdRange(0.08, 0.2, 0.00125);

const sets = await developmentFaces();

const asSet = (name: string, faces: EmbeddedFace[]) => ({
  name,
  kind: 'development' as const,
  description: '',
  faces,
  photos: faces.length,
  noFace: 0,
});

const result: Record<string, unknown> = {};
for (const { name, faces } of sets) {
  const identities = [...new Set(faces.map((f) => f.identity))].sort();
  const rows: Array<{ inSample: number; tunedElsewhere: number; shipped: number }> = [];
  for (let s = 0; s < splits; s++) {
    const random = new Rng(1000 + s);
    const inFirst = new Set(identities.filter(() => random.next() < 0.5));
    const halves = [faces.filter((f) => inFirst.has(f.identity)), faces.filter((f) => !inFirst.has(f.identity))];
    const best = halves.map((h) => exactHacReference(asSet(name, h), THRESHOLDS));
    halves.forEach((half, i) => {
      const other = best[1 - i]!.at;
      rows.push({
        inSample: best[i]!.bcubed.f,
        tunedElsewhere: exactHacReference(asSet(name, half), [other]).bcubed.f,
        shipped: scoreClustering(half, DEFAULT_CLUSTER_SETTINGS).bcubed.f,
      });
    });
  }
  const mean = (k: keyof (typeof rows)[number]) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  result[name] = {
    halves: rows.length,
    referenceInSample: mean('inSample'),
    referenceTunedOnOtherHalf: mean('tunedElsewhere'),
    shipped: mean('shipped'),
    shippedAtLeastTunedElsewhere: rows.filter((r) => r.shipped >= r.tunedElsewhere).length,
    shippedAtLeastInSample: rows.filter((r) => r.shipped >= r.inSample).length,
  };
}
console.log(JSON.stringify(result));

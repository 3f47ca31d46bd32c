/**
 * Every development and check set side by side (`facenet eval cluster --suite`): the product's grouping at
 * each threshold of a sweep, the threshold the selection rule picks (highest mean BCubed F over the
 * development sets, docs/clustering-threshold.md), and the two references on the same embeddings, each at
 * its best setting per set chosen with the answers (references.ts).
 */
import { clusterScores, type PRF } from '../../../src-shared/cluster-metrics.js';
import { GraphCache } from '../../engine/people/graph-cache.js';
import { scoreClustering, type ClusterSettings, type EmbeddedFace } from './cluster.js';
import { dbscanCuts, DBSCAN_MIN_POINTS, exactAverageCuts } from './references.js';

export type SetKind = 'development' | 'check';

export interface SuiteSet {
  name: string;
  kind: SetKind;
  description: string;
  faces: readonly EmbeddedFace[];
  photos: number;
  noFace: number;
}

export interface SetSummary {
  name: string;
  kind: SetKind;
  description: string;
  photos: number;
  faces: number;
  noFace: number;
  identities: number;
}

/** One setting of one method on one set. */
export interface SetScore {
  set: string;
  /** Threshold (squared L2) or DBSCAN eps. */
  at: number;
  bcubed: PRF;
  pairwise: PRF;
  /** Clusters of 2+ faces (people shown at min cluster size 2). */
  people: number;
}

export interface SweepRow {
  threshold: number;
  /** BCubed F per set, in the order of `sets`. */
  bcubedF: number[];
  /** Mean BCubed F over the development sets (the rule's tie-break). */
  developmentMean: number;
  /**
   * Smallest margin over the development sets: BCubed F minus the exact-HAC reference's best on that set
   * (the selection rule's figure, docs/clustering-threshold.md).
   */
  smallestMargin: number;
}

/** Margins closer than this are a tie, decided by the higher development mean. */
export const MARGIN_TIE = 0.0005;

/**
 * The row the selection rule picks (docs/clustering-threshold.md, second rule): the largest smallest margin
 * over the development sets; margins within MARGIN_TIE of the best are decided by the higher development
 * mean, then by the lower threshold (rows in ascending threshold order).
 */
export function chooseByWorstMargin<T extends { smallestMargin: number; developmentMean: number }>(
  rows: readonly T[],
): T {
  const top = Math.max(...rows.map((r) => r.smallestMargin));
  const near = rows.filter((r) => r.smallestMargin >= top - MARGIN_TIE);
  return near.reduce((a, b) => (b.developmentMean > a.developmentMean ? b : a));
}

/** Exact average-linkage HAC at its best threshold on `set` (chosen with the answers: the reference). */
export function exactHacReference(set: SuiteSet, thresholds: readonly number[]): SetScore {
  const cut = exactAverageCuts(set.faces, Math.max(...thresholds));
  return best(thresholds.map((t) => scoreLabels(set, t, cut(t))));
}

export interface SuiteReport {
  sets: SetSummary[];
  settings: ClusterSettings;
  /** The product's grouping (with `settings`, threshold swept). */
  sweep: SweepRow[];
  /** The sweep row the rule picks (chooseByWorstMargin). */
  chosen: SweepRow;
  /** The product's grouping at `settings.threshold`, per set. */
  atSetting: SetScore[];
  /** The product's grouping at the chosen threshold, per set. */
  atChosen: SetScore[];
  /** Exact average-linkage HAC at its best threshold per set (chosen with the answers). */
  exactHac: SetScore[];
  /** DBSCAN at its best eps per set (chosen with the answers), with DBSCAN_MIN_POINTS. */
  dbscan: SetScore[];
  dbscanMinPoints: number;
  seconds: number;
}

function peopleOf(labels: readonly (string | number)[]): number {
  const sizes = new Map<string | number, number>();
  for (const l of labels) sizes.set(l, (sizes.get(l) ?? 0) + 1);
  return [...sizes.values()].filter((s) => s >= 2).length;
}

function scoreLabels(set: SuiteSet, at: number, labels: readonly (string | number)[]): SetScore {
  const s = clusterScores(
    labels,
    set.faces.map((f) => f.identity),
  );
  return { set: set.name, at, bcubed: s.bcubed, pairwise: s.pairwise, people: peopleOf(labels) };
}

/** The best of a sweep by BCubed F (ties: the lower setting). */
function best(scores: SetScore[]): SetScore {
  return scores.reduce((a, b) => (b.bcubed.f > a.bcubed.f ? b : a));
}

export function runSuite(
  sets: readonly SuiteSet[],
  settings: ClusterSettings,
  thresholds: readonly number[],
  epsValues: readonly number[] = thresholds,
): SuiteReport {
  const started = performance.now();
  const dev = sets.map((s, i) => (s.kind === 'development' ? i : -1)).filter((i) => i >= 0);
  const graphs = new Map(sets.map((s) => [s, new GraphCache()]));
  const ours = (set: SuiteSet, t: number): SetScore => {
    const r = scoreClustering(set.faces, { ...settings, threshold: t }, graphs.get(set));
    return { set: set.name, at: t, bcubed: r.bcubed, pairwise: r.pairwise, people: r.people };
  };
  const exactHac = sets.map((set) => exactHacReference(set, thresholds));
  const grid = thresholds.map((t) => sets.map((set) => ours(set, t)));
  const sweep: SweepRow[] = grid.map((row, r) => {
    const bcubedF = row.map((s) => s.bcubed.f);
    const mean = dev.length ? dev.reduce((sum, i) => sum + (bcubedF[i] as number), 0) / dev.length : NaN;
    const margin = dev.length ? Math.min(...dev.map((i) => bcubedF[i]! - exactHac[i]!.bcubed.f)) : NaN;
    return { threshold: thresholds[r] as number, bcubedF, developmentMean: mean, smallestMargin: margin };
  });
  const chosenIndex = sweep.indexOf(chooseByWorstMargin(sweep));
  const atSetting = sets.map((set) => ours(set, settings.threshold));

  const maxEps = Math.max(...epsValues);
  const dbscan = sets.map((set) => {
    const cut = dbscanCuts(set.faces, maxEps);
    return best(epsValues.map((e) => scoreLabels(set, e, cut(e))));
  });
  return {
    sets: sets.map((s) => ({
      name: s.name,
      kind: s.kind,
      description: s.description,
      photos: s.photos,
      faces: s.faces.length,
      noFace: s.noFace,
      identities: new Set(s.faces.map((f) => f.identity)).size,
    })),
    settings,
    sweep,
    chosen: sweep[chosenIndex] as SweepRow,
    atSetting,
    atChosen: grid[chosenIndex] as SetScore[],
    exactHac,
    dbscan,
    dbscanMinPoints: DBSCAN_MIN_POINTS,
    seconds: (performance.now() - started) / 1000,
  };
}

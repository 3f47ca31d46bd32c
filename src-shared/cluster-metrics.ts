/**
 * Clustering quality against ground truth: pairwise and BCubed precision, recall and F1.
 *
 * Both are computed from the contingency table n_ij = |predicted cluster i ∩ true class j| in O(n) time and
 * O(number of non-empty cells) memory, never by enumerating the O(n^2) pairs.
 *
 * - Pairwise: over all unordered item pairs, a pair is "predicted together" when both items share a
 *   predicted label, "truly together" when they share a true label.
 *     precision = sum C(n_ij, 2) / sum_i C(a_i, 2),  recall = sum C(n_ij, 2) / sum_j C(b_j, 2)
 *   with a_i, b_j the predicted cluster and true class sizes. With no predicted pairs at all (every item
 *   alone) precision is 1 by convention (nothing wrong was claimed); likewise recall is 1 when no two items
 *   truly belong together.
 * - BCubed (Bagga & Baldwin 1998; Amigó et al. 2009): per item, precision is the fraction of its predicted
 *   cluster that shares its true class, recall the fraction of its true class that shares its predicted
 *   cluster; both averaged over items:
 *     precision = (1/n) sum_ij n_ij^2 / a_i,  recall = (1/n) sum_ij n_ij^2 / b_j
 *   Items count themselves, so singletons score 1 and BCubed is defined for every non-empty input.
 *
 * F is the harmonic mean 2PR / (P + R), 0 when both are 0.
 */

export type Label = string | number;

export interface PRF {
  precision: number;
  recall: number;
  f: number;
}

export interface ClusterScores {
  pairwise: PRF;
  bcubed: PRF;
  /** Number of items, distinct predicted clusters and distinct true classes. */
  items: number;
  clusters: number;
  classes: number;
}

function f1(precision: number, recall: number): PRF {
  return { precision, recall, f: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

function pairs(m: number): number {
  return (m * (m - 1)) / 2;
}

/** Contingency counts: cell sizes plus predicted (row) and true (column) totals. */
interface Contingency {
  cells: number[];
  cellRow: number[];
  cellCol: number[];
  rowSize: number[];
  colSize: number[];
}

function contingency(predicted: readonly Label[], truth: readonly Label[]): Contingency {
  if (predicted.length !== truth.length) {
    throw new RangeError(`label arrays differ in length: ${predicted.length} predicted vs ${truth.length} true`);
  }
  // Map each label to a dense index, then each (row, col) cell to a dense index.
  const rowOf = new Map<Label, number>();
  const colOf = new Map<Label, number>();
  const cellOf = new Map<number, number>();
  const c: Contingency = { cells: [], cellRow: [], cellCol: [], rowSize: [], colSize: [] };
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] as Label;
    const t = truth[i] as Label;
    let r = rowOf.get(p);
    if (r === undefined) rowOf.set(p, (r = c.rowSize.push(0) - 1));
    let k = colOf.get(t);
    if (k === undefined) colOf.set(t, (k = c.colSize.push(0) - 1));
    c.rowSize[r] = (c.rowSize[r] as number) + 1;
    c.colSize[k] = (c.colSize[k] as number) + 1;
    // Numeric key (exact below 2^53): rows and columns are dense indices < 2^26 for any realistic n.
    const key = r * 67108864 + k;
    let cell = cellOf.get(key);
    if (cell === undefined) {
      cellOf.set(key, (cell = c.cells.push(0) - 1));
      c.cellRow.push(r);
      c.cellCol.push(k);
    }
    c.cells[cell] = (c.cells[cell] as number) + 1;
  }
  return c;
}

/** Pairwise precision / recall / F of `predicted` labels against `truth` (same order, one label per item). */
export function pairwiseScores(predicted: readonly Label[], truth: readonly Label[]): PRF {
  return pairwiseFrom(contingency(predicted, truth));
}

function pairwiseFrom(c: Contingency): PRF {
  let together = 0;
  for (const n of c.cells) together += pairs(n);
  let predictedPairs = 0;
  for (const a of c.rowSize) predictedPairs += pairs(a);
  let truePairs = 0;
  for (const b of c.colSize) truePairs += pairs(b);
  return f1(predictedPairs > 0 ? together / predictedPairs : 1, truePairs > 0 ? together / truePairs : 1);
}

/** BCubed precision / recall / F of `predicted` labels against `truth`. */
export function bcubedScores(predicted: readonly Label[], truth: readonly Label[]): PRF {
  return bcubedFrom(contingency(predicted, truth), predicted.length);
}

function bcubedFrom(c: Contingency, n: number): PRF {
  if (n === 0) return f1(1, 1);
  let p = 0;
  let r = 0;
  c.cells.forEach((m, cell) => {
    p += (m * m) / (c.rowSize[c.cellRow[cell] as number] as number);
    r += (m * m) / (c.colSize[c.cellCol[cell] as number] as number);
  });
  return f1(p / n, r / n);
}

/** Both metric families in one pass over the labels. */
export function clusterScores(predicted: readonly Label[], truth: readonly Label[]): ClusterScores {
  const c = contingency(predicted, truth);
  return {
    pairwise: pairwiseFrom(c),
    bcubed: bcubedFrom(c, predicted.length),
    items: predicted.length,
    clusters: c.rowSize.length,
    classes: c.colSize.length,
  };
}

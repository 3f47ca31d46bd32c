/**
 * Geometry of the ROC plot (VAL against FAR) and of the threshold marker. FAR is drawn on a log axis from
 * `farMin` to 1, since the interesting part of a face-verification ROC lives at FAR 1e-3..1e-1.
 */

export interface RocPoint {
  threshold: number;
  val: number;
  far: number;
}

export interface PlotBox {
  width: number;
  height: number;
  /** Inner padding for the axes (left, bottom, top, right). */
  pad: { left: number; right: number; top: number; bottom: number };
  farMin: number;
}

export const DEFAULT_PLOT: PlotBox = {
  width: 360,
  height: 260,
  pad: { left: 44, right: 12, top: 12, bottom: 36 },
  farMin: 1e-3,
};

export function xForFar(far: number, box: PlotBox): number {
  const lo = Math.log10(box.farMin);
  const f = Math.log10(Math.max(box.farMin, Math.min(1, far)));
  const inner = box.width - box.pad.left - box.pad.right;
  return box.pad.left + ((f - lo) / (0 - lo)) * inner;
}

export function yForVal(val: number, box: PlotBox): number {
  const inner = box.height - box.pad.top - box.pad.bottom;
  return box.pad.top + (1 - Math.max(0, Math.min(1, val))) * inner;
}

/** Points sorted by FAR (then VAL), the order a curve is drawn in. */
export function sortedPoints(points: readonly RocPoint[]): RocPoint[] {
  return [...points].sort((a, b) => a.far - b.far || a.val - b.val);
}

/** SVG path `d` of the curve ('' without points). */
export function rocPath(points: readonly RocPoint[], box: PlotBox = DEFAULT_PLOT): string {
  const pts = sortedPoints(points);
  return pts
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${xForFar(p.far, box).toFixed(1)},${yForVal(p.val, box).toFixed(1)}`)
    .join(' ');
}

/**
 * The operating point at a threshold, interpolated linearly between the two measured thresholds around it
 * (clamped to the ends; FAR interpolated on the log axis it is drawn on); null without points.
 */
export function pointAtThreshold(points: readonly RocPoint[], threshold: number): RocPoint | null {
  if (points.length === 0) return null;
  const byT = [...points].sort((a, b) => a.threshold - b.threshold);
  const first = byT[0]!;
  const last = byT[byT.length - 1]!;
  if (threshold <= first.threshold) return { ...first, threshold };
  if (threshold >= last.threshold) return { ...last, threshold };
  for (let i = 1; i < byT.length; i++) {
    const b = byT[i]!;
    if (b.threshold >= threshold) {
      const a = byT[i - 1]!;
      const t = b.threshold === a.threshold ? 0 : (threshold - a.threshold) / (b.threshold - a.threshold);
      // FAR in log space, as it is drawn, so the marker sits on the plotted curve.
      const far =
        a.far > 0 && b.far > 0
          ? 10 ** (Math.log10(a.far) + t * (Math.log10(b.far) - Math.log10(a.far)))
          : a.far + t * (b.far - a.far);
      return { threshold, val: a.val + t * (b.val - a.val), far };
    }
  }
  return { ...last, threshold };
}

/** Axis ticks: FAR decades and VAL tenths. */
export function farTicks(box: PlotBox = DEFAULT_PLOT): Array<{ far: number; x: number; label: string }> {
  const out: Array<{ far: number; x: number; label: string }> = [];
  for (let e = Math.round(Math.log10(box.farMin)); e <= 0; e++) {
    const far = 10 ** e;
    out.push({ far, x: xForFar(far, box), label: e === 0 ? '1' : `1e${e}` });
  }
  return out;
}

export function valTicks(box: PlotBox = DEFAULT_PLOT): Array<{ val: number; y: number; label: string }> {
  return [0, 0.25, 0.5, 0.75, 1].map((val) => ({ val, y: yForVal(val, box), label: val.toFixed(2) }));
}

/** Below these counts the curve is too coarse to choose a threshold from (VAL in 2% steps, FAR >= 0.5%). */
export const ROC_MIN_SAME_PAIRS = 50;
export const ROC_MIN_DIFFERENT_PAIRS = 200;

/**
 * A plain warning when the ROC rests on too few labelled pairs to mean much (null when it is fine): with n
 * same-person pairs VAL can only move in steps of 1/n, and with m different-person pairs no FAR below 1/m
 * can be measured.
 */
export function rocSampleWarning(samePairs: number, differentPairs: number): string | null {
  if (samePairs >= ROC_MIN_SAME_PAIRS && differentPairs >= ROC_MIN_DIFFERENT_PAIRS) return null;
  const pct = (x: number): string => `${(100 * x).toFixed(x >= 0.1 ? 0 : 1)}%`;
  const parts = [`Rough: only ${samePairs} same-person and ${differentPairs} different-person pairs.`];
  if (samePairs > 0) parts.push(`VAL moves in steps of ${pct(1 / samePairs)}.`);
  if (differentPairs > 0) parts.push(`A false-accept rate below ${pct(1 / differentPairs)} cannot be measured.`);
  parts.push('Confirm faces of more people to sharpen it.');
  return parts.join(' ');
}

/** Plain geometry shared by the engine, the API and the UI. All coordinates are pixels unless stated. */

export interface Point {
  x: number;
  y: number;
}

/** Axis-aligned box: top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The five landmarks every aligner uses, in image coordinates, in this order:
 * the eye on the image's left, the eye on the image's right, the nose tip, the mouth corner on the
 * image's left, the mouth corner on the image's right.
 */
export type FivePoints = [Point, Point, Point, Point, Point];

export function boxArea(b: Box): number {
  return Math.max(0, b.width) * Math.max(0, b.height);
}

/** Intersection over union of two boxes (0 when disjoint). */
export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

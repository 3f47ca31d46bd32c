import type { Box } from '../../../src-shared/geometry.js';

/**
 * The face a single-subject photo is about (LFW, passport-style photos): the detection whose centre is
 * nearest the image centre, among those at least half as wide as the widest one (so that a small
 * background face that happens to be central does not win).
 */
export function primaryFaceIndex(boxes: Box[], width: number, height: number): number {
  if (boxes.length === 0) return -1;
  const widest = Math.max(...boxes.map((b) => b.width));
  let best = -1;
  let bestDistance = Infinity;
  boxes.forEach((b, i) => {
    if (b.width < widest / 2) return;
    const d = Math.hypot(b.x + b.width / 2 - width / 2, b.y + b.height / 2 - height / 2);
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  });
  return best;
}

/**
 * Matching imported XMP regions to the faces the detector found in the same photo, so a name from
 * digiKam/Lightroom becomes a confirmed decision on an existing face instead of a duplicate face.
 *
 * One-to-one and greedy by overlap: the best-overlapping (region, face) pair is taken first. Hand-drawn
 * regions are usually looser than detector boxes (digiKam itself accepts a 25% overlap for confirmed faces),
 * so the default threshold is a lenient IoU of 0.3. Regions left unmatched are faces the detector missed:
 * the caller creates a face for them from the region's box.
 */
import { iou, type Box } from '../../../src-shared/geometry.js';

/** Hand-drawn regions are looser than detector boxes: a lenient overlap counts as the same face. */
export const DEFAULT_MIN_IOU = 0.3;

export interface MatchResult<R, F> {
  matched: { region: R; face: F; iou: number }[];
  unmatchedRegions: R[];
  unmatchedFaces: F[];
}

export function matchRegionsToFaces<R extends { box: Box }, F extends { box: Box }>(
  regions: readonly R[],
  faces: readonly F[],
  minIou = DEFAULT_MIN_IOU,
): MatchResult<R, F> {
  const pairs: { r: number; f: number; iou: number }[] = [];
  regions.forEach((region, r) =>
    faces.forEach((face, f) => {
      const v = iou(region.box, face.box);
      if (v >= minIou) pairs.push({ r, f, iou: v });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou || a.r - b.r || a.f - b.f);
  const usedR = new Set<number>();
  const usedF = new Set<number>();
  const matched: MatchResult<R, F>['matched'] = [];
  for (const p of pairs) {
    if (usedR.has(p.r) || usedF.has(p.f)) continue;
    usedR.add(p.r);
    usedF.add(p.f);
    matched.push({ region: regions[p.r]!, face: faces[p.f]!, iou: p.iou });
  }
  return {
    matched,
    unmatchedRegions: regions.filter((_, i) => !usedR.has(i)),
    unmatchedFaces: faces.filter((_, i) => !usedF.has(i)),
  };
}

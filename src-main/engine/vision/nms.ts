/**
 * Greedy non-maximum suppression shared by the detectors.
 *
 * Candidates above `scoreThreshold` (strictly, as face-api does) are visited best score first; ties go to
 * the lower index so the result never depends on sort stability. A candidate is kept unless its IoU
 * with an already kept box exceeds `iouThreshold`.
 */
import { iou, type Box } from '../../../src-shared/geometry.js';

export interface NmsOptions {
  /** Suppress a box whose IoU with a kept box is greater than this (face-api: 0.5). */
  iouThreshold: number;
  /** Only boxes with score strictly greater than this take part. */
  scoreThreshold: number;
  /** At most this many boxes are returned (face-api: 100). */
  maxOutputs?: number;
}

/** Indices of the kept boxes, best score first. */
export function nonMaxSuppression(boxes: readonly Box[], scores: ArrayLike<number>, options: NmsOptions): number[] {
  if (boxes.length !== scores.length) throw new Error(`nms: ${boxes.length} boxes but ${scores.length} scores`);
  const maxOutputs = options.maxOutputs ?? Number.POSITIVE_INFINITY;
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > options.scoreThreshold) order.push(i);
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= maxOutputs) break;
    const box = boxes[i]!;
    if (kept.every((k) => iou(box, boxes[k]!) <= options.iouThreshold)) kept.push(i);
  }
  return kept;
}

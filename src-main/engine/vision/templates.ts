/**
 * Alignment templates: where landmarks must land in the aligned chip, for each embedder family.
 *
 * An embedder only works well on chips made the way its training chips were made; these reproduce
 * the published geometry (facts about the training pipelines, not tuned values).
 */
import type { FivePoints, Point } from '../../../src-shared/geometry.js';

/**
 * dlib's mean face shape for the iBUG 68-point layout, points 17..67, normalised to the unit square
 * (from dlib's `get_face_chip_details`, the alignment its face recognition ResNet was trained with).
 */
const DLIB_MEAN_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991, 0.98004, 0.490127,
  0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373, 0.121737, 0.187122, 0.265825, 0.334606,
  0.260918, 0.182743, 0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335, 0.254149, 0.340985, 0.428858, 0.490127,
  0.551395, 0.639268, 0.726104, 0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127,
  0.552157, 0.689874, 0.553364, 0.490127, 0.42689,
];
const DLIB_MEAN_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915, 0.106454, 0.203352,
  0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345, 0.587326, 0.216423, 0.178758, 0.179852,
  0.231733, 0.245099, 0.244077, 0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405,
  0.727388, 0.742578, 0.727388, 0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792,
  0.778746, 0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

/**
 * The 68-point landmarks dlib aligns on: 27..67 without the eyebrows (17..26, too mobile) and the lower
 * lip (55..59, 65..67, moves with the jaw). The chin (0..16) is never used.
 */
export const DLIB_ALIGNMENT_INDICES: readonly number[] = Array.from({ length: 51 }, (_, k) => k + 17).filter(
  (i) => !(i >= 17 && i <= 26) && !(i >= 55 && i <= 59) && !(i >= 65 && i <= 67),
);

/** Template points (chip pixels) for DLIB_ALIGNMENT_INDICES, for a size x size chip with `padding`. */
export function dlibTemplate(size: number, padding: number): Point[] {
  return DLIB_ALIGNMENT_INDICES.map((i) => ({
    x: ((padding + DLIB_MEAN_X[i - 17]!) / (2 * padding + 1)) * size,
    y: ((padding + DLIB_MEAN_Y[i - 17]!) / (2 * padding + 1)) * size,
  }));
}

/** dlib face recognition: 150 x 150 chip, padding 0.25 (dlib's face_recognition example). */
export const DLIB_CHIP = { size: 150, padding: 0.25 } as const;

/**
 * The 5-point template of ArcFace/InsightFace for a 112 x 112 chip (eyes, nose tip, mouth corners), used
 * by the MobileFaceNet-family embedders.
 */
export const ARCFACE_112: FivePoints = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

function mean(points: Point[]): Point {
  const s = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: s.x / points.length, y: s.y / points.length };
}

/** Five points (image-left eye centre, image-right eye centre, nose tip, mouth corners) from 68 landmarks. */
export function fivePointsFrom68(points: Point[]): FivePoints {
  if (points.length !== 68) throw new Error(`expected 68 landmarks, got ${points.length}`);
  return [mean(points.slice(36, 42)), mean(points.slice(42, 48)), points[30]!, points[48]!, points[54]!];
}

/** The dlib template's own five points, for a chip, so any 5-point source can be aligned like dlib. */
export function dlibFivePointTemplate(size: number, padding: number): FivePoints {
  const full = new Map(DLIB_ALIGNMENT_INDICES.map((i, k) => [i, dlibTemplate(size, padding)[k]!]));
  const at = (i: number): Point => {
    const p = full.get(i);
    if (p) return p;
    return {
      x: ((padding + DLIB_MEAN_X[i - 17]!) / (2 * padding + 1)) * size,
      y: ((padding + DLIB_MEAN_Y[i - 17]!) / (2 * padding + 1)) * size,
    };
  };
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => at(a + k));
  return [mean(range(36, 42)), mean(range(42, 48)), at(30), at(48), at(54)];
}

/**
 * Per-face quality in 0..1 (higher is better), for filtering faces out of clustering and for picking
 * cover faces. Three factors, each 0..1, combined by geometric mean so that any one bad factor pulls the
 * score down:
 * - size: distance between the eye centres in photo pixels (FaceNet degrades below ~80 px faces, about
 *   30 px between the eyes); 0 at 8 px, 1 at 32 px and above.
 * - sharpness: variance of the Laplacian of the aligned chip's luminance, which has a fixed geometry so
 *   the measure is comparable across faces; v / (v + 60) (60: a visibly soft face).
 * - pose: yaw estimated from the nose tip's horizontal offset from the eye midpoint, relative to the eye
 *   distance; 1 for frontal, 0 when the nose is half an eye distance off (a profile).
 */
import type { FivePoints } from '../../../src-shared/geometry.js';
import type { RgbImage } from './types.js';

export interface FaceQuality {
  quality: number;
  size: number;
  sharpness: number;
  pose: number;
}

export function faceQuality(landmarks: FivePoints, chip: RgbImage): FaceQuality {
  const [le, re, nose] = landmarks;
  const eyeDistance = Math.hypot(re.x - le.x, re.y - le.y);
  const size = clamp01((eyeDistance - 8) / 24);
  const v = laplacianVariance(chip);
  const sharpness = v / (v + 60);
  // Project the nose onto the eye axis: 0 when centred between the eyes.
  const ex = (re.x - le.x) / (eyeDistance || 1);
  const ey = (re.y - le.y) / (eyeDistance || 1);
  const mx = (le.x + re.x) / 2;
  const my = (le.y + re.y) / 2;
  const offset = ((nose.x - mx) * ex + (nose.y - my) * ey) / (eyeDistance || 1);
  const pose = clamp01(1 - Math.abs(offset) / 0.5);
  const quality = Math.cbrt(size * sharpness * pose);
  return { quality, size, sharpness, pose };
}

/** Variance of the 4-neighbour Laplacian over the luminance of an RGB image (borders excluded). */
export function laplacianVariance(image: RgbImage): number {
  const { width, height, data } = image;
  if (width < 3 || height < 3) return 0;
  const luma = new Float32Array(width * height);
  for (let i = 0; i < width * height; i++) {
    luma[i] = 0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!;
  }
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}

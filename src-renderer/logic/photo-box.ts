/** Photo view geometry: face boxes as percentages of the photo, and a drawn rectangle back to photo pixels. */
import type { Box } from '../../src-shared/geometry.js';

/** A box in photo pixels as CSS percentages of the photo (so it follows any zoom or resize). */
export function boxToPercent(
  box: Box,
  width: number,
  height: number,
): { left: string; top: string; width: string; height: string } {
  const pct = (v: number, of: number): string => `${((v / of) * 100).toFixed(3)}%`;
  return {
    left: pct(box.x, width),
    top: pct(box.y, height),
    width: pct(box.width, width),
    height: pct(box.height, height),
  };
}

/**
 * A rectangle dragged on the displayed image (CSS pixels, any corner order) in photo pixels, clamped to the
 * photo; null when it is too small to be a face (under `minSide` photo pixels).
 */
export function dragToPhotoBox(
  a: { x: number; y: number },
  b: { x: number; y: number },
  displayed: { width: number; height: number },
  photo: { width: number; height: number },
  minSide = 8,
): Box | null {
  if (displayed.width <= 0 || displayed.height <= 0) return null;
  const sx = photo.width / displayed.width;
  const sy = photo.height / displayed.height;
  const clampX = (v: number): number => Math.max(0, Math.min(photo.width, v * sx));
  const clampY = (v: number): number => Math.max(0, Math.min(photo.height, v * sy));
  const x0 = clampX(Math.min(a.x, b.x));
  const x1 = clampX(Math.max(a.x, b.x));
  const y0 = clampY(Math.min(a.y, b.y));
  const y1 = clampY(Math.max(a.y, b.y));
  if (x1 - x0 < minSide || y1 - y0 < minSide) return null;
  return { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
}

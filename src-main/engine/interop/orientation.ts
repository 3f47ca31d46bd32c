/**
 * EXIF orientation maths for face regions.
 *
 * Faces in the library are boxes in pixels of the *displayed* image (EXIF orientation applied, as sharp's
 * `rotate()` decodes it). XMP regions (MWG and Microsoft) are relative to the *stored* pixels:
 * - MWG Guidelines for Handling Image Metadata 2.0, section 5.9 "Image Region Metadata": "Region metadata is
 *   applied to the stored image. When applying a rotation by applying Exif Orientation, the rotation must be
 *   applied to the regions as well."
 * - digiKam reads regions that way: `ItemScanner::commitFaces` scales the normalised rectangle by the stored
 *   image size and then calls `TagRegion::adjustToOrientation` to get display coordinates.
 * - ExifTool stores what it is given and never rotates regions itself (its `rotate_regions.config` is the tool
 *   for users who physically rotate pixels), so it is a neutral checker of the numbers we write.
 * digiKam's `adjustToOrientation` treats the flipped orientations 5 and 7 like 6; we implement all eight exactly.
 *
 * Everything here works in normalised coordinates (0..1), which makes the maps independent of image size.
 */
import type { Box } from '../../../src-shared/geometry.js';

/** EXIF Orientation tag value: 1 = as stored, 2..8 = flips and quarter turns. */
export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** A rectangle in normalised coordinates: top-left corner and size, all in 0..1 of the image's width/height. */
export interface NormRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The image a face box refers to: displayed (oriented) pixel size and the EXIF orientation of the file. */
export interface OrientedImage {
  /** Width in pixels after applying the EXIF orientation. */
  width: number;
  /** Height in pixels after applying the EXIF orientation. */
  height: number;
  orientation: Orientation;
}

/** Coerces any tag value (undefined, 0, 9, strings) to a valid orientation; unknown means "as stored". */
export function toOrientation(value: unknown): Orientation {
  const n = typeof value === 'string' ? Number.parseInt(value, 10) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 8 ? (n as Orientation) : 1;
}

/** Orientations 5..8 turn the image a quarter, so stored width is displayed height. */
export function swapsAxes(orientation: Orientation): boolean {
  return orientation >= 5;
}

/** Size of the stored pixels, given the displayed size. */
export function storedSize(image: OrientedImage): { width: number; height: number } {
  return swapsAxes(image.orientation)
    ? { width: image.height, height: image.width }
    : { width: image.width, height: image.height };
}

/** Displayed size, given the stored pixel size (what sharp's metadata() reports) and the orientation. */
export function orientedImageFromStored(
  storedWidth: number,
  storedHeight: number,
  orientation: unknown,
): OrientedImage {
  const o = toOrientation(orientation);
  return swapsAxes(o)
    ? { width: storedHeight, height: storedWidth, orientation: o }
    : { width: storedWidth, height: storedHeight, orientation: o };
}

type PointMap = (u: number, v: number) => [number, number];

/**
 * Where a stored point (u, v) appears on screen, per EXIF orientation (TIFF 6.0 / Exif 2.3 Orientation:
 * "the 0th row is the visual top/right/bottom/left, the 0th column is the visual left/top/right/bottom").
 */
const STORED_TO_DISPLAYED: Record<Orientation, PointMap> = {
  1: (u, v) => [u, v],
  2: (u, v) => [1 - u, v], // mirror horizontal
  3: (u, v) => [1 - u, 1 - v], // rotate 180
  4: (u, v) => [u, 1 - v], // mirror vertical
  5: (u, v) => [v, u], // transpose: 0th row on the left, 0th column at the top
  6: (u, v) => [1 - v, u], // rotate 90 CW: 0th row on the right, 0th column at the top
  7: (u, v) => [1 - v, 1 - u], // transverse: 0th row on the right, 0th column at the bottom
  8: (u, v) => [v, 1 - u], // rotate 90 CCW: 0th row on the left, 0th column at the bottom
};

/** The inverse maps: 6 and 8 undo each other, every other orientation is its own inverse. */
const INVERSE: Record<Orientation, Orientation> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6 };

function mapRect(rect: NormRect, map: PointMap): NormRect {
  const [ax, ay] = map(rect.x, rect.y);
  const [bx, by] = map(rect.x + rect.w, rect.y + rect.h);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), w: Math.abs(bx - ax), h: Math.abs(by - ay) };
}

/** A normalised rectangle of the stored pixels, as a normalised rectangle of the displayed image. */
export function storedToDisplayed(rect: NormRect, orientation: Orientation): NormRect {
  return mapRect(rect, STORED_TO_DISPLAYED[orientation]);
}

/** A normalised rectangle of the displayed image, as a normalised rectangle of the stored pixels. */
export function displayedToStored(rect: NormRect, orientation: Orientation): NormRect {
  return mapRect(rect, STORED_TO_DISPLAYED[INVERSE[orientation]]);
}

/** A face box (displayed pixels) as a normalised rectangle of the stored pixels, clamped to the image. */
export function boxToStoredRect(box: Box, image: OrientedImage): NormRect {
  const displayed = clampRect({
    x: box.x / image.width,
    y: box.y / image.height,
    w: box.width / image.width,
    h: box.height / image.height,
  });
  return displayedToStored(displayed, image.orientation);
}

/** A normalised rectangle of the stored pixels as a face box in displayed pixels. */
export function storedRectToBox(rect: NormRect, image: OrientedImage): Box {
  const d = storedToDisplayed(clampRect(rect), image.orientation);
  return { x: d.x * image.width, y: d.y * image.height, width: d.w * image.width, height: d.h * image.height };
}

/** Clips a rectangle to the unit square: detectors may report boxes that overhang the image edge. */
export function clampRect(r: NormRect): NormRect {
  const x0 = clamp01(r.x);
  const y0 = clamp01(r.y);
  const x1 = clamp01(r.x + r.w);
  const y1 = clamp01(r.y + r.h);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

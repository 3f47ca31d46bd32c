/**
 * The two XMP face-region conventions, as plain numbers (no XML here).
 *
 * - MWG (`mwg-rs:Area`, struct `stArea`): x, y are the *centre* of the region, w, h its size, all normalised
 *   to the stored image (see orientation.ts for why "stored").
 * - Microsoft Photo (`MPReg:Rectangle`): the string "left, top, width, height", normalised, top-left origin.
 */
import type { Box } from '../../../src-shared/geometry.js';
import { strictNumber } from './numbers.js';
import { boxToStoredRect, storedRectToBox, type NormRect, type OrientedImage } from './orientation.js';

/** MWG stArea with unit "normalized". */
export interface MwgArea {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Microsoft Photo rectangle, normalised, top-left origin. */
export interface MpRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A named face region to write: the box is in displayed (EXIF-oriented) pixels, as the library stores it. */
export interface FaceRegion {
  /** Person name; undefined writes an unnamed face region (both conventions allow it). */
  name?: string;
  box: Box;
}

/** A face region read from XMP, already converted to displayed pixels. */
export interface ImportedRegion {
  /** Undefined when the region carries no name (digiKam's "unknown" faces). */
  name?: string;
  /** Box in displayed (EXIF-oriented) pixels of the photo. */
  box: Box;
  /** Normalised rectangle of the stored pixels, as found in the file (top-left origin). */
  stored: NormRect;
  /** Which convention it came from; when both describe the same face, MWG wins. */
  source: 'mwg' | 'mp';
}

export function storedRectToMwgArea(r: NormRect): MwgArea {
  return { x: r.x + r.w / 2, y: r.y + r.h / 2, w: r.w, h: r.h };
}

export function mwgAreaToStoredRect(a: MwgArea): NormRect {
  return { x: a.x - a.w / 2, y: a.y - a.h / 2, w: a.w, h: a.h };
}

export function storedRectToMpRect(r: NormRect): MpRect {
  return { left: r.x, top: r.y, width: r.w, height: r.h };
}

export function mpRectToStoredRect(r: MpRect): NormRect {
  return { x: r.left, y: r.top, w: r.width, h: r.height };
}

/** Face box (displayed pixels) to an MWG area of the stored image. */
export function boxToMwgArea(box: Box, image: OrientedImage): MwgArea {
  return storedRectToMwgArea(boxToStoredRect(box, image));
}

/** MWG area of the stored image to a face box in displayed pixels. */
export function mwgAreaToBox(area: MwgArea, image: OrientedImage): Box {
  return storedRectToBox(mwgAreaToStoredRect(area), image);
}

/** Face box (displayed pixels) to a Microsoft rectangle of the stored image. */
export function boxToMpRect(box: Box, image: OrientedImage): MpRect {
  return storedRectToMpRect(boxToStoredRect(box, image));
}

/** Microsoft rectangle of the stored image to a face box in displayed pixels. */
export function mpRectToBox(rect: MpRect, image: OrientedImage): Box {
  return storedRectToBox(mpRectToStoredRect(rect), image);
}

/**
 * Six decimals: a millionth of the side is far below a pixel for any photo, and short fixed output keeps
 * sidecars diff-friendly. Trailing zeros are trimmed the way ExifTool prints reals.
 */
export function formatNormalised(v: number): string {
  const s = (Math.round(v * 1e6) / 1e6).toFixed(6);
  return s.replace(/\.?0+$/, '') || '0';
}

export function formatMpRect(r: MpRect): string {
  return [r.left, r.top, r.width, r.height].map(formatNormalised).join(', ');
}

/** Parses "l, t, w, h"; undefined unless there are four finite decimal numbers (no hex floats, no junk). */
export function parseMpRect(text: string): MpRect | undefined {
  const parts = text.split(',').map((p) => strictNumber(p) ?? Number.NaN);
  if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) return undefined;
  const [left, top, width, height] = parts as [number, number, number, number];
  return { left, top, width, height };
}

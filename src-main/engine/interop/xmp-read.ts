/**
 * Reads MWG and Microsoft Photo face regions from XMP text (a sidecar, or a photo's embedded packet).
 *
 * Lenient by design, because the files come from many tools: attribute or element RDF, Bag or Seq, a region
 * with no Type counts as a face (MP regions are faces by definition), a region with no name is returned
 * without one, a region without a usable area is skipped (it names a person but says nothing about where).
 * Strict where leniency would be wrong: a malformed area (hex floats, infinities, junk, normalised values
 * outside 0..1 such as w=1e308) is reported with the reason (`faceRegionReport`), never clamped into a face;
 * at most MAX_REGIONS_PER_PHOTO regions per convention are read; names are cleaned (src-shared/names.ts).
 */
import type { Document, Element } from '@xmldom/xmldom';
import { iou } from '../../../src-shared/geometry.js';
import { clampRect, storedRectToBox, type NormRect, type OrientedImage } from './orientation.js';
import { mpRectToStoredRect, mwgAreaToStoredRect, parseMpRect, type ImportedRegion } from './regions.js';
import { NS, fieldElement, fieldText, findAll, listItems, parseXmp } from './rdf.js';
import { cleanName } from '../../../src-shared/names.js';
import { strictNumber } from './numbers.js';

/** A region as found in the file, before any orientation maths. */
export interface RawRegion {
  source: 'mwg' | 'mp';
  /** MWG Type ("Face", "Pet", "Focus", "BarCode"); "Face" for MP regions and for MWG regions without a Type. */
  type: string;
  name?: string;
  /** Normalised rectangle of the stored pixels; undefined when the region has no usable area. */
  stored?: NormRect;
  /** Why the area is not usable, when it has one that is malformed (plain words, for the import report). */
  invalid?: string;
  /** The `rdf:li` element it came from, so a writer can keep it untouched. */
  item: Element;
}

/** Same face in both conventions when the rectangles overlap this much (ExifTool/digiKam write identical ones). */
const SAME_FACE_IOU = 0.5;

/**
 * Most face regions read from one XMP packet (per convention) and kept for one photo. A group photo has a
 * few dozen; more is a broken or hostile file, whose regions would otherwise make hundreds of faces.
 */
export const MAX_REGIONS_PER_PHOTO = 100;

/** Rounding slack for normalised values written as 0..1 (e.g. -0.0000001 from a tool's arithmetic). */
const EPS = 1e-6;

export function readRawMwgRegions(doc: Document, limit = Infinity): RawRegion[] & { overflow?: number } {
  const out: RawRegion[] & { overflow?: number } = [];
  let overflow = 0;
  for (const regions of findAll(doc, NS.mwgRs, 'Regions')) {
    const applied = fieldElement(regions, NS.mwgRs, 'AppliedToDimensions');
    const appliedW = applied ? strictNumber(fieldText(applied, NS.stDim, 'w')) : undefined;
    const appliedH = applied ? strictNumber(fieldText(applied, NS.stDim, 'h')) : undefined;
    const list = fieldElement(regions, NS.mwgRs, 'RegionList');
    if (!list) continue;
    for (const item of listItems(list)) {
      if (out.length >= limit) {
        overflow++;
        continue;
      }
      const type = clean(fieldText(item, NS.mwgRs, 'Type')) ?? 'Face';
      const name = cleanText(fieldText(item, NS.mwgRs, 'Name'));
      const areaEl = fieldElement(item, NS.mwgRs, 'Area');
      let stored: NormRect | undefined;
      let invalid: string | undefined;
      if (areaEl) {
        const texts = (['x', 'y', 'w', 'h'] as const).map((k) => [k, fieldText(areaEl, NS.stArea, k)] as const);
        const unit = clean(fieldText(areaEl, NS.stArea, 'unit')) ?? 'normalized';
        if (texts.every(([, t]) => t !== undefined)) {
          const bad = texts.find(([, t]) => strictNumber(t) === undefined);
          const [x, y, w, h] = texts.map(([, t]) => strictNumber(t)!) as [number, number, number, number];
          if (bad) invalid = `${bad[0]}=${quote(bad[1]!)} is not a decimal number`;
          else if (unit === 'normalized') {
            invalid = checkNormalised({ x, y, w, h });
            if (!invalid) stored = mwgAreaToStoredRect({ x, y, w, h });
          } else if (unit === 'pixel') {
            // The spec allows pixel areas; they are relative to AppliedToDimensions.
            if (!appliedW || !appliedH || appliedW <= 0 || appliedH <= 0) {
              invalid = 'a pixel area without usable AppliedToDimensions';
            } else {
              const a = { x: x / appliedW, y: y / appliedH, w: w / appliedW, h: h / appliedH };
              invalid = checkNormalised(a, 'of AppliedToDimensions');
              if (!invalid) stored = mwgAreaToStoredRect(a);
            }
          } else invalid = `unknown area unit ${quote(unit)}`;
        }
      }
      const usable = validRect(stored);
      if (stored && !usable) invalid = 'the area lies outside the photo';
      out.push({ source: 'mwg', type, name, stored: usable, ...(invalid ? { invalid } : {}), item });
    }
  }
  if (overflow > 0) out.overflow = overflow;
  return out;
}

export function readRawMpRegions(doc: Document, limit = Infinity): RawRegion[] & { overflow?: number } {
  const out: RawRegion[] & { overflow?: number } = [];
  let overflow = 0;
  for (const info of findAll(doc, NS.mp, 'RegionInfo')) {
    const regions = fieldElement(info, NS.mpri, 'Regions');
    if (!regions) continue;
    for (const item of listItems(regions)) {
      if (out.length >= limit) {
        overflow++;
        continue;
      }
      const name = cleanText(fieldText(item, NS.mpreg, 'PersonDisplayName'));
      const rectText = fieldText(item, NS.mpreg, 'Rectangle');
      let stored: NormRect | undefined;
      let invalid: string | undefined;
      if (rectText !== undefined) {
        const rect = parseMpRect(rectText);
        if (!rect) invalid = `Rectangle ${quote(rectText)} is not four decimal numbers`;
        else {
          const r = mpRectToStoredRect(rect);
          invalid = checkNormalised({ x: r.x + r.w / 2, y: r.y + r.h / 2, w: r.w, h: r.h }, undefined, r);
          if (!invalid) stored = r;
        }
      }
      const usable = validRect(stored);
      if (stored && !usable) invalid = 'the area lies outside the photo';
      out.push({ source: 'mp', type: 'Face', name, stored: usable, ...(invalid ? { invalid } : {}), item });
    }
  }
  if (overflow > 0) out.overflow = overflow;
  return out;
}

/** A named face region that was not imported, and why. */
export interface RejectedRegion {
  name?: string;
  reason: string;
}

export interface FaceRegionReport {
  regions: ImportedRegion[];
  /** Face regions with a malformed area (non-numbers, hex floats, infinities, values outside 0..1). */
  rejected: RejectedRegion[];
  /** Regions beyond MAX_REGIONS_PER_PHOTO per convention, not read at all. */
  overflow: number;
}

/**
 * Face regions of an XMP document as boxes in displayed pixels of `image`, MWG first, MP duplicates dropped,
 * at most `limit` per convention; malformed ones are listed apart.
 */
export function faceRegionReport(doc: Document, image: OrientedImage, limit = MAX_REGIONS_PER_PHOTO): FaceRegionReport {
  const mwgAll = readRawMwgRegions(doc, limit);
  const mpAll = readRawMpRegions(doc, limit);
  const rejected: RejectedRegion[] = [];
  for (const r of [...mwgAll, ...mpAll]) {
    if (r.type === 'Face' && r.invalid) {
      rejected.push({ ...(r.name !== undefined ? { name: r.name } : {}), reason: `invalid region area: ${r.invalid}` });
    }
  }
  const mwg = mwgAll.filter((r) => r.type === 'Face' && r.stored);
  const mp = mpAll.filter((r) => r.stored);
  const kept = [...mwg];
  for (const r of mp) {
    const twin = mwg.some((m) => (m.name === r.name || !r.name) && rectIou(m.stored!, r.stored!) >= SAME_FACE_IOU);
    if (!twin) kept.push(r);
  }
  // A malformed MWG area whose MP twin (same name) is fine: the MP rectangle describes the face.
  const rescued = (x: RejectedRegion): boolean =>
    x.name !== undefined && kept.some((r) => r.source === 'mp' && r.name === x.name);
  rejected.splice(0, rejected.length, ...rejected.filter((x) => !rescued(x)));
  const regions = kept.map((r) => ({
    ...(r.name !== undefined ? { name: r.name } : {}),
    box: storedRectToBox(r.stored!, image),
    stored: r.stored!,
    source: r.source,
  }));
  return { regions, rejected, overflow: (mwgAll.overflow ?? 0) + (mpAll.overflow ?? 0) };
}

/** Face regions of an XMP document as boxes in displayed pixels of `image`, MWG first, MP duplicates dropped. */
export function faceRegionsFromDocument(doc: Document, image: OrientedImage): ImportedRegion[] {
  return faceRegionReport(doc, image).regions;
}

/**
 * Face regions from XMP text as boxes in displayed pixels. `image` is the photo's displayed size and EXIF
 * orientation (take them from the photo, not from AppliedToDimensions, which may predate a resize).
 * Throws XmpParseError on malformed XML.
 */
export function readFaceRegions(xmp: string | Uint8Array, image: OrientedImage): ImportedRegion[] {
  return readFaceRegionReport(xmp, image).regions;
}

/** Like readFaceRegions, with the malformed regions and the count beyond the per-photo limit. */
export function readFaceRegionReport(
  xmp: string | Uint8Array,
  image: OrientedImage,
  limit = MAX_REGIONS_PER_PHOTO,
): FaceRegionReport {
  const text = typeof xmp === 'string' ? xmp : new TextDecoder().decode(xmp);
  // Most embedded packets carry no regions: skip the XML parse when neither namespace is mentioned.
  if (!text.includes(NS.mwgRs) && !text.includes(NS.mpri)) return { regions: [], rejected: [], overflow: 0 };
  return faceRegionReport(parseXmp(text), image, limit);
}

export function rectIou(a: NormRect, b: NormRect): number {
  return iou({ x: a.x, y: a.y, width: a.w, height: a.h }, { x: b.x, y: b.y, width: b.w, height: b.h });
}

function validRect(r: NormRect | undefined): NormRect | undefined {
  if (!r || ![r.x, r.y, r.w, r.h].every(Number.isFinite) || r.w <= 0 || r.h <= 0) return undefined;
  const c = clampRect(r);
  return c.w > 0 && c.h > 0 ? c : undefined;
}

/** Why a normalised MWG area (centre x/y, size w/h) is unusable, or undefined when it is fine. */
function checkNormalised(
  a: { x: number; y: number; w: number; h: number },
  of = 'of the photo',
  corner?: NormRect,
): string | undefined {
  const fields: [string, number][] = corner
    ? [
        ['left', corner.x],
        ['top', corner.y],
        ['width', corner.w],
        ['height', corner.h],
      ]
    : [
        ['x', a.x],
        ['y', a.y],
        ['w', a.w],
        ['h', a.h],
      ];
  for (const [k, v] of fields) {
    if (!Number.isFinite(v)) return `${k} is not a finite number`;
    if (v < -EPS || v > 1 + EPS) return `${k}=${v} is outside 0..1 ${of}`;
  }
  if (a.w <= 0 || a.h <= 0) return 'the area has no size';
  return undefined;
}

function quote(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return JSON.stringify(t);
}

function clean(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

/** A name as the library will hold it (src-shared/names.ts); undefined when nothing is left. */
function cleanText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = cleanName(text);
  return t ? t : undefined;
}

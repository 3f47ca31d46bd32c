/**
 * Reads MWG and Microsoft Photo face regions from XMP text (a sidecar, or a photo's embedded packet).
 *
 * Lenient by design, because the files come from many tools: attribute or element RDF, Bag or Seq, a region
 * with no Type counts as a face (MP regions are faces by definition), a region with no name is returned
 * without one, a region without a usable area is skipped (it names a person but says nothing about where).
 */
import type { Document, Element } from '@xmldom/xmldom';
import { iou } from '../../src-shared/geometry.js';
import { clampRect, storedRectToBox, type NormRect, type OrientedImage } from './orientation.js';
import { mpRectToStoredRect, mwgAreaToStoredRect, parseMpRect, type ImportedRegion } from './regions.js';
import { NS, fieldElement, fieldText, findAll, listItems, parseXmp } from './rdf.js';

/** A region as found in the file, before any orientation maths. */
export interface RawRegion {
  source: 'mwg' | 'mp';
  /** MWG Type ("Face", "Pet", "Focus", "BarCode"); "Face" for MP regions and for MWG regions without a Type. */
  type: string;
  name?: string;
  /** Normalised rectangle of the stored pixels; undefined when the region has no usable area. */
  stored?: NormRect;
  /** The `rdf:li` element it came from, so a writer can keep it untouched. */
  item: Element;
}

/** Same face in both conventions when the rectangles overlap this much (ExifTool/digiKam write identical ones). */
const SAME_FACE_IOU = 0.5;

export function readRawMwgRegions(doc: Document): RawRegion[] {
  const out: RawRegion[] = [];
  for (const regions of findAll(doc, NS.mwgRs, 'Regions')) {
    const applied = fieldElement(regions, NS.mwgRs, 'AppliedToDimensions');
    const appliedW = applied ? num(fieldText(applied, NS.stDim, 'w')) : undefined;
    const appliedH = applied ? num(fieldText(applied, NS.stDim, 'h')) : undefined;
    const list = fieldElement(regions, NS.mwgRs, 'RegionList');
    if (!list) continue;
    for (const item of listItems(list)) {
      const type = clean(fieldText(item, NS.mwgRs, 'Type')) ?? 'Face';
      const name = clean(fieldText(item, NS.mwgRs, 'Name'));
      const areaEl = fieldElement(item, NS.mwgRs, 'Area');
      let stored: NormRect | undefined;
      if (areaEl) {
        const x = num(fieldText(areaEl, NS.stArea, 'x'));
        const y = num(fieldText(areaEl, NS.stArea, 'y'));
        const w = num(fieldText(areaEl, NS.stArea, 'w'));
        const h = num(fieldText(areaEl, NS.stArea, 'h'));
        const unit = clean(fieldText(areaEl, NS.stArea, 'unit')) ?? 'normalized';
        if (x !== undefined && y !== undefined && w !== undefined && h !== undefined) {
          if (unit === 'normalized') stored = mwgAreaToStoredRect({ x, y, w, h });
          // The spec allows pixel areas; they are relative to AppliedToDimensions.
          else if (unit === 'pixel' && appliedW && appliedH) {
            stored = mwgAreaToStoredRect({ x: x / appliedW, y: y / appliedH, w: w / appliedW, h: h / appliedH });
          }
        }
      }
      out.push({ source: 'mwg', type, name, stored: validRect(stored), item });
    }
  }
  return out;
}

export function readRawMpRegions(doc: Document): RawRegion[] {
  const out: RawRegion[] = [];
  for (const info of findAll(doc, NS.mp, 'RegionInfo')) {
    const regions = fieldElement(info, NS.mpri, 'Regions');
    if (!regions) continue;
    for (const item of listItems(regions)) {
      const name = clean(fieldText(item, NS.mpreg, 'PersonDisplayName'));
      const rectText = fieldText(item, NS.mpreg, 'Rectangle');
      const rect = rectText ? parseMpRect(rectText) : undefined;
      out.push({ source: 'mp', type: 'Face', name, stored: validRect(rect && mpRectToStoredRect(rect)), item });
    }
  }
  return out;
}

/** Face regions of an XMP document as boxes in displayed pixels of `image`, MWG first, MP duplicates dropped. */
export function faceRegionsFromDocument(doc: Document, image: OrientedImage): ImportedRegion[] {
  const mwg = readRawMwgRegions(doc).filter((r) => r.type === 'Face' && r.stored);
  const mp = readRawMpRegions(doc).filter((r) => r.stored);
  const kept = [...mwg];
  for (const r of mp) {
    const twin = mwg.some((m) => (m.name === r.name || !r.name) && rectIou(m.stored!, r.stored!) >= SAME_FACE_IOU);
    if (!twin) kept.push(r);
  }
  return kept.map((r) => ({
    ...(r.name !== undefined ? { name: r.name } : {}),
    box: storedRectToBox(r.stored!, image),
    stored: r.stored!,
    source: r.source,
  }));
}

/**
 * Face regions from XMP text as boxes in displayed pixels. `image` is the photo's displayed size and EXIF
 * orientation (take them from the photo, not from AppliedToDimensions, which may predate a resize).
 * Throws XmpParseError on malformed XML.
 */
export function readFaceRegions(xmp: string | Uint8Array, image: OrientedImage): ImportedRegion[] {
  const text = typeof xmp === 'string' ? xmp : new TextDecoder().decode(xmp);
  // Most embedded packets carry no regions: skip the XML parse when neither namespace is mentioned.
  if (!text.includes(NS.mwgRs) && !text.includes(NS.mpri)) return [];
  return faceRegionsFromDocument(parseXmp(text), image);
}

export function rectIou(a: NormRect, b: NormRect): number {
  return iou({ x: a.x, y: a.y, width: a.w, height: a.h }, { x: b.x, y: b.y, width: b.w, height: b.h });
}

function validRect(r: NormRect | undefined): NormRect | undefined {
  if (!r || ![r.x, r.y, r.w, r.h].every(Number.isFinite) || r.w <= 0 || r.h <= 0) return undefined;
  const c = clampRect(r);
  return c.w > 0 && c.h > 0 ? c : undefined;
}

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number.parseFloat(text.trim());
  return Number.isFinite(v) ? v : undefined;
}

function clean(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

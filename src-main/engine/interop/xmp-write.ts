/**
 * Merges face regions into XMP text, in both conventions, without clobbering anything else.
 *
 * Merge policy (so re-exporting is idempotent and other tools' work survives):
 * - every property we do not own (xmp:Rating, unknown namespaces, processing instructions) is left
 *   byte-for-byte as the parser saw it: we only replace the `mwg-rs:Regions` and `MP:RegionInfo`
 *   properties, rebuilding them from the regions we keep plus the regions we write;
 * - the names also become keywords (dc:subject, lr:hierarchicalSubject `People|…`, digiKam:TagsList
 *   `People/…`), added to the lists already there; only person keywords of names whose face regions this
 *   write removed are taken out, never the user's other keywords (keywords.ts has the rule);
 * - an existing region is *replaced* when it is a face and it either has the name of a region we write
 *   (case-insensitive) or overlaps one of ours (IoU >= 0.5, so a renamed person or a formerly unnamed face
 *   does not end up twice); with `replace: 'allFaces'` every existing face region is replaced;
 * - regions of other types (Pet, Focus, BarCode) and non-matching faces are kept as their original XML,
 *   including fields we do not know (Description, Extensions, Rotation).
 * AppliedToDimensions becomes the stored pixel size of this photo: kept regions are normalised, so they
 * stay valid.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { cleanName, xmlSafeText } from '../../../src-shared/names.js';
import { DOMParser } from '@xmldom/xmldom';
import { boxToStoredRect, storedSize, type NormRect, type OrientedImage } from './orientation.js';
import { mergePersonKeywords } from './keywords.js';
import { formatMpRect, formatNormalised, storedRectToMpRect, storedRectToMwgArea, type FaceRegion } from './regions.js';
import {
  NS,
  XmpParseError,
  appendIndented,
  childElements,
  createEl,
  createStruct,
  declareNamespaces,
  findAll,
  is,
  parseXmp,
  prefixFor,
  serializeXmp,
} from './rdf.js';
import { readRawMpRegions, readRawMwgRegions, rectIou, type RawRegion } from './xmp-read.js';

export interface MergeOptions {
  /** 'matching' (default): replace faces with one of our names or overlapping ours; 'allFaces': replace every face. */
  replace?: 'matching' | 'allFaces';
  /** Also write the names as keywords (dc:subject, lr:hierarchicalSubject, digiKam:TagsList); default true. */
  keywords?: boolean;
  /** Written as x:xmptk in a new packet. */
  toolkit?: string;
}

const SAME_FACE_IOU = 0.5;

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const EMPTY_PACKET = (toolkit: string): string =>
  `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
  `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="${escapeAttr(xmlSafeText(toolkit))}">\n` +
  `<rdf:RDF xmlns:rdf="${NS.rdf}">\n` +
  ` <rdf:Description rdf:about=""/>\n` +
  `</rdf:RDF>\n` +
  `</x:xmpmeta>\n` +
  `<?xpacket end="w"?>`;

const templates = new Map<string, Document>();

/** A new empty packet; cloning a parsed template is several times cheaper than parsing each time. */
function emptyPacket(toolkit: string): Document {
  let template = templates.get(toolkit);
  if (!template) {
    template = new DOMParser({ locator: false }).parseFromString(EMPTY_PACKET(toolkit), 'text/xml');
    templates.set(toolkit, template);
  }
  return template.cloneNode(true) as Document;
}

/**
 * Returns `existing` (or a new packet when undefined/empty) with `regions` written as MWG and MP face regions.
 * Boxes are in displayed pixels of `image`. Throws XmpParseError if `existing` is not XMP: never overwrite
 * what we cannot read.
 */
export function mergeFaceRegions(
  existing: string | undefined,
  regions: readonly FaceRegion[],
  image: OrientedImage,
  options: MergeOptions = {},
): string {
  const fresh = !existing || existing.trim() === '';
  const doc = fresh ? emptyPacket(options.toolkit ?? 'FaceNet Photos') : parseXmp(existing);
  const rdf = findAll(doc, NS.rdf, 'RDF')[0];
  if (!rdf) throw new XmpParseError('no rdf:RDF element: not an XMP packet');

  const ours = regions.map((r) => ({
    // One rule for names (src-shared/names.ts): on one line (attribute values lose raw newlines/tabs to XML
    // normalisation), no control characters (XML 1.0 forbids most; strict parsers such as Exiv2 would drop
    // the whole sidecar), no bidi overrides.
    name: cleanName(r.name ?? '') || undefined,
    stored: boxToStoredRect(r.box, image),
  }));
  const replaced = (r: RawRegion): boolean => {
    if (r.type !== 'Face') return false;
    if (options.replace === 'allFaces') return true;
    return ours.some(
      (o) =>
        (o.name !== undefined && r.name !== undefined && o.name.toLowerCase() === r.name.toLowerCase()) ||
        (r.stored !== undefined && rectIou(o.stored, r.stored) >= SAME_FACE_IOU),
    );
  };

  const mwgAll = readRawMwgRegions(doc);
  const mpAll = readRawMpRegions(doc);
  const mwgKept = mwgAll.filter((r) => !replaced(r));
  const mpKept = mpAll.filter((r) => !replaced(r));
  const faceNames = (list: RawRegion[]): string[] =>
    list.flatMap((r) => (r.type === 'Face' && r.name !== undefined ? [r.name] : []));
  // Keywords follow the face regions (keywords.ts): names we write gain them; names whose last face region
  // this write replaced lose the person keywords.
  const stillNamed = [
    ...ours.flatMap((o) => (o.name !== undefined ? [o.name] : [])),
    ...faceNames([...mwgKept, ...mpKept]),
  ];
  const removedNames = faceNames([...mwgAll, ...mpAll].filter(replaced));
  const mwgOld = findAll(doc, NS.mwgRs, 'Regions');
  const mpOld = findAll(doc, NS.mp, 'RegionInfo');
  const mwgHost = hostFor(doc, rdf, mwgOld[0]);
  const mpHost = hostFor(doc, rdf, mpOld[0]);
  const mwgScope = detach(mwgOld);
  const mpScope = detach(mpOld);

  if (options.keywords !== false) {
    const written = ours.flatMap((o) => (o.name !== undefined ? [o.name] : []));
    mergePersonKeywords(
      doc,
      mwgHost,
      written,
      removedNames.filter((n) => !stillNamed.some((s) => same(s, n))),
    );
  }

  const size = storedSize(image);
  const keptItems = new Set<Element>([...mwgKept, ...mpKept].map((r) => r.item));
  if (mwgKept.length + ours.length > 0) {
    declareNamespaces(mwgHost, [NS.mwgRs, NS.stArea, NS.stDim]);
    const el = buildMwg(doc, size, mwgKept, ours);
    copyNamespaceDecls(mwgScope, el);
    appendIndented(doc, mwgHost, el, keptItems);
  }
  if (mpKept.length + ours.length > 0) {
    declareNamespaces(mpHost, [NS.mp, NS.mpri, NS.mpreg]);
    const el = buildMp(doc, mpKept, ours);
    copyNamespaceDecls(mpScope, el);
    appendIndented(doc, mpHost, el, keptItems);
  }
  return serializeXmp(doc);
}

type Ours = { name?: string; stored: NormRect };

function buildMwg(doc: Document, size: { width: number; height: number }, kept: RawRegion[], ours: Ours[]): Element {
  const regions = createStruct(doc, NS.mwgRs, 'Regions');
  // Simple struct fields as attributes (Exiv2/digiKam's form): a third of the nodes of the element form, so
  // re-exports parse and serialise faster; ExifTool and every RDF reader treat both forms alike.
  const applied = createEl(doc, NS.mwgRs, 'AppliedToDimensions');
  setAttr(applied, NS.stDim, 'w', String(size.width));
  setAttr(applied, NS.stDim, 'h', String(size.height));
  setAttr(applied, NS.stDim, 'unit', 'pixel');
  regions.appendChild(applied);
  const list = createEl(doc, NS.mwgRs, 'RegionList');
  const bag = createEl(doc, NS.rdf, 'Bag');
  for (const k of kept) bag.appendChild(k.item);
  for (const o of ours) {
    const li = createEl(doc, NS.rdf, 'li');
    const desc = createEl(doc, NS.rdf, 'Description');
    setAttr(desc, NS.mwgRs, 'Type', 'Face');
    if (o.name !== undefined) setAttr(desc, NS.mwgRs, 'Name', o.name);
    const area = createEl(doc, NS.mwgRs, 'Area');
    const a = storedRectToMwgArea(o.stored);
    setAttr(area, NS.stArea, 'x', formatNormalised(a.x));
    setAttr(area, NS.stArea, 'y', formatNormalised(a.y));
    setAttr(area, NS.stArea, 'w', formatNormalised(a.w));
    setAttr(area, NS.stArea, 'h', formatNormalised(a.h));
    setAttr(area, NS.stArea, 'unit', 'normalized');
    desc.appendChild(area);
    li.appendChild(desc);
    bag.appendChild(li);
  }
  list.appendChild(bag);
  regions.appendChild(list);
  return regions;
}

function buildMp(doc: Document, kept: RawRegion[], ours: Ours[]): Element {
  const info = createStruct(doc, NS.mp, 'RegionInfo');
  const regions = createEl(doc, NS.mpri, 'Regions');
  const bag = createEl(doc, NS.rdf, 'Bag');
  for (const k of kept) bag.appendChild(k.item);
  for (const o of ours) {
    const li = createEl(doc, NS.rdf, 'li');
    if (o.name !== undefined) setAttr(li, NS.mpreg, 'PersonDisplayName', o.name);
    setAttr(li, NS.mpreg, 'Rectangle', formatMpRect(storedRectToMpRect(o.stored)));
    bag.appendChild(li);
  }
  regions.appendChild(bag);
  info.appendChild(regions);
  return info;
}

function setAttr(el: Element, ns: string, local: string, value: string): void {
  el.setAttributeNS(ns, `${prefixFor(ns)}:${local}`, value);
}

/** Where the rebuilt property goes: where the old one was (its namespaces stay in scope), else the first Description. */
function hostFor(doc: Document, rdf: Element, old: Element | undefined): Element {
  if (old?.parentNode && (old.parentNode as Element).nodeType === 1) return old.parentNode as Element;
  const first = childElements(rdf).find((c) => is(c, NS.rdf, 'Description'));
  if (first) return first;
  const desc = createEl(doc, NS.rdf, 'Description');
  desc.setAttributeNS(NS.rdf, 'rdf:about', '');
  rdf.appendChild(desc);
  return desc;
}

/** Removes the old properties; returns them so their local namespace declarations can be carried over. */
function detach(elements: Element[]): Element[] {
  for (const el of elements) {
    const before = el.previousSibling;
    if (before && before.nodeType === 3 && !before.nodeValue?.trim()) before.parentNode?.removeChild(before);
    el.parentNode?.removeChild(el);
  }
  return elements;
}

/** Kept items may use prefixes declared on the old property element or its containers: redeclare them. */
function copyNamespaceDecls(oldTrees: Element[], target: Element): void {
  for (const root of oldTrees) {
    const walk = (el: Element): void => {
      for (let i = 0; i < el.attributes.length; i++) {
        const attr = el.attributes.item(i)!;
        if (attr.name.startsWith('xmlns:') && !target.hasAttribute(attr.name)) {
          target.setAttributeNS('http://www.w3.org/2000/xmlns/', attr.name, attr.value);
        }
      }
      for (const c of childElements(el)) if (!is(c, NS.rdf, 'li')) walk(c);
    };
    walk(root);
  }
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

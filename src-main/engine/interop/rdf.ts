/**
 * Just enough RDF/XML to read and edit XMP structs and arrays, whichever serialisation a tool chose.
 *
 * The same struct field can be written three ways, and real tools use all of them:
 * - as an attribute: `<rdf:Description mwg-rs:Name="Ann">` (Exiv2/digiKam) or `<mwg-rs:Area stArea:x="0.5"/>`;
 * - as a child of a `rdf:parseType="Resource"` property (ExifTool);
 * - as a child of a nested `<rdf:Description>` (Adobe XMP toolkit, Lightroom).
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node, type Text } from '@xmldom/xmldom';

export const NS = {
  x: 'adobe:ns:meta/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xml: 'http://www.w3.org/XML/1998/namespace',
  mwgRs: 'http://www.metadataworkinggroup.com/schemas/regions/',
  stArea: 'http://ns.adobe.com/xmp/sType/Area#',
  stDim: 'http://ns.adobe.com/xap/1.0/sType/Dimensions#',
  mp: 'http://ns.microsoft.com/photo/1.2/',
  mpri: 'http://ns.microsoft.com/photo/1.2/t/RegionInfo#',
  mpreg: 'http://ns.microsoft.com/photo/1.2/t/Region#',
  dc: 'http://purl.org/dc/elements/1.1/',
  lr: 'http://ns.adobe.com/lightroom/1.0/',
  digiKam: 'http://www.digikam.org/ns/1.0/',
} as const;

/** Prefixes we declare when we add elements; the conventional ones, so other tools' logs read naturally. */
export const PREFIX: Record<string, string> = {
  [NS.mwgRs]: 'mwg-rs',
  [NS.stArea]: 'stArea',
  [NS.stDim]: 'stDim',
  [NS.mp]: 'MP',
  [NS.mpri]: 'MPRI',
  [NS.mpreg]: 'MPReg',
  [NS.dc]: 'dc',
  [NS.lr]: 'lr',
  [NS.digiKam]: 'digiKam',
};

const ELEMENT_NODE = 1;

export class XmpParseError extends Error {}

/**
 * Parses XMP text (a sidecar, or an embedded packet with its `<?xpacket?>` wrapper and padding).
 * Throws XmpParseError for text that is not well-formed XML: the caller must then refuse to overwrite it.
 */
export function parseXmp(text: string): Document {
  // Embedded packets may carry NUL padding after the closing PI; XML forbids it.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/^\uFEFF/, '').replace(/\u0000+/g, '');
  try {
    return new DOMParser({
      locator: false, // line/column bookkeeping costs about a third of the parse time
      onError: (level, message) => {
        if (level !== 'warning') throw new XmpParseError(message);
      },
    }).parseFromString(clean, 'text/xml');
  } catch (e) {
    throw new XmpParseError(`not well-formed XMP: ${(e as Error).message}`);
  }
}

export function serializeXmp(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

export function isElement(n: Node | null | undefined): n is Element {
  return !!n && n.nodeType === ELEMENT_NODE;
}

export function childElements(el: Element | Document): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (isElement(c)) out.push(c);
  return out;
}

export function is(el: Element, ns: string, local: string): boolean {
  return el.namespaceURI === ns && el.localName === local;
}

/** Every element in document order with this namespace and local name. */
export function findAll(root: Element | Document, ns: string, local: string): Element[] {
  const out: Element[] = [];
  const walk = (el: Element | Document): void => {
    for (const c of childElements(el)) {
      if (is(c, ns, local)) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/**
 * The nodes that carry a struct's fields: the property element itself (parseType="Resource" or attribute
 * shorthand) and any `rdf:Description` directly inside it.
 */
function fieldHolders(structEl: Element): Element[] {
  return [structEl, ...childElements(structEl).filter((c) => is(c, NS.rdf, 'Description'))];
}

/** A struct field given as a child element, whichever form the struct uses. */
export function fieldElement(structEl: Element, ns: string, local: string): Element | undefined {
  for (const holder of fieldHolders(structEl)) {
    const hit = childElements(holder).find((c) => is(c, ns, local));
    if (hit) return hit;
  }
  return undefined;
}

/** A simple struct field as text: attribute form first, then element form (with rdf:Alt/Bag/Seq, the first li). */
export function fieldText(structEl: Element, ns: string, local: string): string | undefined {
  for (const holder of fieldHolders(structEl)) {
    if (holder.hasAttributeNS(ns, local)) return holder.getAttributeNS(ns, local) ?? undefined;
  }
  const el = fieldElement(structEl, ns, local);
  if (!el) return undefined;
  if (el.hasAttributeNS(NS.rdf, 'resource')) return el.getAttributeNS(NS.rdf, 'resource') ?? undefined;
  const items = listItems(el);
  if (items.length > 0) return items[0]!.textContent ?? undefined;
  return el.textContent ?? undefined;
}

/** The `rdf:li` items of an array property (`rdf:Bag`, `rdf:Seq` or `rdf:Alt`, possibly inside a Description). */
export function listItems(propEl: Element): Element[] {
  for (const holder of fieldHolders(propEl)) {
    const container = childElements(holder).find(
      (c) => is(c, NS.rdf, 'Bag') || is(c, NS.rdf, 'Seq') || is(c, NS.rdf, 'Alt'),
    );
    if (container) return childElements(container).filter((c) => is(c, NS.rdf, 'li'));
  }
  return [];
}

/** Creates `<prefix:local>` in the right namespace; `text` becomes its content. */
export function createEl(doc: Document, ns: string, local: string, text?: string): Element {
  const el = doc.createElementNS(ns, `${PREFIX[ns] ?? prefixFor(ns)}:${local}`);
  if (text !== undefined) el.appendChild(doc.createTextNode(text));
  return el;
}

/** A struct property in ExifTool's form: `<p rdf:parseType="Resource">` with child fields. */
export function createStruct(doc: Document, ns: string, local: string): Element {
  const el = createEl(doc, ns, local);
  el.setAttributeNS(NS.rdf, 'rdf:parseType', 'Resource');
  return el;
}

export function prefixFor(ns: string): string {
  const known = Object.entries(NS).find(([, uri]) => uri === ns);
  if (known) return known[0] === 'rdf' ? 'rdf' : (PREFIX[ns] ?? known[0]);
  throw new Error(`no prefix known for namespace ${ns}`);
}

/** Declares `xmlns:prefix` on an element so serialised output stays readable and scoped where we add nodes. */
export function declareNamespaces(el: Element, namespaces: readonly string[]): void {
  for (const ns of namespaces) {
    const prefix = PREFIX[ns];
    if (!prefix) continue;
    const current = el.lookupNamespaceURI(prefix);
    // Bound to something else above us: leave it, the serializer rebinds the prefix locally where needed.
    if (current !== null) continue;
    el.setAttributeNS('http://www.w3.org/2000/xmlns/', `xmlns:${prefix}`, ns);
  }
}

/**
 * Appends `el` as the last property of `host`, indented one space per level like ExifTool's output, so
 * sidecars stay readable and diff well. Whitespace between RDF elements carries no meaning.
 */
export function appendIndented(
  doc: Document,
  host: Element,
  el: Element,
  keep: ReadonlySet<Element> = new Set(),
): void {
  let depth = 0;
  for (let p = host.parentNode; p && p.nodeType === 1; p = p.parentNode) depth++;
  const pad = (d: number): Text => doc.createTextNode('\n' + ' '.repeat(d));
  const indent = (node: Element, d: number): void => {
    const kids = childElements(node);
    if (kids.length === 0 || keep.has(node)) return;
    for (const k of kids) {
      node.insertBefore(pad(d + 1), k);
      indent(k, d + 1);
    }
    node.appendChild(pad(d));
  };
  // Host at depth d (ExifTool indents it d - 1 spaces): its properties go at d spaces.
  indent(el, depth);
  const last = host.lastChild;
  const trailing = last && last.nodeType === 3 && !last.nodeValue?.trim() ? last : null;
  host.insertBefore(pad(depth), trailing);
  host.insertBefore(el, trailing);
  if (!trailing) host.appendChild(pad(depth - 1));
}

/**
 * Person names as keywords, so other apps can search a photo by who is in it: `dc:subject` (every app),
 * Lightroom's `lr:hierarchicalSubject` (`People|<name>`) and digiKam's `digiKam:TagsList` (`People/<name>`).
 *
 * Which keywords are ours (the sidecar holds no marker, and must not: other tools rewrite it):
 * - we add the three keywords of every name we write as a face region, unless already there (case-insensitive);
 * - we remove keywords only for a name whose face region this write removed (replaced by ours, and no face
 *   region of that name remains): its `People|<name>` and `People/<name>` entries, and its `dc:subject`
 *   entry only when one of those two was there too (a person keyword, as Lightroom and digiKam write them,
 *   not a user's plain keyword that happens to equal a name);
 * - every other keyword (places, events, other hierarchies, people someone else tagged) is left as parsed.
 * So the keywords follow the face regions: a name keeps its keywords while a face region of that name is in
 * the sidecar, whoever wrote it.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { NS, appendIndented, childElements, createEl, declareNamespaces, findAll, is } from './rdf.js';

/** The top of the person hierarchy, as Lightroom and digiKam name it for face tags. */
export const PEOPLE_ROOT = 'People';

interface KeywordProperty {
  ns: string;
  local: string;
  container: 'Bag' | 'Seq';
  /** The keyword for a person's name. */
  keyword: (name: string) => string;
}

/**
 * A separator inside a name would split it into two levels of the hierarchy ("AC/DC" as tag DC under AC):
 * it becomes a look-alike that is not a separator. dc:subject keeps the name exactly.
 */
const pathPart = (name: string, separator: string, lookAlike: string): string => name.split(separator).join(lookAlike);

const SUBJECT: KeywordProperty = { ns: NS.dc, local: 'subject', container: 'Bag', keyword: (n) => n };
const HIERARCHICAL: KeywordProperty = {
  ns: NS.lr,
  local: 'hierarchicalSubject',
  container: 'Bag',
  keyword: (n) => `${PEOPLE_ROOT}|${pathPart(n, '|', '\u00a6')}`,
};
const TAGS_LIST: KeywordProperty = {
  ns: NS.digiKam,
  local: 'TagsList',
  container: 'Seq',
  keyword: (n) => `${PEOPLE_ROOT}/${pathPart(n, '/', '\u2215')}`,
};

const fold = (s: string): string => s.toLowerCase();

/** The array items of a keyword property, whichever RDF form holds them. */
function items(prop: Element): Element[] {
  return arrays(prop).flatMap((c) => childElements(c).filter((li) => is(li, NS.rdf, 'li')));
}

function arrays(prop: Element): Element[] {
  const holders = [prop, ...childElements(prop).filter((c) => is(c, NS.rdf, 'Description'))];
  return holders.flatMap((h) =>
    childElements(h).filter((c) => is(c, NS.rdf, 'Bag') || is(c, NS.rdf, 'Seq') || is(c, NS.rdf, 'Alt')),
  );
}

const text = (li: Element): string => (li.textContent ?? '').trim();

/** Every present value of a property (all its occurrences in the packet), folded. */
function present(doc: Document, p: KeywordProperty): Set<string> {
  return new Set(findAll(doc, p.ns, p.local).flatMap((prop) => items(prop).map((li) => fold(text(li)))));
}

/**
 * Adds the keywords of `written` names and removes those of `removed` names (see the rule above). `host` is
 * the rdf:Description where new properties go. Call it before the face regions are appended, so a re-export
 * keeps the same property order and an unchanged sidecar stays byte-identical.
 */
export function mergePersonKeywords(
  doc: Document,
  host: Element,
  written: readonly string[],
  removed: readonly string[],
): void {
  const keep = new Set(written.map(fold));
  const gone = [...new Set(removed.map(fold))].filter((n) => !keep.has(n));
  if (gone.length > 0) removeKeywords(doc, gone);
  const names = dedupe(written);
  if (names.length === 0) return;
  for (const p of [SUBJECT, HIERARCHICAL, TAGS_LIST]) {
    const have = present(doc, p);
    const missing = names.map(p.keyword).filter((k) => !have.has(fold(k)));
    if (missing.length > 0) addKeywords(doc, host, p, missing);
  }
}

/** First spelling of each name, case-insensitively, in the order given. */
function dedupe(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => n !== '' && !seen.has(fold(n)) && seen.add(fold(n)));
}

function removeKeywords(doc: Document, foldedNames: readonly string[]): void {
  const personPaths = new Set(foldedNames.flatMap((n) => [fold(HIERARCHICAL.keyword(n)), fold(TAGS_LIST.keyword(n))]));
  // dc:subject goes only with a person path: evidence that the plain keyword was a person's, not the user's own.
  const hadPath = new Set(
    foldedNames.filter((n) => {
      const paths = [fold(HIERARCHICAL.keyword(n)), fold(TAGS_LIST.keyword(n))];
      return [HIERARCHICAL, TAGS_LIST].some((p) => paths.some((path) => present(doc, p).has(path)));
    }),
  );
  for (const [p, drop] of [
    [HIERARCHICAL, personPaths],
    [TAGS_LIST, personPaths],
    [SUBJECT, hadPath],
  ] as const) {
    for (const prop of findAll(doc, p.ns, p.local)) {
      const dropped = items(prop).filter((li) => drop.has(fold(text(li))));
      for (const li of dropped) removeWithIndent(li);
      // A property we emptied goes too; one that was empty before is not ours to touch.
      if (dropped.length > 0 && items(prop).length === 0) removeWithIndent(prop);
    }
  }
}

function addKeywords(doc: Document, host: Element, p: KeywordProperty, keywords: readonly string[]): void {
  const existing = findAll(doc, p.ns, p.local).find((prop) => arrays(prop).length > 0);
  const array = existing ? arrays(existing)[0]! : undefined;
  if (existing && array) {
    // Indented like the items already there, so the file stays readable and diffs well.
    const lis = childElements(array);
    const before = lis.length > 0 ? lis[lis.length - 1]!.previousSibling : null;
    const pad = before && before.nodeType === 3 && !before.nodeValue?.trim() ? before.nodeValue! : null;
    const closing = array.lastChild && array.lastChild.nodeType === 3 ? array.lastChild : null;
    for (const k of keywords) {
      if (pad !== null) array.insertBefore(doc.createTextNode(pad), closing);
      array.insertBefore(createEl(doc, NS.rdf, 'li', k), closing);
    }
    return;
  }
  declareNamespaces(host, [p.ns]);
  const prop = createEl(doc, p.ns, p.local);
  const array2 = createEl(doc, NS.rdf, p.container);
  for (const k of keywords) array2.appendChild(createEl(doc, NS.rdf, 'li', k));
  prop.appendChild(array2);
  appendIndented(doc, host, prop);
}

function removeWithIndent(el: Element): void {
  const before = el.previousSibling;
  if (before && before.nodeType === 3 && !before.nodeValue?.trim()) before.parentNode?.removeChild(before);
  el.parentNode?.removeChild(el);
}

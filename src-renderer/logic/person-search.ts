/**
 * What a person picker lists for what the user typed (pure, so it is unit-tested and fast for 1,000+ people).
 *
 * - Nothing typed: named people A-Z, then the unnamed largest first (as the People grid shows them).
 * - Typed text matches the person's one name (src-shared/person-name.ts), ignoring case and accents ("zoe"
 *   finds "Zoë"): whole name first, then names that start with it, then a word that starts with it, then
 *   anywhere. "#12", "12" or "Unnamed #12" put person 12 first; "#1" also lists #10, #11…; an unnamed
 *   person is found by its number or by "unnamed", never by letters inside that word.
 * - At most `limit` rows are returned (a picker shows a screenful, the user narrows by typing); `total` says
 *   how many matched.
 */
import { personName } from '../../src-shared/person-name.js';
import { sortPeople } from './format.js';

export interface SearchablePerson {
  id: number;
  name: string | null;
  faceCount: number;
}

export interface PersonSearchResult<T> {
  shown: T[];
  /** How many people matched (shown.length is at most the limit). */
  total: number;
  /** A person whose name is exactly the typed text (ignoring case and accents), if any. */
  exact: T | null;
}

/** Rows a picker shows at once: enough to scroll through, few enough to render instantly. */
export const PICKER_LIMIT = 50;

/** Lower case without accents, spaces collapsed: the form names are compared in. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The id the text asks for ("#12", "12", "Unnamed #12"), or null. */
export function typedId(text: string): number | null {
  const m = /^(?:unnamed\s*)?#?\s*(\d{1,15})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

export function searchPeople<T extends SearchablePerson>(
  people: readonly T[],
  query: string,
  limit = PICKER_LIMIT,
): PersonSearchResult<T> {
  const { named, unnamed } = sortPeople(people);
  const ordered = [...named, ...unnamed];
  const q = foldForSearch(query);
  if (q === '') return { shown: ordered.slice(0, limit), total: ordered.length, exact: null };
  const id = typedId(query);
  const rank = (p: T): number => {
    if (p.id === id) return 0;
    const name = foldForSearch(personName(p));
    // "Unnamed #12" is found by its number or by "unnamed…", never by letters inside "unnamed" ("ed", "nam").
    if (!p.name) return name.startsWith(q) || `#${p.id}`.startsWith(q) ? 2 : -1;
    if (name === q) return 1;
    if (name.startsWith(q)) return 2;
    if (name.split(/[\s\-'.]+/).some((word) => word.startsWith(q))) return 3;
    return name.includes(q) ? 4 : -1;
  };
  const matches = ordered
    .map((p, order) => ({ p, order, rank: rank(p) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((m) => m.p);
  const exact = matches.find((p) => p.name !== null && foldForSearch(p.name) === q) ?? null;
  return { shown: matches.slice(0, limit), total: matches.length, exact };
}

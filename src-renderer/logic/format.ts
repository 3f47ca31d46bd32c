/** Small formatting helpers for the UI (pure). */
import { personName } from '../../src-shared/person-name.js';

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatRate(perSecond: number): string {
  return `${perSecond.toFixed(perSecond < 10 ? 1 : 0)}/s`;
}

/** A person's one name (src-shared/person-name.ts): their name, or "Unnamed #12". */
export const personLabel = personName;

/** Named people alphabetically first, then unnamed by size (largest first), as the People grid shows them. */
export function sortPeople<T extends { name: string | null; faceCount: number; id: number }>(
  people: readonly T[],
): {
  named: T[];
  unnamed: T[];
} {
  const named = people.filter((p) => p.name).sort((a, b) => a.name!.localeCompare(b.name!) || a.id - b.id);
  const unnamed = people.filter((p) => !p.name).sort((a, b) => b.faceCount - a.faceCount || a.id - b.id);
  return { named, unnamed };
}

/** Parses a hash route: #/person/12 -> { view: 'person', id: 12 }. */
export type Route =
  | {
      view: 'library' | 'people' | 'merge' | 'unsorted' | 'ignored' | 'threshold' | 'recognition' | 'settings' | 'undo';
    }
  | { view: 'person'; id: number }
  | { view: 'photo'; id: number; face?: number; list?: PhotoListPosition }
  /** The photo grid: all photos, or of one library folder, and/or those where all these people appear. */
  | { view: 'photos'; folderId?: number; personIds?: number[] }
  /** "Is this Alice?": every named person's faces, or one person's (`id`). */
  | { view: 'review'; id?: number };

const positiveInt = (text: string | null | undefined): number | null => {
  const n = Number(text);
  return text && /^\d+$/.test(text) && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** The photo list a photo was opened from (the Photos grid's filter) and its place in it, so it can step on. */
export interface PhotoListPosition {
  folderId?: number;
  personIds?: number[];
  /** 0-based place in the list, newest first. */
  at: number;
}

/** `folder=3&people=1,2` -> the Photos filter (unreadable parts are left out). */
function parsePhotoFilter(q: URLSearchParams): { folderId?: number; personIds?: number[] } {
  const folderId = positiveInt(q.get('folder'));
  const personIds = [
    ...new Set(
      (q.get('people') ?? '')
        .split(',')
        .map(positiveInt)
        .filter((n): n is number => n !== null),
    ),
  ];
  return {
    ...(folderId !== null ? { folderId } : {}),
    ...(personIds.length > 0 ? { personIds } : {}),
  };
}

function photoFilterQuery(f: { folderId?: number; personIds?: number[] }): string[] {
  return [
    ...(f.folderId !== undefined ? [`folder=${f.folderId}`] : []),
    ...(f.personIds && f.personIds.length > 0 ? [`people=${f.personIds.join(',')}`] : []),
  ];
}

/** `#/photos?folder=3&people=1,2` -> the photos route. */
function parsePhotosRoute(query: string): Route {
  return { view: 'photos', ...parsePhotoFilter(new URLSearchParams(query)) };
}

/** `#/photo/12?face=4&folder=3&people=1,2&at=57` -> the photo route (a face to point at; the list it is in). */
function parsePhotoRoute(id: number, query: string): Route {
  const q = new URLSearchParams(query);
  const face = positiveInt(q.get('face'));
  const at = q.get('at');
  const list = at !== null && /^\d+$/.test(at) ? { ...parsePhotoFilter(q), at: Number(at) } : null;
  return { view: 'photo', id, ...(face !== null ? { face } : {}), ...(list ? { list } : {}) };
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const [view, id] = parts;
  if (view === 'photos') return parsePhotosRoute(hash.split('?')[1] ?? '');
  const n = Number(id);
  if (view === 'review') return Number.isInteger(n) && n > 0 ? { view, id: n } : { view };
  if ((view === 'person' || view === 'photo') && Number.isInteger(n) && n > 0) {
    if (view === 'photo') return parsePhotoRoute(n, hash.split('?')[1] ?? '');
    return { view, id: n };
  }
  const simple = [
    'library',
    'people',
    'merge',
    'unsorted',
    'ignored',
    'threshold',
    'recognition',
    'settings',
    'undo',
  ] as const;
  return (simple as readonly string[]).includes(view ?? '')
    ? { view: view as (typeof simple)[number] }
    : { view: 'people' };
}

export function routeHash(r: Route): string {
  if (r.view === 'person') return `#/person/${r.id}`;
  if (r.view === 'review') return r.id ? `#/review/${r.id}` : '#/review';
  if (r.view === 'photo') {
    const q = [
      ...(r.face ? [`face=${r.face}`] : []),
      ...(r.list ? [...photoFilterQuery(r.list), `at=${r.list.at}`] : []),
    ];
    return `#/photo/${r.id}${q.length > 0 ? `?${q.join('&')}` : ''}`;
  }
  if (r.view === 'photos') {
    const q = photoFilterQuery(r);
    return `#/photos${q.length > 0 ? `?${q.join('&')}` : ''}`;
  }
  return `#/${r.view}`;
}

/**
 * A grouping threshold as the UI shows it: two decimals, or as many more (up to five) as it has (the default is
 * 0.11125, chosen on a 0.00125 grid), so "current 0.11125" is not shown as 0.11.
 */
export function formatThreshold(value: number): string {
  for (let digits = 2; digits < 5; digits++) {
    const scaled = value * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) return value.toFixed(digits);
  }
  return value.toFixed(5);
}

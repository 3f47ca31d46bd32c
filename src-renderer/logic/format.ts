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
  | { view: 'photo'; id: number; face?: number }
  /** The photo grid: all photos, or of one library folder, and/or those where all these people appear. */
  | { view: 'photos'; folderId?: number; personIds?: number[] }
  /** "Is this Alice?": every named person's faces, or one person's (`id`). */
  | { view: 'review'; id?: number };

const positiveInt = (text: string | null | undefined): number | null => {
  const n = Number(text);
  return text && /^\d+$/.test(text) && Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** `#/photos?folder=3&people=1,2` -> the photos route (unreadable parts are left out). */
function parsePhotosRoute(query: string): Route {
  const q = new URLSearchParams(query);
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
    view: 'photos',
    ...(folderId !== null ? { folderId } : {}),
    ...(personIds.length > 0 ? { personIds } : {}),
  };
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const [view, id] = parts;
  if (view === 'photos') return parsePhotosRoute(hash.split('?')[1] ?? '');
  const n = Number(id);
  if (view === 'review') return Number.isInteger(n) && n > 0 ? { view, id: n } : { view };
  if ((view === 'person' || view === 'photo') && Number.isInteger(n) && n > 0) {
    if (view === 'photo') {
      const face = Number(new URLSearchParams(hash.split('?')[1] ?? '').get('face'));
      return Number.isInteger(face) && face > 0 ? { view, id: n, face } : { view, id: n };
    }
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
  if (r.view === 'photo') return `#/photo/${r.id}${r.face ? `?face=${r.face}` : ''}`;
  if (r.view === 'photos') {
    const q = [
      ...(r.folderId !== undefined ? [`folder=${r.folderId}`] : []),
      ...(r.personIds && r.personIds.length > 0 ? [`people=${r.personIds.join(',')}`] : []),
    ];
    return `#/photos${q.length > 0 ? `?${q.join('&')}` : ''}`;
  }
  return `#/${r.view}`;
}

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
  | { view: 'photo'; id: number; face?: number };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const [view, id] = parts;
  const n = Number(id);
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
  if (r.view === 'photo') return `#/photo/${r.id}${r.face ? `?face=${r.face}` : ''}`;
  return `#/${r.view}`;
}

/**
 * A grouping threshold as the UI shows it: two decimals, or four when it has them (the default is 0.1125,
 * chosen on a 0.0025 grid), so "current 0.1125" is not shown as 0.11.
 */
export function formatThreshold(value: number): string {
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-6 ? value.toFixed(2) : value.toFixed(4);
}

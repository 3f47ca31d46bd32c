/** Which person of a suggested pair absorbs the other when the user says "Same person" (pure). */
import type { MergeSuggestionDto } from '../../src-shared/api.js';

/** The named one, else the bigger one (ties: side a), so a name and most faces are never thrown away. */
export function mergeTarget(s: Pick<MergeSuggestionDto, 'a' | 'b'>): { targetId: number; sourceId: number } {
  const aFirst = (s.a.name && !s.b.name) || (!!s.a.name === !!s.b.name && s.a.faceCount >= s.b.faceCount);
  return aFirst ? { targetId: s.a.id, sourceId: s.b.id } : { targetId: s.b.id, sourceId: s.a.id };
}

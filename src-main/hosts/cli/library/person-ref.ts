/**
 * Resolving what the user typed on the command line into ids: a person by id or by name (exact, then
 * case-insensitive; ambiguous names are an error listing the candidates), a face by id.
 */
import type { FaceNetApi, PersonSummaryDto } from '../../../../src-shared/api.js';
import { UsageError } from '../args.js';
import { printable } from '../../../../src-shared/names.js';
import { personName } from '../../../../src-shared/person-name.js';

export function parseId(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a numeric id (got "${text}")`);
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`${what} must be a positive id (got "${text}")`);
  return id;
}

/**
 * A person by numeric id, by their one name while unnamed ("Unnamed #12", or "#12"), or by name; throws
 * UsageError when none or several match.
 */
export async function resolvePerson(api: Pick<FaceNetApi, 'listPeople'>, ref: string): Promise<PersonSummaryDto> {
  const people = await api.listPeople({ includeHidden: true });
  const id = /^(?:unnamed\s*)?#?(\d+)$/i.exec(ref.trim())?.[1];
  if (id !== undefined) {
    const byId = people.find((p) => p.id === Number(id));
    if (byId) return byId;
  }
  const exact = people.filter((p) => p.name === ref);
  const matches = exact.length > 0 ? exact : people.filter((p) => p.name?.toLowerCase() === ref.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UsageError(
      `"${ref}" names ${matches.length} people (ids ${matches.map((p) => p.id).join(', ')}): use an id`,
    );
  }
  throw new UsageError(`no person "${ref}" (see facenet people)`);
}

export function personLabel(p: Pick<PersonSummaryDto, 'id' | 'name'>): string {
  return p.name ? `${printable(p.name)} (#${p.id})` : personName(p);
}

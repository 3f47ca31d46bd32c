import { parse, UsageError } from '../args.js';
import { formatPeople, formatPerson } from '../library/format.js';
import { resolvePerson } from '../library/person-ref.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const OPTIONS = { ...LIBRARY_OPTION, json: { type: 'boolean' }, all: { type: 'boolean' } } as const;

/** `facenet people [--json] [--all]`: named people first, then the others by size; --all shows hidden ones. */
export async function peopleCommand(argv: string[]): Promise<void> {
  const usage = 'facenet people [--library <path>] [--json] [--all]';
  const { values, positionals } = parse(argv, OPTIONS, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    const people = await session.api.listPeople({ includeHidden: values.all === true });
    console.log(values.json ? JSON.stringify(people) : formatPeople(people));
  } finally {
    await session.close();
  }
}

/** `facenet person <id|name> [--json]`: one person and their faces. */
export async function personCommand(argv: string[]): Promise<void> {
  const usage = 'facenet person <id|name> [--library <path>] [--json]';
  const { values, positionals } = parse(argv, OPTIONS, usage);
  if (positionals.length !== 1) throw new UsageError(`give exactly one person (id or name)\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    const person = await resolvePerson(session.api, positionals[0]!);
    const detail = await session.api.getPerson({ personId: person.id });
    console.log(values.json ? JSON.stringify(detail) : formatPerson(detail));
  } finally {
    await session.close();
  }
}

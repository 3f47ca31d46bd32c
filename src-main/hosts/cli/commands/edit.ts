/**
 * The commands that change who is who: name, merge, move, reject, recluster. Each goes through the API
 * (one transaction each, recorded as the user's decisions, which re-clustering honours).
 */
import { numberOption, parse, UsageError } from '../args.js';
import { parseId, personLabel, resolvePerson } from '../library/person-ref.js';
import { LIBRARY_OPTION, openLibrary, type LibrarySession } from '../library/session.js';
import { cleanName, isNameTooLong, NAME_MAX_LENGTH, printable } from '../../../../src-shared/names.js';
import { unnamedPersonName } from '../../../../src-shared/person-name.js';

/** Opens the library for one command and always closes it. */
export async function withLibrary(
  option: string | undefined,
  run: (s: LibrarySession) => Promise<void>,
): Promise<void> {
  const session = openLibrary(option);
  try {
    await run(session);
  } finally {
    await session.close();
  }
}

function positionalsExactly(argv: string[], n: number, usage: string): { library?: string; args: string[] } {
  const { values, positionals } = parse(argv, LIBRARY_OPTION, usage);
  if (positionals.length !== n)
    throw new UsageError(`expected ${n} argument(s), got ${positionals.length}\nusage: ${usage}`);
  return { library: values.library, args: positionals };
}

/** `facenet name <person> <name>` (an empty name removes it). */
export async function nameCommand(argv: string[]): Promise<void> {
  const { library, args } = positionalsExactly(argv, 2, 'facenet name <person id|name> <new name> [--library <path>]');
  const [ref, name] = args as [string, string];
  if (isNameTooLong(name)) {
    throw new UsageError(`name is too long (${NAME_MAX_LENGTH} characters at most)`);
  }
  await withLibrary(library, async ({ api }) => {
    const person = await resolvePerson(api, ref);
    // The one rule for names (src-shared/names.ts): no control or bidi characters, one line, trimmed.
    const clean = cleanName(name) || null;
    await api.renamePerson({ personId: person.id, name: clean });
    console.log(
      clean ? `${personLabel(person)} is now named "${printable(clean)}"` : `${personLabel(person)} has no name now`,
    );
  });
}

/** `facenet merge <person> <other>`: the other's faces join the first person. */
export async function mergeCommand(argv: string[]): Promise<void> {
  const { library, args } = positionalsExactly(argv, 2, 'facenet merge <person> <other person> [--library <path>]');
  await withLibrary(library, async ({ api }) => {
    const target = await resolvePerson(api, args[0]!);
    const source = await resolvePerson(api, args[1]!);
    if (target.id === source.id) throw new UsageError(`cannot merge ${personLabel(target)} with itself`);
    await api.mergePeople({ targetId: target.id, sourceIds: [source.id] });
    console.log(`merged ${personLabel(source)} into ${personLabel(target)}`);
  });
}

/** `facenet move <face> <person|new>`: the user says whose face this is (a confirmation). */
export async function moveCommand(argv: string[]): Promise<void> {
  const { library, args } = positionalsExactly(
    argv,
    2,
    'facenet move <face id> <person id|name|new> [--library <path>]',
  );
  const faceId = parseId(args[0]!, 'face');
  await withLibrary(library, async ({ api }) => {
    if (args[1] === 'new') {
      const r = await api.moveFaces({ faceIds: [faceId], to: { newPerson: true } });
      console.log(`face ${faceId} moved to ${unnamedPersonName(r.personId)} (a new person)`);
      return;
    }
    const person = await resolvePerson(api, args[1]!);
    await api.moveFaces({ faceIds: [faceId], to: { personId: person.id } });
    console.log(`face ${faceId} moved to ${personLabel(person)}`);
  });
}

/** `facenet reject <face> <person>`: "not this person"; re-clustering never puts the face back. */
export async function rejectCommand(argv: string[]): Promise<void> {
  const { library, args } = positionalsExactly(argv, 2, 'facenet reject <face id> <person id|name> [--library <path>]');
  const faceId = parseId(args[0]!, 'face');
  await withLibrary(library, async ({ api }) => {
    const person = await resolvePerson(api, args[1]!);
    await api.rejectFaces({ faceIds: [faceId], personId: person.id });
    console.log(`face ${faceId} is not ${personLabel(person)}`);
  });
}

/** `facenet recluster [--threshold d]`: full re-clustering honouring every decision; the threshold is saved. */
export async function reclusterCommand(argv: string[]): Promise<void> {
  const usage = 'facenet recluster [--threshold d] [--library <path>]';
  const { values, positionals } = parse(argv, { ...LIBRARY_OPTION, threshold: { type: 'string' } }, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const threshold = numberOption(values.threshold, 'threshold', 0.01, 4);
  await withLibrary(values.library, async ({ api }) => {
    const r = await api.recluster(threshold === undefined ? {} : { threshold });
    console.log(`re-clustered${threshold === undefined ? '' : ` at threshold ${threshold}`}: ${r.people} people`);
  });
}

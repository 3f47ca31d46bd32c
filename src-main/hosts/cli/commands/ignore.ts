/**
 * Ignored faces from the command line: `ignore` (a false detection or a stranger: never grouped again),
 * `unignore` (back to the person it was confirmed for, else where re-grouping puts it) and `ignored` (the
 * list). The same API calls as the app's Ignored view; `unignore` is the CLI's undo of `ignore`.
 */
import { IGNORE_REASONS, type IgnoredFaceDto, type IgnoreReasonDto } from '../../../../src-shared/api.js';
import { parse, UsageError } from '../args.js';
import { table } from '../library/format.js';
import { parseId } from '../library/person-ref.js';
import { LIBRARY_OPTION } from '../library/session.js';
import { withLibrary } from './edit.js';
import { plural } from '../../../../src-shared/words.js';

const REASON_WORDS: Record<IgnoreReasonDto, string> = { 'not-a-face': 'not a face', stranger: 'stranger' };

function faceIds(positionals: string[], usage: string): number[] {
  if (positionals.length === 0) throw new UsageError(`give at least one face id\nusage: ${usage}`);
  return [...new Set(positionals.map((p) => parseId(p, 'face')))];
}

/** `facenet ignore <face…> [--reason not-a-face|stranger]` (default: not a face). */
export async function ignoreCommand(argv: string[]): Promise<void> {
  const usage = `facenet ignore <face id…> [--reason ${IGNORE_REASONS.join('|')}] [--library <path>]`;
  const { values, positionals } = parse(argv, { ...LIBRARY_OPTION, reason: { type: 'string' } }, usage);
  const reason = (values.reason ?? 'not-a-face') as IgnoreReasonDto;
  if (!IGNORE_REASONS.includes(reason))
    throw new UsageError(`--reason must be ${IGNORE_REASONS.join(' or ')} (got "${values.reason}")\nusage: ${usage}`);
  const ids = faceIds(positionals, usage);
  await withLibrary(values.library, async ({ api }) => {
    await api.ignoreFaces({ faceIds: ids, reason });
    console.log(`${plural(ids.length, 'face')} ignored (${REASON_WORDS[reason]}): never grouped again until unignored`);
  });
}

/** `facenet unignore <face…>`. */
export async function unignoreCommand(argv: string[]): Promise<void> {
  const usage = 'facenet unignore <face id…> [--library <path>]';
  const { values, positionals } = parse(argv, LIBRARY_OPTION, usage);
  const ids = faceIds(positionals, usage);
  await withLibrary(values.library, async ({ api }) => {
    await api.unignoreFaces({ faceIds: ids });
    console.log(`${plural(ids.length, 'face')} no longer ignored`);
  });
}

export function formatIgnored(faces: IgnoredFaceDto[]): string {
  if (faces.length === 0) return 'no ignored faces';
  return table(
    ['face', 'photo', 'why', 'since'],
    faces.map((f) => [String(f.id), String(f.photoId), REASON_WORDS[f.reason], new Date(f.ignoredAt).toISOString()]),
  );
}

/** `facenet ignored [--json]`: most recently ignored first. */
export async function ignoredCommand(argv: string[]): Promise<void> {
  const usage = 'facenet ignored [--json] [--library <path>]';
  const { values, positionals } = parse(argv, { ...LIBRARY_OPTION, json: { type: 'boolean' } }, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  await withLibrary(values.library, async ({ api }) => {
    const faces = await api.ignoredFaces({});
    console.log(values.json ? JSON.stringify(faces) : formatIgnored(faces));
  });
}

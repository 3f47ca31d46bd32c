import { parse, UsageError } from '../args.js';
import { formatErrors, formatStatus } from '../library/format.js';
import { LIBRARY_OPTION, openLibrary } from '../library/session.js';

const JSON_OPTION = { json: { type: 'boolean' } } as const;

/** `facenet status [--json]`: folders, photos by state, faces, people, decisions. */
export async function statusCommand(argv: string[]): Promise<void> {
  const usage = 'facenet status [--library <path>] [--json]';
  const { values, positionals } = parse(argv, { ...LIBRARY_OPTION, ...JSON_OPTION }, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    const status = await session.api.status();
    console.log(
      values.json ? JSON.stringify({ library: session.path, ...status }) : formatStatus(status, session.path),
    );
  } finally {
    await session.close();
  }
}

/** `facenet errors [--json]`: photos that could not be indexed, with the reason. */
export async function errorsCommand(argv: string[]): Promise<void> {
  const usage = 'facenet errors [--library <path>] [--json]';
  const { values, positionals } = parse(argv, { ...LIBRARY_OPTION, ...JSON_OPTION }, usage);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\nusage: ${usage}`);
  const session = openLibrary(values.library);
  try {
    const errors = await session.api.listErrors();
    console.log(values.json ? JSON.stringify(errors) : formatErrors(errors));
  } finally {
    await session.close();
  }
}

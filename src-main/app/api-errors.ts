/**
 * Failures as the client sees them: the one place where the engine's errors (EngineError, PhotoError) become
 * wire errors (ApiError), and the plain sentence a background job sends when it fails.
 */
import { ApiError } from '../../src-shared/api.js';
import { EngineError } from '../engine/errors.js';
import { PhotoError } from '../engine/vision/analysis.js';
import { errorId, plainProblem } from './plain-errors.js';

/** The wire code of each engine error kind (src-main/engine/errors.ts). */
const ENGINE_ERROR_CODES: Record<EngineError['kind'], ApiError['code']> = {
  invalid: 'bad-request',
  'not-found': 'not-found',
  conflict: 'conflict',
};

/**
 * Any failure as the ApiError a transport sends back. User errors keep their message; a locked library, a full
 * disk or a damaged database become one plain sentence; anything else becomes a generic message with an error
 * id (no paths or internals reach the client), and the detail is logged with that id.
 */
export function toApiError(error: unknown, log: (message: string) => void = (m) => console.error(m)): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof EngineError) return new ApiError(ENGINE_ERROR_CODES[error.kind], error.message);
  if (error instanceof PhotoError) return new ApiError('bad-request', error.message);
  const plain = plainProblem(error);
  if (plain) return new ApiError(plain.kind === 'busy' ? 'conflict' : 'internal', plain.message);
  const id = errorId();
  log(`facenet: internal error ${id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new ApiError('internal', `internal error (id ${id}): the details are in the log`);
}

/**
 * Why a background run failed, for its failure event: a full disk or a lock held elsewhere as the plain
 * sentence the user can act on (plain-errors.ts), anything else as its own message.
 */
export function failureSentence(error: unknown): string {
  return plainProblem(error)?.message ?? (error as Error).message ?? String(error);
}

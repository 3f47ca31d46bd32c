/**
 * The one test for "is this an ApiError", used where a failure is turned into a reply to a client (the
 * HTTP server, Electron's IPC). `instanceof` is not enough: an engine loaded from another copy of this
 * module (a bundled worker, another build) throws errors of another ApiError class, recognised by their
 * name and a known code.
 */
import { ApiError } from './api.js';

const CODES: ReadonlySet<string> = new Set<ApiError['code']>(['bad-request', 'not-found', 'conflict', 'internal']);

export function isApiError(error: unknown): error is ApiError {
  if (error instanceof ApiError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; code?: unknown };
  return e.name === 'ApiError' && typeof e.code === 'string' && CODES.has(e.code);
}

/** The `{ code, message }` a transport sends for an ApiError (a foreign one may lack its message). */
export function apiErrorBody(error: ApiError): { code: ApiError['code']; message: string } {
  return { code: error.code, message: (error.message as string | undefined) ?? '' };
}

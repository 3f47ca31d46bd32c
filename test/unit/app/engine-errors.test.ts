/**
 * The engine throws EngineError (src-main/engine/errors.ts), never the wire's ApiError; toApiError, the one
 * mapping at the edge, turns each kind into its ApiError code with the user's message unchanged.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api.js';
import { toApiError } from '../../../src-main/app/api-errors.js';
import { EngineError, type EngineErrorKind } from '../../../src-main/engine/errors.js';

describe('EngineError -> ApiError', () => {
  it.each<[EngineErrorKind, ApiError['code']]>([
    ['invalid', 'bad-request'],
    ['not-found', 'not-found'],
    ['conflict', 'conflict'],
  ])('%s becomes %s with the same message', (kind, code) => {
    const logged: string[] = [];
    const e = toApiError(new EngineError(kind, `a ${kind} request`), (m) => logged.push(m));
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code, message: `a ${kind} request` });
    expect(logged).toEqual([]);
  });
});

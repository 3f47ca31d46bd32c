import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorBody, isApiError } from '../../../src-shared/api.js';

describe('isApiError', () => {
  it('knows an ApiError, and one of another module copy by its name and a known code', () => {
    expect(isApiError(new ApiError('not-found', 'no person 9'))).toBe(true);
    const foreign = Object.assign(new Error('busy'), { name: 'ApiError', code: 'conflict' });
    expect(isApiError(foreign)).toBe(true);
    expect(apiErrorBody(foreign as ApiError)).toEqual({ code: 'conflict', message: 'busy' });
    expect(apiErrorBody({ name: 'ApiError', code: 'internal' } as unknown as ApiError)).toEqual({
      code: 'internal',
      message: '',
    });
  });

  it('refuses anything else: other errors, unknown codes, non-objects', () => {
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isApiError({ name: 'ApiError', code: 'teapot', message: 'x' })).toBe(false);
    expect(isApiError({ name: 'ApiError', code: 404 })).toBe(false);
    expect(isApiError(null)).toBe(false);
    expect(isApiError('ApiError')).toBe(false);
  });
});

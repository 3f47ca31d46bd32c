import { expect } from 'vitest';
import { ApiError } from '../../src-shared/api.js';

/** The ApiError a promise rejects with (fails the test when it resolves or rejects with something else). */
export async function rejected(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

/**
 * The engine's own error for what the user asked that cannot be done: a value out of range ('invalid'), an
 * id that does not exist ('not-found'), or a request that clashes with the library's state ('conflict').
 * The engine knows nothing of the wire format: the app layer maps these to ApiError codes in one place
 * (toApiError in src-main/app/api-errors.ts: invalid -> bad-request, not-found -> not-found, conflict ->
 * conflict). The message is meant for the user, as is.
 */
export type EngineErrorKind = 'invalid' | 'not-found' | 'conflict';

export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

import { HTTP_STATUS_BY_CODE, type ApiError, type ErrorCode } from '@parley/protocol';

/** The one error type the server throws on purpose. Anything else becomes INTERNAL_ERROR. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Sent as `Retry-After` (429s): when the client may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

const STORE_ERROR_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
]);

/** True for errors that mean "the database is unreachable right now", as opposed to a bug. */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (STORE_ERROR_NAMES.has(error.name)) return true;
  const labels = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  return labels?.has('RetryableError') === true || labels?.has('ResetPool') === true;
}

/** Turns any thrown value into the error a client may see: never a stack, never a raw DB error. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isStoreUnavailable(error)) {
    return new AppError('STORE_UNAVAILABLE', 'The message store is unavailable; try again shortly');
  }
  return new AppError('INTERNAL_ERROR', 'Something went wrong on our side');
}

import { z } from 'zod';

/**
 * Every error code a client can see, over HTTP (`{ error }`) or in a socket ack.
 * Clients switch on `code`; `message` is for people and may change.
 */
export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'INVALID_CREDENTIALS',
  'USERNAME_TAKEN',
  'FORBIDDEN',
  'ORIGIN_NOT_ALLOWED',
  'NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'STORE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'CLIENT_TOO_OLD',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The HTTP status that goes with each code, so server and clients agree. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  USERNAME_TAKEN: 409,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  STORE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  // Only ever a socket handshake refusal today; 426 is what it would be over HTTP.
  CLIENT_TOO_OLD: 426,
};

export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ErrorResponseSchema = z.object({ error: ApiErrorSchema });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** The message the socket handshake refuses with (`connect_error.message`). */
export const SOCKET_UNAUTHORIZED = 'UNAUTHORIZED' as const;

/** The message the socket handshake refuses a client with whose protocol version is too old. */
export const SOCKET_CLIENT_TOO_OLD = 'CLIENT_TOO_OLD' as const;

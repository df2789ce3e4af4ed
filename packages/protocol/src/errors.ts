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
  // Version 2
  'WEAK_PASSWORD',
  'TOO_MANY_ATTEMPTS',
  'TOO_MANY_CONNECTIONS',
  'SESSION_REVOKED',
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
  WEAK_PASSWORD: 400,
  TOO_MANY_ATTEMPTS: 429,
  // Socket handshake refusals; the HTTP statuses are what a REST answer would use.
  TOO_MANY_CONNECTIONS: 429,
  SESSION_REVOKED: 401,
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

/**
 * A 400 `VALIDATION_ERROR` or `WEAK_PASSWORD` from a form route carries, per field, what is wrong
 * for a person, so a client can mark each field (contract v2, "Validation details").
 */
export const FieldErrorsDetailsSchema = z.object({ fields: z.record(z.string(), z.string()) });
export type FieldErrorsDetails = z.infer<typeof FieldErrorsDetailsSchema>;

/** The messages the socket handshake refuses with (`connect_error.message`). */
export const SOCKET_UNAUTHORIZED = 'UNAUTHORIZED' as const;
/** More sockets than `MAX_SOCKETS_PER_USER` for one user (contract v2). */
export const SOCKET_TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS' as const;
/** The client declared a protocol version older than the server still speaks: reload. */
export const SOCKET_CLIENT_TOO_OLD = 'CLIENT_TOO_OLD' as const;

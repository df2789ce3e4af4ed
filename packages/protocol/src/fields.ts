import { z } from 'zod';

/** A Mongo ObjectId as clients see it: 24 lower-case hex characters. */
export const IdSchema = z
  .string()
  .regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');

export const IsoDateSchema = z.iso.datetime({ offset: true });

/** 3-32 characters of [a-z0-9_]; input is trimmed and lower-cased before the check. */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{3,32}$/, 'must be 3-32 characters of a-z, 0-9 and _');

export const PasswordSchema = z.string().min(8).max(128);

export const DisplayNameSchema = z.string().trim().min(1).max(64);

export const CONTENT_MAX_LENGTH = 4000;
export const ContentSchema = z.string().trim().min(1).max(CONTENT_MAX_LENGTH);

export const ClientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z, a-z, 0-9, _ and -');

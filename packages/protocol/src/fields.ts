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

/**
 * Characters that change how text around them is shown without being seen themselves: bidi
 * controls (which can make a name read backwards or spoof another), zero-width characters,
 * the word joiner family and the byte-order mark; plus C0/C1 control characters.
 */
const HIDDEN_OR_BIDI_CONTROL = /[\p{Cc}\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u;

export const DisplayNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((name) => !HIDDEN_OR_BIDI_CONTROL.test(name), {
    message: 'must not contain invisible or text-direction control characters',
  });

/**
 * Something a person can see: not a space, not a format character (zero-width, bidi, joiners),
 * and not one of the blank letters that render as nothing (Hangul fillers, the braille blank).
 */
const VISIBLE_CHARACTER = /[^\s\p{Cc}\p{Cf}\p{Z}\u115F\u1160\u3164\uFFA0\u2800]/u;

export const CONTENT_MAX_LENGTH = 4000;
export const ContentSchema = z
  .string()
  .trim()
  .min(1)
  .max(CONTENT_MAX_LENGTH)
  .refine((content) => VISIBLE_CHARACTER.test(content), { message: 'must contain something visible' });

export const ClientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 characters of A-Z, a-z, 0-9, _ and -');

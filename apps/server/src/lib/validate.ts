import type { z } from 'zod';
import { AppError } from './AppError.js';

/** Parses untrusted input at a boundary; a failure is a VALIDATION_ERROR listing each problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new AppError('VALIDATION_ERROR', 'The request is not valid', { issues });
}

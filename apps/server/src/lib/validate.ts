import type { z } from 'zod';
import { AppError } from './AppError.js';

type Issue = z.core.$ZodIssue;

/** What is wrong with one field, said for a person (contract v2 "Validation details"). */
function describeForPerson(issue: Issue): string {
  if (issue.code === 'too_small' && issue.origin === 'string') {
    return Number(issue.minimum) <= 1 ? 'Required.' : `Must be at least ${issue.minimum} characters.`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') return `Must be at most ${issue.maximum} characters.`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Required.';
  if (issue.code === 'invalid_type') return `Must be a ${issue.expected}.`;
  const message = issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** The first problem of each top-level field; unknown keys are named as such. */
function fieldErrors(issues: readonly Issue[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[key] ??= 'Unknown field.';
      continue;
    }
    const [field] = issue.path;
    if (field === undefined) continue;
    fields[String(field)] ??= describeForPerson(issue);
  }
  return fields;
}

/**
 * Parses untrusted input at a boundary; a failure is a VALIDATION_ERROR listing each problem
 * (`issues`) and, per field, one message a form can show (`fields`).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new AppError('VALIDATION_ERROR', 'The request is not valid', { issues, fields: fieldErrors(result.error.issues) });
}

import type { z } from 'zod';
import { badRequest } from './errors.js';

/** Parses untrusted input with `schema`, or throws a 400 naming the first problem. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.');
  const message = issue?.message ?? 'invalid value';
  // Our schemas' messages already name their field; zod's defaults do not.
  const sentence = field && !message.startsWith(String(issue?.path[0])) ? `${field}: ${message}` : message;
  throw badRequest('invalid_request', `Invalid ${what}: ${sentence}.`);
}

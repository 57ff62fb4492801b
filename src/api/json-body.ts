import { badRequest, type ApiError } from './errors.js';

/** Far deeper than any body the API takes (a stream's tags sit two levels down). */
export const MAX_BODY_DEPTH = 32;

/**
 * The refusal every route would give a parsed JSON body, or undefined: nesting past
 * MAX_BODY_DEPTH, or a NUL in any string or key (PostgreSQL's text cannot hold NUL, and no
 * title or tag needs one, so it is refused on every engine). The walk keeps its own stack:
 * JSON.parse takes 30,000 levels in a 64 KiB body, where a recursive walk or
 * JSON.stringify overflows the call stack.
 *
 *   const fault = bodyFault(JSON.parse(text));
 *   if (fault) return done(fault, undefined);
 */
export function bodyFault(body: unknown): ApiError | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return nulRefusal();
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      return badRequest('too_deep', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return nulRefusal();
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}

const nulRefusal = () => badRequest('invalid_text', 'Text in the request body must not contain NUL (\\u0000) characters.');

/**
 * What a parser returns for an event it did not write: the typed value, or why not.
 * Parsers never throw on foreign input.
 *
 *   const parsed = parseLiveEvent(event);
 *   if (!parsed.ok) log(parsed.reason); else show(parsed.value);
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const rejected = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

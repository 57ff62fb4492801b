import { matchFilter, type Filter } from 'nostr-tools/filter';
import { z } from 'zod';
import type { NostrEvent } from '../protocol/nostr-event.js';

/**
 * A NIP-01 filter, checked: nostr-tools' `Filter` holding only what the relay understands,
 * with `#<name>` conditions for the indexed tags.
 *
 *   const filter = parseFilter(json);           // Filter, or a string saying what is wrong
 *   if (typeof filter !== 'string' && matchesFilter(event, filter)) deliver(event);
 */
export type { Filter };

/**
 * Tag names a filter may name with `#`: the single letters of NIP-01, plus `status`,
 * which the plan's discovery query uses on kind 30311.
 */
export const INDEXED_TAG = /^(?:[a-zA-Z]|status)$/;

const MAX_VALUES = 1000;
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
const timestamp = z.number().int().nonnegative();

const baseFilterSchema = z.object({
  ids: z.array(hex64).max(MAX_VALUES).optional(),
  authors: z.array(hex64).max(MAX_VALUES).optional(),
  kinds: z.array(z.number().int().min(0).max(65535)).max(MAX_VALUES).optional(),
  since: timestamp.optional(),
  until: timestamp.optional(),
  limit: z.number().int().nonnegative().optional(),
});

const tagValuesSchema = z.array(z.string().max(1024)).max(MAX_VALUES);

export function parseFilter(input: unknown): Filter | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'a filter must be a JSON object';
  const base = baseFilterSchema.safeParse(input);
  if (!base.success) {
    const issue = base.error.issues[0];
    return `filter ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`.replace(/\s+/g, ' ');
  }
  const filter: Filter = base.data;
  for (const [key, value] of Object.entries(input)) {
    if (!key.startsWith('#')) continue;
    const name = key.slice(1);
    if (!INDEXED_TAG.test(name)) return `filter ${key} is not an indexed tag (only single letters are)`;
    const values = tagValuesSchema.safeParse(value);
    if (!values.success) return `filter ${key} must be a list of strings`;
    // No stored value holds NUL (TextPolicy), and PostgreSQL refuses it even in a query.
    if (values.data.some((value) => value.includes('\u0000'))) return `filter ${key} values must not contain NUL characters`;
    filter[`#${name}`] = values.data;
  }
  return filter;
}

/** The filter's tag conditions: each tag name with the values one of which must be present. */
export function tagConditions(filter: Filter): [name: string, values: string[]][] {
  const conditions: [string, string[]][] = [];
  for (const [key, values] of Object.entries(filter)) {
    if (key.startsWith('#') && Array.isArray(values)) conditions.push([key.slice(1), values as string[]]);
  }
  return conditions;
}

/** True when the event satisfies every condition of the filter (`limit` aside). */
export function matchesFilter(event: NostrEvent, filter: Filter): boolean {
  // nostr-tools reads `until: 0` as no bound; NIP-01 (and the stored query) as "at second 0 at the latest".
  if (filter.until === 0 && event.created_at > 0) return false;
  return matchFilter(filter, event);
}

/** A filter that can never match (an empty `ids`, `kinds`…), stored or live. */
export function isEmptyFilter(filter: Filter): boolean {
  return (
    filter.ids?.length === 0 ||
    filter.authors?.length === 0 ||
    filter.kinds?.length === 0 ||
    tagConditions(filter).some(([, values]) => values.length === 0) ||
    (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until)
  );
}

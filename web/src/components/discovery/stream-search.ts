import type { LiveEvent } from '../../../../src/protocol/live-event';

/** The words of a search, lowercased; a leading `#` only says "a tag", which a tag search finds anyway. */
export function searchWords(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^#+/, ''))
    .filter((word) => word !== '');
}

/**
 * Whether a stream answers a search: every word is found in its title, one of its hashtags or
 * its host's name (kind 0 `display_name` or `name`, passed in since it is read elsewhere).
 *
 *   matchesSearch(event, searchWords('jazz #piano'), ['Ann', 'ann_plays'])
 */
export function matchesSearch(event: Pick<LiveEvent, 'title' | 'hashtags'>, words: readonly string[], hostNames: readonly (string | undefined)[]): boolean {
  const haystack = [event.title ?? '', ...event.hashtags, ...hostNames.filter((name) => name !== undefined)].map((text) => text.toLowerCase());
  return words.every((word) => haystack.some((text) => text.includes(word)));
}

import { describe, expect, it } from 'vitest';
import { matchesSearch, searchWords } from './stream-search';

const event = { title: 'Late night Jazz', hashtags: ['music', 'piano'] };

describe('stream search', () => {
  it('splits a query into lowercase words, a # only marking a tag', () => {
    expect(searchWords('  Jazz   #Piano ')).toEqual(['jazz', 'piano']);
    expect(searchWords('#')).toEqual([]);
  });

  it('finds a stream by title, by tag or by its host name, ignoring case', () => {
    expect(matchesSearch(event, searchWords('JAZZ'), [])).toBe(true);
    expect(matchesSearch(event, searchWords('#piano'), [])).toBe(true);
    expect(matchesSearch(event, searchWords('ann'), ['Ann Plays', undefined])).toBe(true);
    expect(matchesSearch(event, searchWords('rock'), ['Ann Plays'])).toBe(false);
  });

  it('needs every word to be found somewhere', () => {
    expect(matchesSearch(event, searchWords('jazz ann'), ['Ann'])).toBe(true);
    expect(matchesSearch(event, searchWords('jazz bob'), ['Ann'])).toBe(false);
  });

  it('reads an untitled stream as an empty title', () => {
    expect(matchesSearch({ title: undefined, hashtags: [] }, searchWords('x'), [])).toBe(false);
  });
});

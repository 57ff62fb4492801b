import { describe, expect, it } from 'vitest';
import { CATEGORY_CHOICE_ERROR, isInCategory } from './categories.js';

describe('a stream in a category', () => {
  it('is there by its t tag, or by the internal: category zap.stream writes', () => {
    expect(isInCategory({ hashtags: ['music', 'jazz'] }, 'music')).toBe(true);
    expect(isInCategory({ hashtags: ['jazz'], zapStreamCategory: 'music' }, 'music')).toBe(true);
    expect(isInCategory({ hashtags: [], zapStreamCategory: 'science-and-technology' }, 'tech')).toBe(true);
    expect(isInCategory({ hashtags: ['jazz'], zapStreamCategory: 'gaming' }, 'music')).toBe(false);
    expect(isInCategory({ hashtags: [], zapStreamCategory: 'music' }, 'podcast')).toBe(false);
  });
});

describe('the refusal of an unknown category', () => {
  it('names the menu labels, not the ids', () => {
    expect(CATEGORY_CHOICE_ERROR).toBe(
      'category must be one of Music, Talk, Gaming, Art & Creative, Education, Science & Tech, Sports & Fitness, IRL, Podcast, Other',
    );
  });
});

/** The published category list; the API refuses any other, the web app offers exactly these. */
export const CATEGORIES = [
  { id: 'music', label: 'Music' },
  { id: 'talk', label: 'Talk' },
  { id: 'gaming', label: 'Gaming' },
  { id: 'art', label: 'Art & Creative' },
  { id: 'education', label: 'Education' },
  { id: 'tech', label: 'Science & Tech' },
  { id: 'sports', label: 'Sports & Fitness' },
  { id: 'irl', label: 'IRL' },
  { id: 'podcast', label: 'Podcast' },
  { id: 'other', label: 'Other' },
] as const;

export type Category = (typeof CATEGORIES)[number]['id'];

export const CATEGORY_IDS = CATEGORIES.map((category) => category.id) as [Category, ...Category[]];

/** The refusal of an unknown category, in the words of the menu people choose from rather than its ids. */
export const CATEGORY_CHOICE_ERROR = `category must be one of ${CATEGORIES.map((category) => category.label).join(', ')}`;

/**
 * zap.stream's category ids for ours that match one (its `AllCategories`, src/pages/category.tsx):
 * written as `["t", "internal:<id>"]`, which its category pages and stream cards read.
 */
export const ZAP_STREAM_CATEGORIES: Partial<Record<Category, string>> = {
  music: 'music',
  talk: 'talk',
  gaming: 'gaming',
  art: 'art',
  irl: 'irl',
  tech: 'science-and-technology',
};

/** Whether a stream is in one of our categories: by its `t` tag, or by zap.stream's `internal:` category (streams made there carry only that). */
export function isInCategory(stream: { readonly hashtags: readonly string[]; readonly zapStreamCategory?: string }, category: Category): boolean {
  return stream.hashtags.includes(category) || (stream.zapStreamCategory !== undefined && stream.zapStreamCategory === ZAP_STREAM_CATEGORIES[category]);
}

import { z } from 'zod';
import { CATEGORY_CHOICE_ERROR, CATEGORY_IDS } from './categories.js';
import { DEFAULT_QUALITY, QUALITY_CHOICES } from './quality.js';
import { hasProtocol } from './url.js';

/**
 * What a streamer sets up before going live: the API validates requests with it and the
 * web form validates inline with the same rules, so both refuse the same input with the same words.
 *
 *   const result = createStreamRequestSchema.safeParse(body);
 */

export const LIMITS = {
  titleMax: 100,
  descriptionMax: 500,
  tagMax: 50,
  tagsMax: 10,
  moderatorsMax: 20,
  imageMax: 500,
} as const;

/** Length in characters as a person counts them (code points), not UTF-16 units. */
export const characters = (value: string) => [...value].length;

const title = z
  .string({ error: (issue) => (issue.input === undefined ? 'title is required' : 'title must be a string') })
  .trim()
  .min(1, 'title is required')
  .refine((value) => characters(value) <= LIMITS.titleMax, `title must be at most ${LIMITS.titleMax} characters`);

const description = z
  .string({ error: 'description must be a string' })
  .trim()
  .refine(
    (value) => characters(value) <= LIMITS.descriptionMax,
    `description must be at most ${LIMITS.descriptionMax} characters`,
  );

const category = z.enum(CATEGORY_IDS, {
  error: (issue) => (issue.input === undefined ? 'category is required' : CATEGORY_CHOICE_ERROR),
});

const tag = z
  .string({ error: 'each tag must be a string' })
  .trim()
  .min(1, 'tags must not be empty')
  // Measured after lowercasing: some letters grow ('İ' becomes two characters), and the stored tag must fit.
  .transform((value) => value.toLowerCase())
  .refine((value) => characters(value) <= LIMITS.tagMax, `each tag must be at most ${LIMITS.tagMax} characters`);

const tags = z
  .array(tag, { error: 'tags must be a list of strings' })
  .max(LIMITS.tagsMax, `at most ${LIMITS.tagsMax} tags are allowed`)
  .transform((values) => [...new Set(values)]);

/**
 * The stream's cover picture (the 30311 `image`): an absolute http(s) URL, since Nostr clients
 * load it as it stands. Null or empty means none, and the live thumbnail stands in for it.
 */
const image = z
  .string({ error: 'image must be an http(s) URL, or null for none' })
  .trim()
  .refine((value) => characters(value) <= LIMITS.imageMax, `image must be at most ${LIMITS.imageMax} characters`)
  .refine((value) => value === '' || hasProtocol(value, ['http:', 'https:']), 'image must be an http(s) URL')
  .transform((value) => value || null)
  .nullable();

/** What the streamer sends: `audio` streams get the listening player and cover art instead of a picture. */
export const STREAM_TYPES = ['video', 'audio'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

const streamType = z.enum(STREAM_TYPES, { error: `stream_type must be one of ${STREAM_TYPES.join(', ')}` });

const visibility = z.enum(['public', 'private'], { error: 'visibility must be public or private' });

const quality = z.enum(QUALITY_CHOICES, { error: `quality must be one of ${QUALITY_CHOICES.join(', ')}` });

/**
 * Whose key signs the stream's kind 30311: the service's, or the streamer's own through a NIP-46
 * bunker that lets this service sign kind 30311 for them. Fixed for the stream's life: the
 * event's coordinate (`30311:<author>:<id>`) depends on it.
 */
export const SIGNERS = ['service', 'streamer'] as const;
export type SignerMode = (typeof SIGNERS)[number];

const signer = z.enum(SIGNERS, { error: `signer must be one of ${SIGNERS.join(', ')}` });

/** How far ahead a stream may be planned: a year, so a typo in the year is caught. */
export const SCHEDULE_MAX_SECONDS = 365 * 24 * 3600;

/**
 * When the streamer plans to go live (Unix seconds, the 30311 `starts` while planned): in the
 * future and within a year. Null means not scheduled. Checked against the clock at each parse.
 */
const startsAt = z
  .number({ error: 'starts_at must be a Unix time in seconds, or null for none' })
  .int('starts_at must be a whole number of seconds')
  .refine((value) => value > Date.now() / 1000, 'starts_at must be in the future')
  .refine((value) => value <= Date.now() / 1000 + SCHEDULE_MAX_SECONDS, 'starts_at must be within a year from now')
  .nullable();

const BUNKER_MAX = 2000;

/** A `bunker://<remote signer pubkey>?relay=wss://…&secret=…` URI, as bunkers show it for a new connection. */
const bunker = z
  .string({ error: 'bunker must be a bunker:// URI' })
  .trim()
  .max(BUNKER_MAX, `bunker must be at most ${BUNKER_MAX} characters`)
  .refine(
    (value) => /^bunker:\/\/[0-9a-f]{64}\?/.test(value) && /[?&]relay=wss?(:|%3A)/i.test(value),
    'bunker must look like bunker://<64-hex pubkey>?relay=wss://…&secret=…',
  );

export const createStreamRequestSchema = z.object(
  {
    title,
    description: description.default(''),
    category,
    tags: tags.default([]),
    visibility: visibility.default('public'),
    enable_chat: z.boolean({ error: 'enable_chat must be true or false' }).default(true),
    quality: quality.default(DEFAULT_QUALITY),
    record: z.boolean({ error: 'record must be true or false' }).default(true),
    image: image.default(null),
    stream_type: streamType.default('video'),
    signer: signer.default('service'),
    bunker: bunker.optional(),
    starts_at: startsAt.default(null),
  },
  { error: 'the request body must be a JSON object' },
).superRefine((settings, context) => {
  if (settings.signer === 'streamer' && settings.bunker === undefined) {
    context.addIssue({ code: 'custom', path: ['bunker'], message: 'a streamer-signed stream needs a bunker:// URI from your remote signer' });
  }
  if (settings.signer === 'service' && settings.bunker !== undefined) {
    context.addIssue({ code: 'custom', path: ['bunker'], message: 'bunker is only for signer "streamer"' });
  }
});

export type CreateStreamRequest = z.input<typeof createStreamRequestSchema>;
export type StreamSettings = z.output<typeof createStreamRequestSchema>;

export type Visibility = StreamSettings['visibility'];

const moderators = z
  .array(z.string().regex(/^[0-9a-f]{64}$/, 'each moderator must be a 64-character hex pubkey'), {
    error: 'moderators must be a list of hex pubkeys',
  })
  .max(LIMITS.moderatorsMax, `at most ${LIMITS.moderatorsMax} moderators are allowed`)
  .transform((values) => [...new Set(values)]);

/** The stream's NIP-75 zap goal: the id of the streamer's kind 9041, or null for none. */
const goal = z
  .string({ error: 'goal must be a 64-character hex event id, or null for none' })
  .regex(/^[0-9a-f]{64}$/, 'goal must be a 64-character hex event id, or null for none')
  .nullable();

/**
 * What may change while a stream runs (the dashboard's "stream info"): title, description, tags,
 * moderators, image, stream type, goal; and, until it goes live, the planned start.
 */
export const updateStreamRequestSchema = z
  .object(
    { title, description, tags, moderators, image, stream_type: streamType, goal, starts_at: startsAt },
    { error: 'the request body must be a JSON object' },
  )
  .partial()
  .refine(
    (update) => Object.keys(update).length > 0,
    'send at least one of title, description, tags, moderators, image, stream_type, goal, starts_at',
  );

export const TRACK_LIMITS = { titleMax: 200, artistMax: 200, linkMax: 500 } as const;

/** `POST /api/v1/streams/<id>/now-playing`: the track the streamer is playing now. */
export const nowPlayingRequestSchema = z.object(
  {
    title: z
      .string({ error: (issue) => (issue.input === undefined ? 'title is required' : 'title must be a string') })
      .trim()
      .min(1, 'title is required')
      .refine((value) => characters(value) <= TRACK_LIMITS.titleMax, `title must be at most ${TRACK_LIMITS.titleMax} characters`),
    artist: z
      .string({ error: 'artist must be a string' })
      .trim()
      .refine((value) => characters(value) <= TRACK_LIMITS.artistMax, `artist must be at most ${TRACK_LIMITS.artistMax} characters`)
      .default(''),
    link: z
      .string({ error: 'link must be an http(s) URL, or null for none' })
      .trim()
      .refine((value) => characters(value) <= TRACK_LIMITS.linkMax, `link must be at most ${TRACK_LIMITS.linkMax} characters`)
      .refine((value) => value === '' || hasProtocol(value, ['http:', 'https:']), 'link must be an http(s) URL')
      .transform((value) => value || null)
      .nullable()
      .default(null),
  },
  { error: 'the request body must be a JSON object' },
);

export type NowPlayingRequest = z.output<typeof nowPlayingRequestSchema>;

export type StreamUpdate = z.output<typeof updateStreamRequestSchema>;

import { z } from 'zod';

/**
 * Forwarding (restream) destinations, as the API and the dashboard speak them: where a live
 * stream is also sent (YouTube, Twitch, any RTMP server) and how that is going. The key is a
 * secret: it goes in once, and only its masked form (`••••abcd`) ever comes back.
 */
export const DESTINATION_LIMITS = { nameMax: 60, urlMax: 500, keyMax: 500, perStream: 5 } as const;

/**
 * What a destination's forwarding is doing now; `retrying` and `failed` carry the reason.
 * `paused` follows the stream's pause: the camera the slate hides here is not sent elsewhere either.
 */
export const FORWARD_STATES = ['idle', 'connecting', 'live', 'retrying', 'failed', 'paused'] as const;
export type ForwardState = (typeof FORWARD_STATES)[number];

export const addDestinationSchema = z.object({
  name: z.string().trim().min(1, 'name must not be empty').max(DESTINATION_LIMITS.nameMax, `name must be at most ${DESTINATION_LIMITS.nameMax} characters`),
  url: z
    .string()
    .trim()
    .max(DESTINATION_LIMITS.urlMax, `url must be at most ${DESTINATION_LIMITS.urlMax} characters`)
    .superRefine((url, context) => {
      const problem = destinationUrlProblem(url);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    }),
  key: z
    .string()
    .trim()
    .min(1, 'key must not be empty: paste the stream key the platform gave you')
    .max(DESTINATION_LIMITS.keyMax, `key must be at most ${DESTINATION_LIMITS.keyMax} characters`)
    .regex(/^[^\s]+$/, 'key must not contain spaces'),
});
export type AddDestinationRequest = z.infer<typeof addDestinationSchema>;

/** Why `url` cannot be a server to forward to, or undefined when it can. */
export function destinationUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an RTMP server address such as rtmp://a.rtmp.youtube.com/live2';
  }
  if (parsed.protocol !== 'rtmp:' && parsed.protocol !== 'rtmps:') return 'url must start with rtmp:// or rtmps://';
  if (parsed.hostname === '') return 'url must name a server';
  // A password in the URL would be a secret stored (and shown) in the clear.
  if (parsed.username !== '' || parsed.password !== '') return 'url must not contain a user name or password: put the secret in the key';
  if (parsed.search !== '' || parsed.hash !== '') return 'url must not have a query or fragment: put the secret in the key';
  return undefined;
}

/** The last four characters only, so the streamer can tell keys apart. */
export function maskKey(key: string): string {
  return `••••${key.length > 8 ? key.slice(-4) : ''}`;
}

export interface DestinationView {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  /** The key, masked: `••••abcd`. */
  readonly key: string;
  readonly state: ForwardState;
  /** Why the last attempt failed (`retrying`, `failed`). */
  readonly reason: string | null;
  /** Unix ms of the next attempt while `retrying`. */
  readonly retry_at: number | null;
  readonly created_at: number;
}

export interface DestinationsView {
  readonly destinations: readonly DestinationView[];
}

import { coverCardPath } from '../../covers/covers.js';
import { decodeLiveEventAddress } from '../../protocol/naddr.js';
import { STREAM_ID_PATTERN } from '../../protocol/stream-id.js';
import { thumbnailBeside } from '../../segments/playback-paths.js';
import type { ServiceProfile } from '../../identity/service-profile.js';
import type { Stream } from '../../streams/stream.js';
import type { LinkPreview } from './meta-tags.js';

/** What the previews read, all of it local: the stream records, the built-in relay's kind 0s, the covers. No fetch elsewhere. */
export interface PreviewSources {
  /** undefined when there is no such stream. */
  find(streamId: string): Promise<Stream | undefined>;
  /** The host's name from their kind 0 on our relay (a short npub when it has none). */
  hostName(pubkey: string): Promise<string>;
  /** An audio stream's picture (upload, kind 0 picture or card); null for video. */
  cover(stream: Stream): Promise<string | null>;
  /** The pubkey whose 30311 announces the stream (the service's or its streamer's). */
  eventAuthor(stream: Stream): string;
  readonly publicUrl: string;
  /** The service's own profile (`SERVICE_NAME`, `SERVICE_ABOUT`, `SERVICE_PICTURE`): the generic card. */
  readonly site: ServiceProfile;
}

const MAX_DESCRIPTION = 200;

/**
 * The preview of `/s/<id>` or `/stream/<naddr>`: the stream's title, host and picture for a
 * public stream of ours; the service's generic card for a private, unknown or foreign one
 * (a private stream's link must not tell its title to whoever the link is pasted near).
 *
 *   const preview = await previewForPath('/s/<id>', sources);
 */
export async function previewForPath(pathname: string, sources: PreviewSources): Promise<LinkPreview> {
  const url = `${sources.publicUrl}${pathname}`;
  const stream = await ourStreamAt(pathname, sources);
  if (!stream || stream.visibility !== 'public') return genericPreview(url, sources);
  const host = await sources.hostName(stream.pubkey);
  // A video stream's picture is its live thumbnail; before it has one (or before Start: the preview is the host's), the card drawn with its title.
  const image =
    stream.imageUrl ??
    (await sources.cover(stream)) ??
    (stream.thumbnailAt !== null && stream.startedAt !== null ? thumbnailBeside(stream.hlsPlaybackUrl) : `${sources.publicUrl}${coverCardPath(stream.id)}`);
  const description = [`${host} ${doing(stream)} on ${sources.site.name}.`, stream.description].filter((part) => part !== '').join(' ');
  return {
    title: `${stream.title} · ${host}`,
    description: Array.from(description).length > MAX_DESCRIPTION ? `${Array.from(description).slice(0, MAX_DESCRIPTION - 1).join('')}…` : description,
    url,
    siteName: sources.site.name,
    image,
    imageAlt: `${stream.title}, a stream by ${host}`,
  };
}

export function genericPreview(url: string, { site }: Pick<PreviewSources, 'site'>): LinkPreview {
  return {
    title: site.name,
    description: site.about || 'Live streams on Nostr',
    url,
    siteName: site.name,
    ...(site.picture && { image: site.picture, imageAlt: site.name }),
  };
}

function doing(stream: Stream): string {
  switch (stream.status) {
    case 'live':
    case 'reconnecting':
      return 'is live';
    case 'ended':
      return 'streamed';
    default:
      return 'goes live soon';
  }
}

async function ourStreamAt(pathname: string, sources: PreviewSources): Promise<Stream | undefined> {
  const [, area, key = '', ...rest] = pathname.split('/');
  if (rest.length > 0) return undefined;
  if (area === 's') return STREAM_ID_PATTERN.test(key) ? sources.find(key) : undefined;
  const address = decodeLiveEventAddress(key);
  if (!address.ok || !STREAM_ID_PATTERN.test(address.value.coordinate.identifier)) return undefined;
  const stream = await sources.find(address.value.coordinate.identifier);
  // Our id under another key is someone else's event, not this stream.
  return stream && sources.eventAuthor(stream) === address.value.coordinate.pubkey ? stream : undefined;
}

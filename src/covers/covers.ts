import type { Stream } from '../streams/stream.js';
import { CoverCards, type CoverCard } from './cover-cards.js';
import type { Profiles } from './profiles.js';

/** Where a stream's generated card is served. */
export const coverCardPath = (streamId: string) => `/api/v1/streams/${streamId}/cover.png`;

/**
 * An audio stream's picture, which its JSON (`thumbnail_url`) and its 30311 (`image`,
 * `thumbnail`) show: the streamer's upload, else their kind 0 picture, else a card drawn
 * with the title. Never the live thumbnail: an audio ladder has no picture to take it from.
 * A video stream has no cover here; its live thumbnail is its picture.
 *
 *   const covers = new Covers(profiles, cards, config.publicUrl);
 *   await covers.urlFor(stream)   // 'https://…/upload.jpg', a kind 0 picture, or '…/cover.png'
 */
export class Covers {
  constructor(
    private readonly profiles: Profiles,
    private readonly cards: CoverCards,
    private readonly publicUrl: string,
  ) {}

  async urlFor(stream: Stream): Promise<string | null> {
    if (stream.streamType !== 'audio') return null;
    if (stream.imageUrl) return stream.imageUrl;
    return (await this.profiles.get(stream.pubkey)).picture ?? `${this.publicUrl}${coverCardPath(stream.id)}`;
  }

  /** The generated card of any stream (its URL is given only for audio streams without a picture). */
  async card(stream: Stream): Promise<CoverCard> {
    const host = (await this.profiles.get(stream.pubkey)).name;
    return this.cards.card({ streamId: stream.id, title: stream.title, host });
  }
}

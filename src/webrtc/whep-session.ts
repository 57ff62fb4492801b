import { randomBytes } from 'node:crypto';
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters } from 'werift';
import { ENCODED_AVC } from '../media/ladder.js';
import type { FeedFragment, MediaFeeds } from '../packager/media-feeds.js';
import { FeedTrack } from './feed-track.js';
import { OPUS_FEED } from './realtime-feeds.js';

/** How long ICE may stay disconnected before the viewer is taken as gone. */
const DISCONNECTED_GRACE_MS = 5_000;
/**
 * A browser reports reception (RTCP) about every second; a tab closed without DELETE goes quiet
 * at once, long before ICE consent gives up on it (about 30 s in werift).
 */
const SILENT_VIEWER_MS = 6_000;
/** Host candidates are gathered in milliseconds; this bounds a machine with a stuck interface. */
const GATHERING_LIMIT_MS = 5_000;

/** The offer is not one werift can answer (no media, no H.264 or Opus, malformed). */
export class OfferRefused extends Error {}

export interface WhepSessionOptions {
  readonly feeds: MediaFeeds;
  readonly streamId: string;
  /** The rendition the picture comes from; undefined sends sound only. */
  readonly videoFeed: string | undefined;
  readonly offer: string;
  /** Called once, however the session ends (DELETE, ICE failure, the feed's end). */
  readonly onClose: (session: WhepSession) => void;
}

/** The rendition's H.264 as the ladder encodes it (ENCODED_AVC), passed through as it is. */
const VIDEO_CODEC = () =>
  new RTCRtpCodecParameters({
    mimeType: 'video/H264',
    clockRate: 90_000,
    rtcpFeedback: [{ type: 'nack' }],
    parameters: `profile-level-id=${ENCODED_AVC.codecs.slice('avc1.'.length)};packetization-mode=1;level-asymmetry-allowed=1`,
  });
const AUDIO_CODEC = () => new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48_000, channels: 2 });

/**
 * One real-time viewer: a sendonly peer connection carrying a stream's feeds, answered without
 * trickle ICE (the answer holds every host candidate), closed on DELETE, ICE failure or a long
 * disconnect, and when the stream's feeds end.
 *
 *   const session = await WhepSession.answer({ feeds, streamId, videoFeed: '720p', offer, onClose });
 *   reply.code(201).send(session.answer);
 */
export class WhepSession {
  readonly id = randomBytes(12).toString('base64url');
  private closed = false;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private lastHeardAt = Date.now();
  private readonly stops: (() => void)[] = [];

  private constructor(
    private readonly options: WhepSessionOptions,
    private readonly peer: RTCPeerConnection,
    readonly answer: string,
  ) {}

  static async answer(options: WhepSessionOptions): Promise<WhepSession> {
    const peer = new RTCPeerConnection({ codecs: { video: [VIDEO_CODEC()], audio: [AUDIO_CODEC()] } });
    try {
      return await WhepSession.negotiate(options, peer);
    } catch (error) {
      await peer.close();
      throw error;
    }
  }

  private static async negotiate(options: WhepSessionOptions, peer: RTCPeerConnection): Promise<WhepSession> {
    try {
      await peer.setRemoteDescription({ type: 'offer', sdp: options.offer });
    } catch (error) {
      throw new OfferRefused(error instanceof Error ? error.message : String(error));
    }
    const kinds = new Set<'video' | 'audio'>();
    const feeds: { name: string; track: FeedTrack }[] = [];
    for (const transceiver of peer.getTransceivers()) {
      const kind = transceiver.kind === 'video' ? 'video' : transceiver.kind === 'audio' ? 'audio' : undefined;
      if (!kind || kinds.has(kind)) continue;
      kinds.add(kind);
      const output = new MediaStreamTrack({ kind });
      await transceiver.sender.replaceTrack(output);
      transceiver.setDirection('sendonly');
      const track = new FeedTrack(kind, output);
      const name = kind === 'video' ? options.videoFeed : OPUS_FEED;
      if (name !== undefined) feeds.push({ name, track });
    }
    if (feeds.length === 0) throw new OfferRefused('the offer has no audio or video this stream can send (H.264, Opus)');
    await peer.setLocalDescription(await peer.createAnswer());
    await gatheringComplete(peer);
    const sdp = peer.localDescription?.sdp;
    if (!sdp) throw new Error('werift produced no local description');
    const session = new WhepSession(options, peer, sdp);
    session.follow(feeds);
    return session;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    clearInterval(this.silenceTimer);
    for (const stop of this.stops) stop();
    this.options.onClose(this);
    await this.peer.close();
  }

  private follow(feeds: readonly { name: string; track: FeedTrack }[]): void {
    const { feeds: source, streamId } = this.options;
    for (const { name, track } of feeds) {
      // Nothing is sent before DTLS is up: the viewer then starts on the next keyframe.
      const send = (fragment: FeedFragment) => {
        if (this.peer.connectionState === 'connected') track.send(fragment);
      };
      this.stops.push(source.subscribe(streamId, name, send, () => void this.close()));
    }
    const { unSubscribe } = this.peer.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') void this.close();
      if (state === 'disconnected') this.disconnectTimer ??= setTimeout(() => void this.close(), DISCONNECTED_GRACE_MS);
      if (state === 'connected') {
        clearTimeout(this.disconnectTimer);
        this.disconnectTimer = undefined;
      }
    });
    this.stops.push(unSubscribe);
    for (const sender of this.peer.getSenders()) this.stops.push(sender.onRtcp.subscribe(() => (this.lastHeardAt = Date.now())).unSubscribe);
    this.silenceTimer = setInterval(() => {
      if (Date.now() - this.lastHeardAt > SILENT_VIEWER_MS) void this.close();
    }, 1_000);
  }
}

function gatheringComplete(peer: RTCPeerConnection): Promise<void> {
  if (peer.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unSubscribe();
      reject(new Error(`ICE gathering did not complete within ${GATHERING_LIMIT_MS} ms`));
    }, GATHERING_LIMIT_MS);
    const { unSubscribe } = peer.iceGatheringStateChange.subscribe((state) => {
      if (state !== 'complete') return;
      clearTimeout(timer);
      unSubscribe();
      resolve();
    });
  });
}

import type { RenditionPlan } from '../media/ladder.js';

/** The MediaFeeds name of the stream's Opus audio, an extra ffmpeg output beside the HLS ladder. */
export const OPUS_FEED = 'opus';

/**
 * The rendition real-time viewers watch: the highest one encoded here, because x264 runs with
 * `-tune zerolatency` (no B-frames, which WebRTC cannot carry in order) and the ENCODED_AVC
 * profile the SDP announces; a copied source may have B-frames and any profile. Undefined for a
 * sound-only ladder: real-time viewers then get the audio alone.
 *
 *   const video = realtimeVideoFeed(planLadder(source, quality));   // '720p'
 */
export function realtimeVideoFeed(plans: readonly RenditionPlan[]): string | undefined {
  const encoded = plans.filter((plan) => plan.video === 'encode');
  return encoded.reduce<RenditionPlan | undefined>((best, plan) => (best && best.height >= plan.height ? best : plan), undefined)?.name;
}

/**
 * The ffmpeg output that gives the stream its Opus feed on pipe `fd`: WebRTC has no AAC. Opus in
 * fragmented MP4 (Debian's ffmpeg 5.1 writes it), one fragment per 100 ms so audio does not wait
 * for a video keyframe; the packager publishes what comes out under OPUS_FEED.
 *
 *   liveArgs(plans, { …, extraOutputs: (fd) => realtimeAudioOutput(fd) })
 */
export function realtimeAudioOutput(fd: number): string[] {
  return [
    '-map', '0:a:0',
    '-c:a', 'libopus', '-b:a', '96k', '-ar', '48000', '-ac', '2',
    // Packets of 20 ms: what browsers expect and well under one RTP packet.
    '-frame_duration', '20', '-application', 'lowdelay',
    '-f', 'mp4',
    '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer',
    '-frag_duration', '100000',
    '-flush_packets', '1',
    `pipe:${fd}`,
  ];
}

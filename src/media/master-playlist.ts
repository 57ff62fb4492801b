import { RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import type { RenditionPlan } from './ladder.js';

/**
 * The multivariant playlist, written by us rather than ffmpeg because ffmpeg 5.1 leaves
 * out FRAME-RATE. The source comes first: players start with the first variant.
 *
 *   await store.writeLive(streamId, MASTER_PLAYLIST, masterPlaylist(plans, 30));
 */
export function masterPlaylist(plans: readonly RenditionPlan[], fps: number | null): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const plan of plans) {
    const average = (plan.videoKbps + plan.audioKbps) * 1000;
    // Peak: encoders are capped at 1.1× their target; a copied source may burst more.
    const copied = plan.video === 'none' ? plan.audio === 'copy' : plan.video === 'copy';
    const peak = Math.round(average * (copied ? 1.5 : 1.1));
    // Sound only: no RESOLUTION or FRAME-RATE, which would tell players there is a picture.
    const picture = plan.video === 'none' ? [] : [`RESOLUTION=${plan.width}x${plan.height}`, ...(fps ? [`FRAME-RATE=${fps.toFixed(3)}`] : [])];
    const attributes = [
      `BANDWIDTH=${peak}`,
      `AVERAGE-BANDWIDTH=${average}`,
      ...picture,
      `CODECS="${plan.codecs}"`,
      `NAME="${plan.name}"`,
    ];
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, `${plan.name}/${RENDITION_PLAYLIST}`);
  }
  return `${lines.join('\n')}\n`;
}

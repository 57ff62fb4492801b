import { describe, expect, it } from 'vitest';
import { liveArgs } from './ffmpeg-args.js';
import { planLadder } from './ladder.js';

const plans = planLadder(
  {
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 1280,
    height: 720,
    fps: 30,
    audioSampleRate: 48_000,
    avcCodecs: 'avc1.64001f',
    bitrateKbps: 2500,
    keyframeIntervalSeconds: 2,
    hasAudio: true,
  },
  '360p',
);

/** The recording output's playlist and segment pattern: the last two paths of the command. */
function recordingFiles(part: number) {
  const args = liveArgs(plans, {
    outputDir: '/data/hls/s',
    preset: 'veryfast',
    continuation: true,
    hasAudio: true,
    recording: { dir: '/data/vod/s', part },
  });
  const segments = args[args.lastIndexOf('-hls_segment_filename') + 1];
  return { args, playlist: args.at(-1), segments };
}

describe('the recording in the ladder command', () => {
  it('gives each ffmpeg run files of its own, so a run stopped early cannot overwrite an earlier one', () => {
    const first = recordingFiles(0);
    const afterResume = recordingFiles(1);
    expect(first.playlist).toBe('/data/vod/s/part_000.m3u8');
    expect(first.segments).toBe('/data/vod/s/part_000_%05d.ts');
    expect(afterResume.playlist).toBe('/data/vod/s/part_001.m3u8');
    expect(afterResume.segments).toBe('/data/vod/s/part_001_%05d.ts');
  });

  it('never continues the recording with append_list, even when the live playlists are continued', () => {
    const { args } = recordingFiles(3);
    const recordingFlags = args[args.lastIndexOf('-hls_flags') + 1];
    expect(recordingFlags).not.toContain('append_list');
    // The live ladder itself does continue its playlists after a pause or reconnect.
    expect(args[args.indexOf('-hls_flags') + 1]).toContain('append_list');
  });
});

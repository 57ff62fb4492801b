import { describe, expect, it } from 'vitest';
import { liveArgs, slateArgs } from './ffmpeg-args.js';
import { planAudioLadder, planLadder } from './ladder.js';

const plans = planLadder(
  {
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 1280,
    height: 720,
    fps: 30,
    audioSampleRate: 48_000,
    audioProfile: 'LC',
    audioKbps: 128,
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

describe('the command for a stream with sound only', () => {
  const audioPlans = (audioCodec: string) =>
    planAudioLadder({
      videoCodec: null, audioCodec, width: null, height: null, fps: null, audioSampleRate: 48_000, audioProfile: audioCodec === 'aac' ? 'LC' : null,
      audioKbps: 128, avcCodecs: null, bitrateKbps: 128, keyframeIntervalSeconds: null, hasAudio: true,
    });
  const output = { outputDir: '/data/hls/s', preset: 'veryfast', continuation: false, hasAudio: true } as const;
  const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  it('maps the sound twice, copying AAC-LC and encoding 64 kbit/s, and records the copy', () => {
    const args = liveArgs(audioPlans('aac'), { ...output, recording: { dir: '/data/vod/s', part: 0 } });
    expect(args.join(' ')).not.toMatch(/0:v|libx264|force_key_frames|filter_complex/);
    expect(valueOf(args, '-c:a:0')).toBe('copy');
    expect(args.slice(args.indexOf('-c:a:1'), args.indexOf('-c:a:1') + 4)).toEqual(['-c:a:1', 'aac', '-b:a:1', '64k']);
    expect(valueOf(args, '-hls_time')).toBe('2');
    expect(valueOf(args, '-var_stream_map')).toBe('a:0,name:audio a:1,name:audio-64k');
    expect(args.slice(args.lastIndexOf('-map'), args.lastIndexOf('-map') + 4)).toEqual(['-map', '0:a:0', '-c:a', 'copy']);
  });

  it('re-encodes MP3 at 160 kbit/s', () => {
    const args = liveArgs(audioPlans('mp3'), output);
    expect(args.slice(args.indexOf('-c:a:0'), args.indexOf('-c:a:0') + 4)).toEqual(['-c:a:0', 'aac', '-b:a:0', '160k']);
  });

  it('pauses with silence in every rendition, and no picture', () => {
    const args = slateArgs(audioPlans('aac'), { ...output, continuation: true }, 30);
    expect(args.join(' ')).not.toMatch(/color=|0:v|libx264/);
    expect(valueOf(args, '-i')).toBe('anullsrc=r=48000:cl=stereo');
    expect(valueOf(args, '-c:a:0')).toBe('aac');
    expect(valueOf(args, '-hls_flags')).toContain('append_list');
  });
});

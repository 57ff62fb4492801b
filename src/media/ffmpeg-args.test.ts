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
  const args = liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: 316_667, recording: { dir: '/data/vod/s', part } });
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

  it('never continues the recording with append_list', () => {
    const { args } = recordingFiles(3);
    expect(args[args.lastIndexOf('-hls_flags') + 1]).not.toContain('append_list');
  });
});

describe('the ladder outputs', () => {
  const pipes = (args: string[]) => args.filter((arg) => arg.startsWith('pipe:'));

  it('writes each rendition as fragmented MP4 on its own pipe, from fd 3, in plan order, and extra outputs after them', () => {
    const args = liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: 316_667, extraOutputs: (fd) => ['-map', '0:a:0', '-c:a', 'libopus', '-f', 'mp4', `pipe:${fd}`] });
    expect(pipes(args)).toEqual(['pipe:0', ...plans.map((_plan, index) => `pipe:${3 + index}`), `pipe:${3 + plans.length}`]);
    const first = args.indexOf('pipe:3');
    expect(args.slice(first - 8, first)).toEqual(['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer', '-frag_duration', '316667', '-flush_packets', '1']);
    expect(args.join(' ')).not.toContain('-f hls -hls_time 2 -hls_list_size');
  });

  it('encodes every rendition but a copied source without B-frames, keyframes every 2 s', () => {
    const args = liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: 316_667 });
    const encoded = plans.filter((plan) => plan.video === 'encode').length;
    expect(args.filter((arg) => arg === 'zerolatency')).toHaveLength(encoded);
    expect(args.filter((arg) => arg === 'expr:gte(t,n_forced*2)')).toHaveLength(encoded);
  });
});

describe('the command for a stream with sound only', () => {
  const audioPlans = (audioCodec: string) =>
    planAudioLadder({
      videoCodec: null, audioCodec, width: null, height: null, fps: null, audioSampleRate: 48_000, audioProfile: audioCodec === 'aac' ? 'LC' : null,
      audioKbps: 128, avcCodecs: null, bitrateKbps: 128, keyframeIntervalSeconds: null, hasAudio: true,
    });
  const output = { preset: 'veryfast', hasAudio: true, fragmentMicros: 300_000 } as const;
  const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  it('maps the sound twice, copying AAC-LC and encoding 64 kbit/s, each on its pipe, and records the copy', () => {
    const args = liveArgs(audioPlans('aac'), { ...output, recording: { dir: '/data/vod/s', part: 0 } });
    expect(args.join(' ')).not.toMatch(/0:v|libx264|force_key_frames|filter_complex/);
    const first = args.indexOf('pipe:3');
    const second = args.indexOf('pipe:4');
    expect(args.slice(0, first)).toContain('copy');
    expect(args.slice(first, second).join(' ')).toContain('-c:a aac -b:a 64k');
    expect(valueOf(args, '-frag_duration')).toBe('300000');
    expect(args.slice(args.lastIndexOf('-map'), args.lastIndexOf('-map') + 4)).toEqual(['-map', '0:a:0', '-c:a', 'copy']);
  });

  it('re-encodes MP3 at 160 kbit/s', () => {
    const args = liveArgs(audioPlans('mp3'), output);
    expect(args.slice(args.indexOf('-c:a'), args.indexOf('-c:a') + 4)).toEqual(['-c:a', 'aac', '-b:a', '160k']);
  });

  it('pauses with silence in every rendition, and no picture', () => {
    const args = slateArgs(audioPlans('aac'), output, 30);
    expect(args.join(' ')).not.toMatch(/color=|0:v|libx264/);
    expect(valueOf(args, '-i')).toBe('anullsrc=r=48000:cl=stereo');
    expect(valueOf(args, '-c:a')).toBe('aac');
    expect(args.filter((arg) => arg.startsWith('pipe:'))).toEqual(['pipe:3', 'pipe:4']);
  });
});

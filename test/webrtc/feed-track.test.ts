import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { H264RtpPayload, OpusRtpPayload, parseAvcDecoderConfigurationRecord, type RtpPacket } from 'werift';
import { readFragments, type Fragment } from '../../src/packager/fragment-stream.js';
import type { FeedFragment } from '../../src/packager/media-feeds.js';
import { FeedTrack } from '../../src/webrtc/feed-track.js';
import { avcConfiguration, fragmentSamples } from '../../src/webrtc/fragment-samples.js';
import { realtimeAudioOutput } from '../../src/webrtc/realtime-feeds.js';

const FMP4 = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer', '-frag_duration', '100000', 'pipe:1'];

/** 2 s of 30 fps H.264 as the ladder's encoded rendition writes it, keyframe each second, with AAC beside it. */
function encodeVideo(): Buffer {
  return ffmpeg([
    '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '2',
    '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-level:v', '3.1',
    '-pix_fmt', 'yuv420p', '-g', '30', '-sc_threshold', '0', '-c:a', 'aac', ...FMP4,
  ]);
}

/** 1 s of the Opus feed, written with realtimeAudioOutput's own arguments. */
function encodeOpus(): Buffer {
  return ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '1', ...realtimeAudioOutput(1)]);
}

function ffmpeg(args: string[]): Buffer {
  const result = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return result.stdout;
}

async function fragmentsOf(bytes: Buffer): Promise<Fragment[]> {
  const fragments: Fragment[] = [];
  for await (const item of readFragments(Readable.from([bytes]))) if (item.kind === 'fragment') fragments.push(item);
  return fragments;
}

const asFeed = (fragment: Fragment, run = 1): FeedFragment => ({ ...fragment, init: fragment.init.init, tracks: fragment.init.tracks, run });

/** Splits an AVCC sample into its NAL units, failing when the lengths do not add up to the sample. */
function nalUnits(sample: Buffer): Buffer[] {
  const units: Buffer[] = [];
  for (let offset = 0; offset < sample.length; ) {
    const length = sample.readUInt32BE(offset);
    expect(offset + 4 + length).toBeLessThanOrEqual(sample.length);
    units.push(sample.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return units;
}

/** Reassembles access units from RTP (single NAL, STAP-A, FU-A), one per marker. */
function accessUnits(packets: readonly RtpPacket[]): { timestamp: number; nals: Buffer[] }[] {
  const units: { timestamp: number; nals: Buffer[] }[] = [];
  let current: Buffer[] = [];
  let fragment: Buffer | undefined;
  for (const packet of packets) {
    const payload = packet.payload;
    const type = payload[0]! & 0x1f;
    if (type === 24) {
      for (let offset = 1; offset < payload.length; ) {
        const size = payload.readUInt16BE(offset);
        current.push(payload.subarray(offset + 2, offset + 2 + size));
        offset += 2 + size;
      }
    } else if (type === 28) {
      const header = payload[1]!;
      const start = (header & 0x80) !== 0;
      const end = (header & 0x40) !== 0;
      const body = payload.subarray(2);
      fragment = start ? Buffer.concat([Buffer.from([(payload[0]! & 0xe0) | (header & 0x1f)]), body]) : Buffer.concat([fragment!, body]);
      if (end) {
        current.push(fragment);
        fragment = undefined;
      }
    } else {
      current.push(payload);
    }
    expect(payload.length).toBeLessThanOrEqual(1200);
    if (packet.header.marker) {
      units.push({ timestamp: packet.header.timestamp, nals: current });
      current = [];
    }
  }
  return units;
}

describe('fragmentSamples', () => {
  it('cuts every picture of ffmpeg fMP4 out of its mdat, keyframe each second, in decode order', async () => {
    const fragments = await fragmentsOf(encodeVideo());
    const video = fragments[0]!.init.tracks.find((track) => track.kind === 'video')!;
    const samples = fragments.flatMap((fragment) => fragmentSamples(fragment.moof, fragment.mdat, video));
    expect(samples).toHaveLength(60);
    expect(samples.filter((sample) => sample.sync).map((sample) => samples.indexOf(sample))).toEqual([0, 30]);
    for (const [index, sample] of samples.entries()) {
      // Back to back; ffmpeg stretches the first picture over the sound's priming, the rest are 1/30 s.
      if (index > 0) expect(sample.decodeTime).toBe(samples[index - 1]!.decodeTime + samples[index - 1]!.duration);
      if (index > 0 && index < samples.length - 1) expect(sample.duration).toBe(video.timescale / 30);
      const types = nalUnits(sample.data).map((nal) => nal[0]! & 0x1f);
      // Every picture holds a slice: an IDR one exactly when the trun says sync.
      expect(types.includes(5)).toBe(sample.sync);
      expect(types.some((type) => type === 1 || type === 5)).toBe(true);
    }
  });

  it('finds the SPS and PPS of the Main 3.1 profile the SDP announces in the init segment', async () => {
    const [first] = await fragmentsOf(encodeVideo());
    const video = first!.init.tracks.find((track) => track.kind === 'video')!;
    const avc = parseAvcDecoderConfigurationRecord(avcConfiguration(first!.init.init, video.id));
    expect(avc.naluLengthSize).toBe(4);
    expect(avc.sps[0]!.subarray(1, 4).toString('hex')).toBe('4d401f');
    expect(avc.pps).toHaveLength(1);
  });
});

describe('FeedTrack', () => {
  it('sends H.264 as RFC 6184 RTP: one marker per picture, 90 kHz, SPS and PPS before each IDR, NALs intact', async () => {
    const fragments = await fragmentsOf(encodeVideo());
    const packets: RtpPacket[] = [];
    const track = new FeedTrack('video', { writeRtp: (packet) => void packets.push(packet as RtpPacket) });
    // A viewer joining mid-GOP: the second fragment does not start on a keyframe and is skipped.
    const joined = fragments.slice(1);
    for (const fragment of joined) track.send(asFeed(fragment));
    const video = fragments[0]!.init.tracks.find((candidate) => candidate.kind === 'video')!;
    const sent = joined.flatMap((fragment) => fragmentSamples(fragment.moof, fragment.mdat, video)).filter((_, index, all) => index >= all.findIndex((sample) => sample.sync));
    const units = accessUnits(packets);
    expect(units).toHaveLength(sent.length);
    expect(units.length).toBeGreaterThan(20);
    const sequence = packets.map((packet) => packet.header.sequenceNumber);
    expect(sequence.every((number, index) => index === 0 || number === ((sequence[index - 1]! + 1) & 0xffff))).toBe(true);
    for (const [index, unit] of units.entries()) {
      expect((unit.timestamp - units[0]!.timestamp) >>> 0).toBe(index * 3000);
      const original = nalUnits(sent[index]!.data);
      const types = unit.nals.map((nal) => nal[0]! & 0x1f);
      if (sent[index]!.sync) expect(types.slice(0, 2)).toEqual([7, 8]);
      // Parameter sets added, the picture's own NALs byte for byte.
      expect(unit.nals.slice(unit.nals.length - original.length)).toEqual(original);
    }
    expect(H264RtpPayload.deSerialize(packets[0]!.payload).isKeyframe || (packets[0]!.payload[0]! & 0x1f) === 24).toBe(true);
  });

  it('keeps RTP time going forward when ffmpeg starts a new run at zero', async () => {
    const fragments = await fragmentsOf(encodeVideo());
    const packets: RtpPacket[] = [];
    const track = new FeedTrack('video', { writeRtp: (packet) => void packets.push(packet as RtpPacket) });
    for (const fragment of fragments) track.send(asFeed(fragment, 1));
    const endOfFirstRun = packets.at(-1)!.header.timestamp;
    const count = packets.length;
    for (const fragment of fragments) track.send(asFeed(fragment, 2));
    expect((packets[count]!.header.timestamp - endOfFirstRun) >>> 0).toBe(3000);
    expect(packets[count]!.header.sequenceNumber).toBe((packets[count - 1]!.header.sequenceNumber + 1) & 0xffff);
  });

  it('sends the Opus feed one packet per 20 ms sample at 48 kHz', async () => {
    const fragments = await fragmentsOf(encodeOpus());
    expect(fragments[0]!.init.tracks.map((track) => track.kind)).toEqual(['audio']);
    const packets: RtpPacket[] = [];
    const track = new FeedTrack('audio', { writeRtp: (packet) => void packets.push(packet as RtpPacket) });
    for (const fragment of fragments) track.send(asFeed(fragment));
    const audio = fragments[0]!.init.tracks[0]!;
    const samples = fragments.flatMap((fragment) => fragmentSamples(fragment.moof, fragment.mdat, audio));
    expect(packets).toHaveLength(samples.length);
    expect(packets.length).toBeGreaterThanOrEqual(49);
    for (const [index, packet] of packets.entries()) {
      expect(OpusRtpPayload.deSerialize(packet.payload).payload).toEqual(samples[index]!.data);
      if (index > 0) expect((packet.header.timestamp - packets[index - 1]!.header.timestamp) >>> 0).toBe(960);
    }
  });
});

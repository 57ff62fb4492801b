import { BitReader } from './bit-reader.js';

/**
 * What an AAC AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1, the body of an FLV "AAC
 * sequence header") says about the audio.
 *
 *   const config = parseAudioSpecificConfig(tagData.subarray(2));
 *   // { profile: 'LC', sampleRate: 48000, channels: 1 }
 */
export interface AacConfig {
  readonly profile: string;
  readonly sampleRate: number | null;
  /** null when the channel layout is given by a program config element instead. */
  readonly channels: number | null;
}

const SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const PROFILES: Record<number, string> = {
  1: 'Main',
  2: 'LC',
  3: 'SSR',
  4: 'LTP',
  5: 'HE-AAC',
  23: 'LD',
  29: 'HE-AACv2',
  39: 'ELD',
};
/** Channel configurations 1–7 (7 is 7.1: eight channels). */
const CHANNELS = [null, 1, 2, 3, 4, 5, 6, 8];
const SBR = 5;
const PS = 29;

/** null when the config is too short to read. */
export function parseAudioSpecificConfig(data: Buffer): AacConfig | null {
  try {
    const bits = new BitReader(data);
    const objectType = readObjectType(bits);
    let sampleRate = readSampleRate(bits);
    const channelConfig = bits.u(4);
    // Explicit HE-AAC signalling: the rate heard is the SBR extension's, not the core's.
    if (objectType === SBR || objectType === PS) sampleRate = readSampleRate(bits);
    return {
      profile: PROFILES[objectType] ?? `object type ${objectType}`,
      sampleRate,
      channels: CHANNELS[channelConfig] ?? null,
    };
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function readObjectType(bits: BitReader): number {
  const type = bits.u(5);
  return type === 31 ? 32 + bits.u(6) : type;
}

function readSampleRate(bits: BitReader): number | null {
  const index = bits.u(4);
  return index === 15 ? bits.u(24) : (SAMPLE_RATES[index] ?? null);
}

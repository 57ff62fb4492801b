import { describe, expect, it } from 'vitest';
import { parseAudioSpecificConfig } from './aac.js';

describe('parseAudioSpecificConfig', () => {
  it.each([
    ['1188', { profile: 'LC', sampleRate: 48000, channels: 1 }],
    ['1210', { profile: 'LC', sampleRate: 44100, channels: 2 }],
    ['1190', { profile: 'LC', sampleRate: 48000, channels: 2 }],
    // HE-AAC signalled explicitly: 24 kHz core, 48 kHz with SBR.
    ['2b1188', { profile: 'HE-AAC', sampleRate: 48000, channels: 2 }],
    // Escape values: object type 31+6 bits, frequency index 15 + 24 bits.
    ['f81e0007d020', { profile: 'object type 32', sampleRate: 1000, channels: 1 }],
  ])('reads %s', (hex, expected) => {
    expect(parseAudioSpecificConfig(Buffer.from(hex, 'hex'))).toEqual(expected);
  });

  it('answers null when the config is cut short', () => {
    expect(parseAudioSpecificConfig(Buffer.from([0x11]))).toBeNull();
  });
});

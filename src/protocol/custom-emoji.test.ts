import { describe, expect, it } from 'vitest';
import { emojiTags, parseEmojiTags, splitEmoji } from './custom-emoji.js';

const wave = { shortcode: 'wave', url: 'https://example.com/wave.png' };

describe('NIP-30 custom emoji', () => {
  it('keeps http(s) pictures with valid shortcodes, first one wins', () => {
    expect(
      parseEmojiTags([
        ['emoji', 'wave', 'https://example.com/wave.png'],
        ['emoji', 'wave', 'https://example.com/other.png'],
        ['emoji', 'bad code', 'https://example.com/x.png'],
        ['emoji', 'js', 'javascript:alert(1)'],
        ['emoji', 'data', 'data:image/png;base64,AAAA'],
        ['emoji', 'short'],
        ['p', 'wave', 'https://example.com/wave.png'],
      ]),
    ).toEqual([wave]);
  });

  it('round-trips through tags', () => {
    expect(parseEmojiTags(emojiTags([wave]))).toEqual([wave]);
  });

  it('cuts the text at known shortcodes only', () => {
    expect(splitEmoji('hi :wave: and :nope: :wave:', [wave])).toEqual(['hi ', wave, ' and :nope: ', wave]);
    expect(splitEmoji(':wave:', [wave])).toEqual([wave]);
    expect(splitEmoji('no emoji :wave:', [])).toEqual(['no emoji :wave:']);
  });
});

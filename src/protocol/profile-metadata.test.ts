import { describe, expect, it } from 'vitest';
import { metadataFields, parseProfileMetadata } from './profile-metadata.js';

describe('parseProfileMetadata', () => {
  it('keeps the known fields that are non-empty strings, trimmed, and nothing else', () => {
    expect(parseProfileMetadata('{"name":" DJ ","display_name":"","picture":42,"lud16":"dj@wallet.example","website":"x"}')).toEqual({
      name: 'DJ',
      lud16: 'dj@wallet.example',
    });
  });

  it('answers null for content that is not a JSON object, and metadataFields keeps unknown fields', () => {
    for (const content of ['not json', '[1,2]', 'null', '"name"']) expect(parseProfileMetadata(content)).toBeNull();
    expect(metadataFields('{"website":"https://dj.example","name":"DJ"}')).toEqual({ website: 'https://dj.example', name: 'DJ' });
  });
});

import { describe, expect, it } from 'vitest';
import { encodeAmf0, Amf0EcmaArray } from './amf0.js';
import { FlvTagType, aggregateTags, encodeFlvHeader, encodeFlvTag, scriptTagBody } from './flv.js';

describe('FLV writing', () => {
  it('writes the file header with audio and video flagged and PreviousTagSize0', () => {
    expect(encodeFlvHeader().toString('hex')).toBe('464c5601' + '05' + '00000009' + '00000000');
  });

  it('writes a tag: header, untouched body, back pointer', () => {
    const tag = encodeFlvTag(FlvTagType.Video, 0x000102, Buffer.from('abc'));
    expect(tag.toString('hex')).toBe('09' + '000003' + '000102' + '00' + '000000' + '616263' + '0000000e');
  });

  it('puts timestamp bits 24–31 in the TimestampExtended byte', () => {
    const tag = encodeFlvTag(FlvTagType.Audio, 0x12345678, Buffer.alloc(1));
    expect(tag.subarray(4, 8).toString('hex')).toBe('345678' + '12');
  });
});

describe('scriptTagBody', () => {
  const metadata = encodeAmf0('onMetaData', new Amf0EcmaArray({ width: 640 }));

  it('drops @setDataFrame and keeps the rest byte for byte', () => {
    expect(scriptTagBody(Buffer.concat([encodeAmf0('@setDataFrame'), metadata]))).toEqual(metadata);
  });

  it('passes a bare onMetaData through', () => {
    expect(scriptTagBody(metadata)).toEqual(metadata);
  });

  it('ignores other data messages and garbage', () => {
    expect(scriptTagBody(encodeAmf0('onCuePoint', {}))).toBeNull();
    expect(scriptTagBody(encodeAmf0('@setDataFrame', 'onTextData', {}))).toBeNull();
    expect(scriptTagBody(Buffer.from([0x02, 0xff, 0xff]))).toBeNull();
    expect(scriptTagBody(Buffer.alloc(0))).toBeNull();
  });
});

describe('aggregateTags', () => {
  it('splits an aggregate into its tags, re-based on the message timestamp', () => {
    const payload = Buffer.concat([
      encodeFlvTag(FlvTagType.Audio, 5000, Buffer.from('a1')),
      encodeFlvTag(FlvTagType.Video, 5040, Buffer.from('v1')),
      encodeFlvTag(FlvTagType.Audio, 0x01000000 + 5000, Buffer.from('a2')),
    ]);
    const tags = aggregateTags(payload, 100);
    expect(tags.map((tag) => [tag.type, tag.timestamp, tag.data.toString()])).toEqual([
      [FlvTagType.Audio, 100, 'a1'],
      [FlvTagType.Video, 140, 'v1'],
      [FlvTagType.Audio, 100 + 0x01000000, 'a2'],
    ]);
  });

  it('stops at a truncated tag', () => {
    const payload = encodeFlvTag(FlvTagType.Audio, 0, Buffer.from('abc'));
    expect(aggregateTags(payload.subarray(0, 12), 0)).toEqual([]);
  });
});

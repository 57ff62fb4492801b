import { describe, expect, it } from 'vitest';
import { Amf0EcmaArray, Amf0Error, amf0Properties, decodeAmf0, encodeAmf0, type Amf0Value } from './amf0.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('AMF0 known byte vectors', () => {
  const vectors: [string, Amf0Value, string][] = [
    ['number 1', 1, '00 3ff0000000000000'],
    ['number -2.5', -2.5, '00 c004000000000000'],
    ['boolean true', true, '01 01'],
    ['boolean false', false, '01 00'],
    ['string', 'connect', '02 0007 636f6e6e656374'],
    ['empty string', '', '02 0000'],
    ['UTF-8 string', 'é', '02 0002 c3a9'],
    ['null', null, '05'],
    ['undefined', undefined, '06'],
    ['object', { app: 'live', n: 0 }, '03 0003 617070 02 0004 6c697665 0001 6e 00 0000000000000000 000009'],
    ['empty object', {}, '03 000009'],
    ['ECMA array', new Amf0EcmaArray({ a: 'b' }), '08 00000001 0001 61 02 0001 62 000009'],
    ['strict array', [1, 'x'], '0a 00000002 00 3ff0000000000000 02 0001 78'],
    ['date', new Date(Date.UTC(2024, 0, 1)), '0b 4278cc251f400000 0000'],
  ];

  for (const [name, value, bytes] of vectors) {
    it(`${name}: encodes to and decodes from ${bytes}`, () => {
      expect(encodeAmf0(value).toString('hex')).toBe(hex(bytes).toString('hex'));
      expect(decodeAmf0(hex(bytes))).toEqual([value]);
    });
  }

  it('writes a string past 65535 bytes as a long string (0x0c, 32-bit length)', () => {
    const long = 'a'.repeat(70_000);
    const encoded = encodeAmf0(long);
    expect(encoded.subarray(0, 5).toString('hex')).toBe('0c00011170');
    expect(encoded.length).toBe(5 + 70_000);
    expect(decodeAmf0(encoded)).toEqual([long]);
  });

  it('decodes the connect command ffmpeg sends', () => {
    const payload = encodeAmf0('connect', 1, {
      app: 'live',
      type: 'nonprivate',
      flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)',
      tcUrl: 'rtmp://127.0.0.1:1935/live',
    });
    const [name, transactionId, object] = decodeAmf0(payload);
    expect(name).toBe('connect');
    expect(transactionId).toBe(1);
    expect(amf0Properties(object ?? null)?.['app']).toBe('live');
  });
});

describe('AMF0 round trips', () => {
  it('keeps nested values, an ECMA array and several values in a row', () => {
    const values: Amf0Value[] = [
      'onMetaData',
      new Amf0EcmaArray({
        width: 640,
        height: 360,
        encoder: 'Lavf59.27.100',
        stereo: false,
        nested: { list: [1, null, undefined, 'three', { deep: true }] },
        when: new Date(1_700_000_000_000),
      }),
      null,
      undefined,
      Number.NaN,
      -0,
      Number.MAX_SAFE_INTEGER,
    ];
    expect(decodeAmf0(encodeAmf0(...values))).toEqual(values);
  });
});

describe('AMF0 decoding edge cases', () => {
  it('reads a typed object as a plain object', () => {
    expect(decodeAmf0(hex('10 0003 466f6f 0001 61 01 01 000009'))).toEqual([{ a: true }]);
  });

  it('reads the unsupported marker as undefined and XML as its text', () => {
    expect(decodeAmf0(hex('0d 0f 00000002 3c61'))).toEqual([undefined, '<a']);
  });

  it('accepts an ECMA array that ends with the payload instead of the end marker', () => {
    expect(decodeAmf0(hex('08 00000001 0001 61 01 01'))).toEqual([new Amf0EcmaArray({ a: true })]);
  });

  it('keeps a "__proto__" key as data', () => {
    const [value] = decodeAmf0(hex('03 0009 5f5f70726f746f5f5f 01 01 000009'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
  });

  it.each([
    ['a truncated number', '00 3ff0'],
    ['a truncated string', '02 0005 6162'],
    ['an unknown marker', '42'],
    ['a reference', '07 0001'],
    ['an AMF3 value', '11 02'],
    ['a strict array claiming more items than bytes', '0a 7fffffff 05'],
  ])('refuses %s with Amf0Error', (_name, bytes) => {
    expect(() => decodeAmf0(hex(bytes))).toThrow(Amf0Error);
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    const nested = Buffer.concat(Array.from({ length: 1000 }, () => hex('0a 00000001')));
    expect(() => decodeAmf0(Buffer.concat([nested, hex('05')]))).toThrow(/nested too deeply/);
  });
});

describe('amf0Properties', () => {
  it('reads objects and ECMA arrays, and nothing else', () => {
    expect(amf0Properties({ a: 1 })).toEqual({ a: 1 });
    expect(amf0Properties(new Amf0EcmaArray({ b: 2 }))).toEqual({ b: 2 });
    for (const other of [null, undefined, 1, 'x', [1], new Date(0)]) expect(amf0Properties(other)).toBeUndefined();
  });
});

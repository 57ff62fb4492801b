import { describe, expect, it } from 'vitest';
import { countriesCsv, csvField, timelineCsv } from './analytics-csv';

describe('csvField', () => {
  it('leaves plain text and numbers alone', () => {
    expect(csvField('United States')).toBe('United States');
    expect(csvField(42)).toBe('42');
    expect(csvField(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('Korea, Republic of')).toBe('"Korea, Republic of"');
    expect(csvField('the "best" set')).toBe('"the ""best"" set"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@me')).toBe("'@me");
  });
});

describe('the analytics files', () => {
  it('writes the timeline with UTC times, seconds into the stream and an empty bitrate when none was measured', () => {
    const text = timelineCsv(
      [
        { timestamp: 1_800_000_000, viewers: 1, chatMessages: 0 },
        { timestamp: 1_800_000_010, viewers: 3, chatMessages: 2, bitrate: 2500 },
      ],
      1_799_999_990,
    );
    expect(text.split('\r\n')).toEqual([
      'time_utc,seconds_into_stream,viewers,chat_messages,bitrate_kbps',
      '2027-01-15T08:00:00.000Z,10,1,0,',
      '2027-01-15T08:00:10.000Z,20,3,2,2500',
      '',
    ]);
  });

  it('writes the countries with their names, a comma-holding name quoted', () => {
    const text = countriesCsv([
      { country: 'US', viewers: 2 },
      { country: 'KR', viewers: 1 },
      { country: 'ZZ', viewers: 1 },
    ]);
    expect(text).toBe('country_code,country,viewers\r\nUS,United States,2\r\nKR,South Korea,1\r\nZZ,Unknown,1\r\n');
  });
});

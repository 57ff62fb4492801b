import { describe, expect, it } from 'vitest';
import { openCountryLookup, UNKNOWN_COUNTRY } from './country-lookup.js';

describe('openCountryLookup', async () => {
  const countries = await openCountryLookup();

  it.each([
    ['8.8.8.8', 'US'],
    ['1.1.1.1', 'AU'],
    ['81.2.69.142', 'GB'],
    ['193.0.14.129', 'NL'],
    ['133.242.0.1', 'JP'],
  ])('finds %s in %s', (address, country) => {
    expect(countries.of(address)).toBe(country);
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 one', () => {
    expect(countries.of('::ffff:8.8.8.8')).toBe('US');
  });

  it('answers unknown for local, private and malformed addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '::1', 'unknown', '']) expect(countries.of(address)).toBe(UNKNOWN_COUNTRY);
  });
});

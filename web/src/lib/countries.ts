/** The code the service gives a viewer whose address was private or not in the GeoIP database. */
export const UNKNOWN_COUNTRY = 'ZZ';

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A country's English name from its ISO 3166 code (`US` → `United States`); `ZZ` is "Unknown". */
export function countryName(code: string): string {
  if (code === UNKNOWN_COUNTRY) return 'Unknown';
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

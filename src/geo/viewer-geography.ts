import type { Logger } from 'pino';
import type { ViewerCountryRepository } from '../streams/viewer-country-repository.js';
import type { CountryLookup } from './country-lookup.js';

/**
 * What the origin calls for each new viewer session: the address becomes a country at once
 * and only the country is counted. A failed write costs one viewer's country, never the
 * playlist the viewer asked for.
 *
 *   startOrigin({ ..., newViewer: viewerGeography(await openCountryLookup(), countries, logger) });
 */
export function viewerGeography(
  lookup: CountryLookup,
  countries: Pick<ViewerCountryRepository, 'add'>,
  logger: Pick<Logger, 'warn'>,
): (streamId: string, address: string) => void {
  return (streamId, address) => {
    countries.add(streamId, lookup.of(address)).catch((error: unknown) => logger.warn({ err: error, streamId }, 'viewer country not stored'));
  };
}

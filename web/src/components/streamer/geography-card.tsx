import { Download } from 'lucide-react';
import type { StreamAnalytics } from '../../../../src/protocol/api-views';
import { countriesCsv, downloadCsv } from '../../lib/analytics-csv';
import { countryName } from '../../lib/countries';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';

/**
 * Where the viewers watched from: one row per country (from each viewer's address when their
 * session began; the service keeps the country, not the address), with its share of viewers.
 */
export function GeographyCard({ countries, fileName }: { countries: StreamAnalytics['countries']; fileName: string }) {
  const total = countries.reduce((sum, row) => sum + row.viewers, 0);
  return (
    <Card data-testid="analytics-geography">
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle>Viewers by country</CardTitle>
        {total > 0 && (
          <Button variant="secondary" size="sm" onClick={() => downloadCsv(fileName, countriesCsv(countries))} data-testid="download-countries">
            <Download className="h-4 w-4" aria-hidden /> Countries (CSV)
          </Button>
        )}
      </CardHeader>
      <CardContent>
        {total === 0 ? (
          <p className="text-sm text-muted">No viewers yet: each viewer's country appears here when they start watching.</p>
        ) : (
          <table className="w-full max-w-md text-sm">
            <caption className="sr-only">Viewers per country, most first</caption>
            <thead>
              <tr className="text-left text-xs text-muted">
                <th scope="col" className="py-1 font-medium">Country</th>
                <th scope="col" className="py-1 text-right font-medium">Viewers</th>
                <th scope="col" className="py-1 text-right font-medium">Share</th>
              </tr>
            </thead>
            <tbody>
              {countries.map((row) => (
                <tr key={row.country} className="border-t border-border" data-testid="country-row" data-country={row.country}>
                  <th scope="row" className="py-1 text-left font-normal">{countryName(row.country)}</th>
                  <td className="py-1 text-right font-semibold" data-testid="country-viewers">{row.viewers}</td>
                  <td className="py-1 text-right text-muted">{Math.round((row.viewers / total) * 100)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-3 text-xs text-muted">
          IP geolocation by <a className="underline" href="https://db-ip.com">DB-IP</a> (CC BY 4.0).
        </p>
      </CardContent>
    </Card>
  );
}

import { useEffect } from 'react';

export const APP_NAME = 'Wavlake Live';

/**
 * The tab's title while the page is shown, most specific first and the app's name last
 * (`Jazz night · Miles · Wavlake Live`); parts not known yet are left out. The app's name comes back when the page goes.
 *
 *   useDocumentTitle(title, hostName);
 */
export function useDocumentTitle(...parts: (string | undefined)[]): void {
  const title = [...parts.filter((part): part is string => Boolean(part?.trim())), APP_NAME].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(
    () => () => {
      document.title = APP_NAME;
    },
    [],
  );
}

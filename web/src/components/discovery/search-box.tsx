import { Search } from 'lucide-react';
import { useSearchParams } from 'wouter';
import { Input } from '../ui/input';

/** The search in the address (`/?q=jazz`), so a search can be linked to, and reloads keep it. */
export function useStreamSearch(): [string, (query: string) => void] {
  const [params, setParams] = useSearchParams();
  const setQuery = (query: string) =>
    // Replaced, not pushed: Back leaves the page rather than undoing one letter at a time.
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (query === '') next.delete('q');
      else next.set('q', query);
      return next;
    }, { replace: true });
  return [params.get('q') ?? '', setQuery];
}

/** Search by title, tag or streamer. */
export function SearchBox({ query, onChange }: { query: string; onChange: (query: string) => void }) {
  return (
    <form role="search" aria-label="Search streams" className="relative w-full sm:max-w-sm" onSubmit={(event) => event.preventDefault()}>
      <Search className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-muted" aria-hidden />
      <Input type="search" aria-label="Search streams" placeholder="Search by title, #tag or streamer" value={query} onChange={(event) => onChange(event.target.value)} className="pl-9" />
    </form>
  );
}

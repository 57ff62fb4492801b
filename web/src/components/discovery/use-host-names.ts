import { useQueries } from '@tanstack/react-query';
import { profileOf, profileQuery, useProfileRelays } from '../../lib/profiles';

/**
 * The names (kind 0 `display_name` and `name`) of these hosts, as the cards read them (the same
 * query, so the same cache): a stream can be searched for by its streamer's name.
 *
 *   const names = useHostNames(events.map((event) => event.host));
 *   names.get(event.host) // ['Ann Plays', 'ann']
 */
export function useHostNames(pubkeys: readonly string[]): Map<string, string[]> {
  const relays = useProfileRelays();
  const unique = [...new Set(pubkeys)];
  return useQueries({
    queries: unique.map((pubkey) => profileQuery(relays, pubkey)),
    combine: (results) =>
      new Map(
        results.map((result, index) => {
          const profile = profileOf(result.data);
          const names = [profile?.display_name, profile?.name].filter((name): name is string => typeof name === 'string' && name !== '');
          return [unique[index] ?? '', names];
        }),
      ),
  });
}

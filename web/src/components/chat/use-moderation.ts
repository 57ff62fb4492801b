import { useEffect, useMemo, useReducer } from 'react';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { parseDeletion } from '../../../../src/protocol/deletion';
import { KIND } from '../../../../src/protocol/kinds';
import { MODERATION_KINDS, parseModeration } from '../../../../src/protocol/moderation';
import { ModerationState } from '../../../../src/protocol/moderation-state';
import type { ChatChannel } from '../../lib/chat-channel';

/**
 * A stream's chat moderation as it stands: the host's and moderators' removals, bans and
 * time-outs (kinds 9005, 9001, 9000), and their NIP-09 deletions of those, which undo them.
 * The state object is the same for the stream's life; `version` changes with it, so a
 * component reading it renders again.
 *
 *   const { state } = useModeration(stream, channel, [host, ...moderators]);
 *   state.removed.has(message.id);  state.bans(unixNow());
 */
export function useModeration(stream: Coordinate, channel: ChatChannel, moderators: readonly string[]): { state: ModerationState; version: number } {
  const address = formatCoordinate(stream);
  const moderatorKey = moderators.join(',');
  const state = useMemo(() => new ModerationState(), [address, channel.key, moderatorKey]);
  const [version, changed] = useReducer((count: number) => count + 1, 0);

  useEffect(() => {
    const stopModeration = channel.subscribe({ kinds: [...MODERATION_KINDS], '#a': [address], limit: 500 }, (event) => {
      const parsed = parseModeration(event);
      // Anyone can sign a 9005; only the host's and the moderators' count.
      if (parsed.ok && moderators.includes(parsed.value.moderator) && state.apply(parsed.value)) changed();
    });
    // A deletion names the moderation event, not the stream: asked for by its authors and the kinds it withdraws.
    const stopDeletions = channel.subscribe(
      { kinds: [KIND.deletion], authors: [...moderators], '#k': MODERATION_KINDS.map(String) },
      (event) => {
        const parsed = parseDeletion(event);
        if (parsed.ok && state.withdraw(parsed.value)) changed();
      },
    );
    return () => {
      stopModeration();
      stopDeletions();
    };
  }, [state]);

  return { state, version };
}

import { useEffect, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import { KIND } from '../../../src/protocol/kinds';
import { buildPresence, parsePresence, presentIn, PRESENCE_REFRESH_SECONDS, PRESENCE_WINDOW_SECONDS, type Presence } from '../../../src/protocol/presence';
import { unixNow } from '../../../src/protocol/time';
import { useChatChannel, type ChatChannel } from './chat-channel';
import { useSession } from './session';

export interface PresenceOptions {
  /** Announce the signed-in user here (a viewer's page); false only reads (a host's dashboard). */
  readonly publish: boolean;
  /** The stream's chat channel: a private stream's presence goes only there, as its chat does. */
  readonly channel?: ChatChannel;
}

/** Presence is re-judged this often, so that someone who left drops off without any new event. */
const RECHECK_MS = 30_000;

/**
 * Who is here (NIP-53 kind 10312): reads the stream's recent presences and, when signed in
 * and asked to, announces the user on arrival, every two minutes while the page is visible,
 * and again on coming back to a hidden tab. Returns the pubkeys present, in a fixed order.
 *
 *   const present = usePresence(coordinate, relays, { publish: true, channel });
 */
export function usePresence(stream: Coordinate | undefined, relays: string[], options: PresenceOptions): string[] {
  const ownChannel = useChatChannel(stream, options.channel ? [] : relays, undefined);
  const channel = options.channel ?? ownChannel;
  const { signer } = useSession();
  const address = stream ? formatCoordinate(stream) : '';
  const [presences, setPresences] = useState<ReadonlyMap<string, Presence>>(new Map());
  const [now, setNow] = useState(unixNow);

  const remember = (presence: Presence) =>
    setPresences((previous) => {
      const known = previous.get(presence.author);
      return known && known.createdAt >= presence.createdAt ? previous : new Map(previous).set(presence.author, presence);
    });

  useEffect(() => {
    const timer = setInterval(() => setNow(unixNow()), RECHECK_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    setPresences(new Map());
    if (!stream) return;
    return channel.subscribe({ kinds: [KIND.presence], '#a': [address], since: unixNow() - PRESENCE_WINDOW_SECONDS }, (event) => {
      const parsed = parsePresence(event);
      if (parsed.ok) remember(parsed.value);
    });
  }, [address, channel.key]);

  useEffect(() => {
    if (!options.publish || !signer || !stream) return;
    let stopped = false;
    let last = 0;
    const announce = async () => {
      if (document.visibilityState !== 'visible') return;
      last = unixNow();
      const event = await signer.signEvent(buildPresence({ stream, ...(relays[0] && { relay: relays[0] }) }, last));
      if (stopped) return;
      await channel.publish(event);
      // Shown at once: the user is here whether or not a relay echoes it back.
      const parsed = parsePresence(event);
      if (parsed.ok) remember(parsed.value);
      setNow(unixNow());
    };
    // A refused or unsigned presence only leaves the user off the list; the page goes on.
    const tryAnnounce = () => void announce().catch(() => undefined);
    const comeBack = () => {
      if (unixNow() - last >= PRESENCE_REFRESH_SECONDS / 2) tryAnnounce();
    };
    tryAnnounce();
    const timer = setInterval(tryAnnounce, PRESENCE_REFRESH_SECONDS * 1000);
    document.addEventListener('visibilitychange', comeBack);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', comeBack);
    };
  }, [options.publish, signer, address, channel.key, relays[0]]);

  return stream ? presentIn(stream, presences.values(), now) : [];
}

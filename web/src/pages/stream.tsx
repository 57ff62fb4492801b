import { useState } from 'react';
import { useParams } from 'wouter';
import { liveEventCoordinate } from '../../../src/protocol/coordinate';
import { decodeLiveEventAddress } from '../../../src/protocol/naddr';
import { StreamView } from '../components/stream/stream-view';
import { useServiceInfo } from '../lib/nostr';
import { tokenOf, useStream } from '../lib/streams';
import { NotFoundPage } from './not-found';

/** `/stream/<naddr>`: any NIP-53 stream. */
export function StreamByAddressPage() {
  const { naddr = '' } = useParams<{ naddr: string }>();
  const decoded = decodeLiveEventAddress(naddr);
  if (!decoded.ok) return <NotFoundPage />;
  return <StreamView coordinate={decoded.value.coordinate} hints={[...decoded.value.relays]} />;
}

/** `/s/<stream id>`: one of ours by id (and private streams through their shared link's token). */
export function StreamByIdPage() {
  const { id = '' } = useParams<{ id: string }>();
  const info = useServiceInfo();
  // Its 30311's author (the service's key, or the streamer's own) is the stream's to say; one the API does not know is looked for under the service's.
  const stream = useStream(id, tokenOf(window.location.href));
  // Once answered, the page stays: StreamView's own reader of a refused (404) lookup asks again when it mounts, and that must not unmount it.
  const [answeredFor, setAnsweredFor] = useState<string>();
  if (!stream.isPending && answeredFor !== id) setAnsweredFor(id);
  if (!info.data || answeredFor !== id) return null;
  return <StreamView coordinate={liveEventCoordinate(stream.data?.event_pubkey ?? info.data.pubkey, id)} hints={[]} />;
}

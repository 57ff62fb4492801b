import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSession } from './session';
import { api, ApiError } from './api';
import type { FeedMessage, IngestHealth, StreamView, TrackView } from '../../../src/protocol/api-views';

/**
 * A stream's status from the API, NIP-98-signed when signed in (the owner sees more). A
 * private stream answers only its owner or a holder of its shared link's `token`.
 */
export function useStream(streamId: string | undefined, token?: string) {
  const { signer, pubkey } = useSession();
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return useQuery({
    queryKey: ['stream', streamId, pubkey, token],
    enabled: streamId !== undefined,
    // Signing in or out asks again as someone else: the same stream's last answer stands meanwhile, so its page does not blink out.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === streamId ? previous : undefined),
    // A 404 is the answer (unknown or private), not a hiccup worth retrying.
    retry: (failures, error) => !(error instanceof ApiError && error.status === 404) && failures < 3,
    queryFn: () => api<StreamView>(`/api/v1/streams/${streamId}/status${query}`, signer ? { signer } : {}),
  });
}

/** The `token` query parameter of a playback or share URL (how private streams are opened). */
export function tokenOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return new URL(url, window.location.origin).searchParams.get('token') ?? undefined;
}

/** A playback URL (HLS, WHEP) with a private stream's token added, as its shared link carries it. */
export function withToken(url: string | null | undefined, token: string | undefined): string | undefined {
  if (!url) return undefined;
  if (!token) return url;
  const withIt = new URL(url, window.location.origin);
  withIt.searchParams.set('token', token);
  return withIt.href;
}

export interface FeedState {
  readonly viewers: { current: number; peak: number; total: number } | undefined;
  readonly health: IngestHealth | undefined;
  /** The track the feed last announced (null: cleared); undefined until it announces one, so the stream's own answer holds. */
  readonly track: TrackView | null | undefined;
  readonly connected: boolean;
}

/**
 * The stream's real-time feed (WS /api/v1/streams/<id>/ws): status changes refresh the
 * stream query at once; viewer counts, ingest health and the track playing are kept here.
 *
 *   const feed = useStreamFeed(stream.stream_id, token);  // feed.viewers?.current
 */
export function useStreamFeed(streamId: string | undefined, token?: string): FeedState & { send(message: object): void } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<FeedState>({ viewers: undefined, health: undefined, track: undefined, connected: false });
  const [socket, setSocket] = useState<WebSocket>();
  // The owner's status answer carries a freshly issued token each time: a new token must not
  // reopen the feed, but each (re)connection uses the newest one, so none outlives its expiry.
  const latestToken = useRef(token);
  latestToken.current = token;
  const hasToken = token !== undefined;

  useEffect(() => {
    if (!streamId) return;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let current: WebSocket | undefined;
    const open = () => {
      const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const query = latestToken.current ? `?token=${encodeURIComponent(latestToken.current)}` : '';
      const ws = new WebSocket(`${protocol}//${window.location.host}/api/v1/streams/${streamId}/ws${query}`);
      current = ws;
      ws.onopen = () => setState((previous) => ({ ...previous, connected: true }));
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as FeedMessage;
        if (message.type === 'status') void queryClient.invalidateQueries({ queryKey: ['stream', streamId] });
        if (message.type === 'viewers') setState((previous) => ({ ...previous, viewers: message }));
        if (message.type === 'health') setState((previous) => ({ ...previous, health: message.ingest }));
        if (message.type === 'track') setState((previous) => ({ ...previous, track: message.track }));
      };
      ws.onclose = () => {
        setState((previous) => ({ ...previous, connected: false }));
        if (!closed) retry = setTimeout(open, 2000);
      };
      setSocket(ws);
    };
    open();
    return () => {
      closed = true;
      clearTimeout(retry);
      current?.close();
    };
  }, [streamId, hasToken, queryClient]);

  return {
    ...state,
    send: (message) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
  };
}

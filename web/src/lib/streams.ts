import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSession } from './session';
import { api } from './api';
import type { FeedMessage, IngestHealth, StreamView } from './api-types';

/** A stream's status from the API, NIP-98-signed when signed in (the owner sees more). */
export function useStream(streamId: string | undefined) {
  const { signer, pubkey } = useSession();
  return useQuery({
    queryKey: ['stream', streamId, pubkey],
    enabled: streamId !== undefined,
    queryFn: () => api<StreamView>(`/api/v1/streams/${streamId}/status`, signer ? { signer } : {}),
  });
}

export interface FeedState {
  readonly viewers: { current: number; peak: number; total: number } | undefined;
  readonly health: IngestHealth | undefined;
  readonly connected: boolean;
}

/**
 * The stream's real-time feed (WS /api/v1/streams/<id>/ws): status changes refresh the
 * stream query at once; viewer counts and ingest health are kept here.
 *
 *   const feed = useStreamFeed(stream.stream_id);  // feed.viewers?.current
 */
export function useStreamFeed(streamId: string | undefined, token?: string): FeedState & { send(message: object): void } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<FeedState>({ viewers: undefined, health: undefined, connected: false });
  const [socket, setSocket] = useState<WebSocket>();

  useEffect(() => {
    if (!streamId) return;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let current: WebSocket | undefined;
    const open = () => {
      const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
      const query = token ? `?token=${encodeURIComponent(token)}` : '';
      const ws = new WebSocket(`${protocol}//${window.location.host}/api/v1/streams/${streamId}/ws${query}`);
      current = ws;
      ws.onopen = () => setState((previous) => ({ ...previous, connected: true }));
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as FeedMessage;
        if (message.type === 'status') void queryClient.invalidateQueries({ queryKey: ['stream', streamId] });
        if (message.type === 'viewers') setState((previous) => ({ ...previous, viewers: message }));
        if (message.type === 'health') setState((previous) => ({ ...previous, health: message.ingest }));
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
  }, [streamId, token, queryClient]);

  return {
    ...state,
    send: (message) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
  };
}

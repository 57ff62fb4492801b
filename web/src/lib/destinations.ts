import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AddDestinationRequest, DestinationsView, DestinationView, ForwardState } from '../../../src/protocol/destinations';
import type { Signer } from '../signers/signer';
import { api } from './api';

/** How often the states are asked for while the stream is on air (they are not on the public feed: they name the owner's accounts). */
const LIVE_REFRESH_MS = 3000;

/** Servers the streamer can pick instead of typing one; the key still comes from the platform. */
export const PLATFORMS = [
  { id: 'youtube', name: 'YouTube', url: 'rtmp://a.rtmp.youtube.com/live2' },
  { id: 'twitch', name: 'Twitch', url: 'rtmp://live.twitch.tv/app' },
  { id: 'facebook', name: 'Facebook', url: 'rtmps://live-api-s.facebook.com:443/rtmp' },
  { id: 'custom', name: '', url: '' },
] as const;

export const STATE_LABELS: Record<ForwardState, string> = {
  idle: 'Waits for the stream to go live',
  connecting: 'Connecting',
  live: 'Live',
  retrying: 'Failed, retrying',
  failed: 'Failed, gave up',
  paused: 'Paused with your stream',
};

/**
 * A stream's forwarding destinations (owner only, NIP-98), asked again every few seconds
 * while it is on air, with adding, removing and retrying.
 *
 *   const { list, add, remove, retry } = useDestinations(streamId, signer, onAir);
 */
export function useDestinations(streamId: string, signer: Signer | undefined, onAir: boolean) {
  const queryClient = useQueryClient();
  const queryKey = ['destinations', streamId];
  const base = `/api/v1/streams/${streamId}/destinations`;
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const list = useQuery({
    queryKey,
    enabled: signer !== undefined,
    queryFn: async () => (await api<DestinationsView>(base, { signer })).destinations,
    refetchInterval: onAir ? LIVE_REFRESH_MS : false,
  });
  const add = useMutation({
    mutationFn: (request: AddDestinationRequest) => api<DestinationView>(base, { method: 'POST', json: { ...request }, signer }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api<undefined>(`${base}/${id}`, { method: 'DELETE', signer }),
    onSuccess: refresh,
  });
  const retry = useMutation({
    mutationFn: (id: string) => api<DestinationView>(`${base}/${id}/retry`, { method: 'POST', signer }),
    onSuccess: refresh,
  });
  return { list, add, remove, retry };
}

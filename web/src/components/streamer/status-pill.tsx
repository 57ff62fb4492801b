import type { StreamView } from '../../../../src/protocol/api-views';
import { Badge } from '../ui/badge';

const WORDS: Record<string, string> = {
  created: 'Waiting for OBS',
  connected: 'Connected',
  live: 'LIVE',
  reconnecting: 'Reconnecting…',
  ended: 'Ended',
};

export function StatusPill({ stream }: { stream: StreamView }) {
  const text = stream.status === 'error' ? `Error: ${stream.status_reason ?? 'the transcoder failed'}` : (WORDS[stream.status] ?? stream.status);
  const variant = stream.status === 'live' ? 'live' : stream.status === 'connected' ? 'success' : stream.status === 'error' ? 'warning' : 'outline';
  return (
    <Badge variant={variant} data-testid="stream-status" role="status">
      {text}
      {stream.paused && ' (paused)'}
    </Badge>
  );
}

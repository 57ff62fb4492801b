import type { IngestHealth } from '../../../../src/protocol/api-views';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';

const show = (value: number | null | undefined, unit = '') => (value === null || value === undefined ? '—' : `${Math.round(value * 10) / 10}${unit}`);

/** What OBS is sending, with the warnings that matter against the recommended settings. */
export function IngestHealthCard({ health }: { health: IngestHealth | null | undefined }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Ingest health</CardTitle>
      </CardHeader>
      <CardContent>
        {!health ? (
          <p className="text-sm text-muted">No encoder connected.</p>
        ) : (
          <>
            <dl className="grid grid-cols-2 gap-2 text-sm" data-testid="ingest-health">
              <dt className="text-muted">Bitrate</dt>
              <dd>{show(health.bitrate_kbps, ' kbps')}</dd>
              {health.sending === 'audio' ? (
                // Sound only: the picture's rows would all be dashes; the sound's own figures matter instead.
                <>
                  <dt className="text-muted">Sample rate</dt>
                  <dd>{show(health.audio?.sample_rate && health.audio.sample_rate / 1000, ' kHz')}</dd>
                  <dt className="text-muted">Channels</dt>
                  <dd>{show(health.audio?.channels)}</dd>
                </>
              ) : (
                <>
                  <dt className="text-muted">Frame rate</dt>
                  <dd>{show(health.video?.fps, ' fps')}</dd>
                  <dt className="text-muted">Keyframe interval</dt>
                  <dd>{show(health.video?.keyframe_interval_seconds, ' s')}</dd>
                  <dt className="text-muted">Resolution</dt>
                  <dd>{health.video?.width ? `${health.video.width}×${health.video.height}` : '—'}</dd>
                </>
              )}
              <dt className="text-muted">Codecs</dt>
              <dd>{[health.video?.codec, health.audio?.codec].filter(Boolean).join(' + ') || '—'}</dd>
            </dl>
            {health.warnings.map((warning) => (
              <p key={warning} role="status" className="mt-2 rounded bg-warning/10 p-2 text-xs text-warning">
                {warning}
              </p>
            ))}
          </>
        )}
      </CardContent>
    </Card>
  );
}

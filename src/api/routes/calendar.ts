import type { FastifyInstance } from 'fastify';
import type { PlaybackTokens } from '../../origin/playback-token.js';
import { buildCalendarEvent } from '../../protocol/ics.js';
import { unixNow } from '../../protocol/time.js';
import { StreamError, streamNotFound } from '../../streams/errors.js';
import type { StreamService } from '../../streams/stream-service.js';
import type { Authenticator } from '../auth.js';
import { hiddenFrom, streamIdParam } from './streams.js';

/** The path of a stream's "Add to calendar" file. */
export const calendarPath = (streamId: string) => `/api/v1/streams/${streamId}/calendar.ics`;

/**
 * `GET /api/v1/streams/<id>/calendar.ics`: a planned stream as an iCalendar event (RFC 5545).
 * Served rather than built in the browser so that the link is the file: calendar apps can
 * fetch or subscribe to it, it works without the app's JavaScript, and a changed plan reaches
 * whoever downloads it again (same UID). A private stream answers as its `/status` does.
 */
export function calendarRoutes(app: FastifyInstance, service: StreamService, auth: Authenticator, tokens: PlaybackTokens, publicUrl: string): void {
  const host = new URL(publicUrl).host;
  app.get(calendarPath(':id'), async (request, reply) => {
    const id = streamIdParam(request.params);
    const viewer = await auth.optional(request);
    const stream = await service.get(id);
    if (hiddenFrom(stream, viewer, request.query, tokens)) throw streamNotFound(id);
    const start = stream.startedAt ?? stream.startsAt;
    if (start === null) {
      throw new StreamError('conflict', 'not_scheduled', 'This stream has no planned start; the streamer can set one on the dashboard.');
    }
    const page = new URL(`/s/${id}`, publicUrl);
    const token = (request.query as { token?: unknown }).token;
    // The holder of a private stream's link gets an entry that opens it.
    if (stream.visibility === 'private' && typeof token === 'string') page.searchParams.set('token', token);
    const ics = buildCalendarEvent(
      { uid: `${id}@${host}`, start, title: stream.title, url: page.href, description: [stream.description, page.href].filter(Boolean).join('\n\n') },
      unixNow(),
    );
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="stream-${id}.ics"`)
      .header('cache-control', 'no-cache')
      .send(ics);
  });
}

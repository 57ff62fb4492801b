import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { ServiceInfo } from '../../protocol/api-views.js';
import { serviceInfoRoutes } from './service-info.js';

describe('GET /api/v1/info', () => {
  it('answers the service key, its relay, the RTMP URL, the version and the external relays', async () => {
    const info: ServiceInfo = {
      pubkey: 'a'.repeat(64),
      relay: 'ws://127.0.0.1:8080/',
      rtmp_url: 'rtmp://127.0.0.1:1935/live',
      version: '0.1.0',
      relays: ['wss://relay.example', 'wss://nos.example'],
    };
    const app = Fastify();
    serviceInfoRoutes(app, info);
    const response = await app.inject({ method: 'GET', url: '/api/v1/info' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...info, relays: ['wss://relay.example', 'wss://nos.example'] });
    await app.close();
  });
});

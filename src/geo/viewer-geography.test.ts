import { describe, expect, it, vi } from 'vitest';
import { viewerGeography } from './viewer-geography.js';

describe('viewerGeography', () => {
  const lookup = { of: (address: string) => (address === '8.8.8.8' ? 'US' : 'ZZ') };

  it('counts the country of the address, never the address', async () => {
    const add = vi.fn(async () => undefined);
    viewerGeography(lookup, { add }, { warn: vi.fn() })('stream-1', '8.8.8.8');
    await vi.waitFor(() => expect(add).toHaveBeenCalledWith('stream-1', 'US'));
    expect(JSON.stringify(add.mock.calls)).not.toContain('8.8.8.8');
  });

  it('logs a failed write instead of failing the viewer’s request', async () => {
    const warn = vi.fn();
    const failing = { add: async () => Promise.reject(new Error('database gone')) };
    expect(() => viewerGeography(lookup, failing, { warn })('stream-1', '10.0.0.1')).not.toThrow();
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.objectContaining({ streamId: 'stream-1' }), 'viewer country not stored'));
  });
});

import { describe, expect, it } from 'vitest';
import type { UpgradeHandler } from './api/upgrades.js';
import { Components, type Component } from './component.js';

function part(name: string, closed: string[], extra: Partial<Component> = {}): Component {
  return { ...extra, close: async () => void closed.push(name) };
}

describe('Components', () => {
  it('closes in the reverse order of start', async () => {
    const closed: string[] = [];
    const parts = new Components();
    parts.add(part('database', closed));
    parts.add(part('http', closed));
    parts.add(part('relay', closed));
    parts.add(part('ingest', closed));
    await parts.close();
    expect(closed).toEqual(['ingest', 'relay', 'http', 'database']);
  });

  it('closes the others when one fails to, then throws its failure', async () => {
    const closed: string[] = [];
    const parts = new Components();
    parts.add(part('database', closed));
    parts.add({ close: () => Promise.reject(new Error('relay would not close')) });
    parts.add(part('ingest', closed));
    await expect(parts.close()).rejects.toThrow('relay would not close');
    expect(closed).toEqual(['ingest', 'database']);
  });

  it("sends an upgrade to the component whose path it is, and none to a path that is nobody's", () => {
    const relay: UpgradeHandler = () => undefined;
    const feed: UpgradeHandler = () => undefined;
    const parts = new Components();
    parts.add(part('relay', [], { upgrade: (path) => (path === '/' ? relay : undefined) }));
    parts.add(part('feed', [], { upgrade: (path) => (path.endsWith('/ws') ? feed : undefined) }));
    expect(parts.upgrade('/')).toBe(relay);
    expect(parts.upgrade('/api/v1/streams/abc/ws')).toBe(feed);
    expect(parts.upgrade('/nowhere')).toBeUndefined();
  });
});

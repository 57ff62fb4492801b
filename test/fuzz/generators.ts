import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';

/** mulberry32: a tiny seeded PRNG, so a failing fuzz input can be replayed from its seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(256);
    return out;
  }

  string(maxLength: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '\u0000', 'é', '🔥', '\n', '{', ']', '%', '/', '..'];
    let out = '';
    const length = this.int(maxLength);
    for (let i = 0; i < length; i += 1) out += this.pick(alphabet);
    return out;
  }

  /** Printable ASCII only: what an HTTP header can carry. */
  ascii(maxLength: number): string {
    let out = '';
    const length = this.int(maxLength);
    for (let i = 0; i < length; i += 1) out += String.fromCharCode(32 + this.int(95));
    return out;
  }

  /** Any JSON value, nested a few levels. */
  json(depth = 3): unknown {
    const choice = this.int(depth > 0 ? 8 : 5);
    switch (choice) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1e308, -0.5, 2 ** 53 + 1, 65536, 30311]);
      case 3:
        return this.string(40);
      case 4:
        return this.string(3) + 'x'.repeat(this.int(2) * 70_000);
      case 5:
        return Array.from({ length: this.int(5) }, () => this.json(depth - 1));
      default:
        return Object.fromEntries(
          Array.from({ length: this.int(5) }, () => [this.pick(['title', 'category', 'tags', 'kind', 'id', '__proto__', this.string(8)]), this.json(depth - 1)]),
        );
    }
  }
}

const key = generateSecretKey();

/** A malformed NIP-01 client message (text, or a Buffer for a binary frame). */
export function relayMessage(random: Random): string | Buffer {
  const valid = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: random.string(20) }, key);
  switch (random.int(10)) {
    case 0:
      return random.string(60);
    case 1:
      return JSON.stringify(random.json());
    case 2:
      return JSON.stringify([random.pick(['EVENT', 'REQ', 'CLOSE', 'AUTH', 'COUNT', 'event', '']), ...Array.from({ length: random.int(4) }, () => random.json(2))]);
    case 3: {
      const broken: Record<string, unknown> = { ...valid };
      broken[random.pick(['id', 'sig', 'pubkey', 'content', 'kind', 'created_at', 'tags'])] = random.json(1);
      return JSON.stringify(['EVENT', broken]);
    }
    case 4: {
      const flipped = { ...valid, id: valid.id.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
      return JSON.stringify(['EVENT', random.next() < 0.5 ? flipped : { ...valid, content: `${valid.content}!` }]);
    }
    case 5:
      return JSON.stringify(['REQ', random.string(80), random.json(2), { kinds: [random.json(0)], limit: random.pick([-1, 1e9, 'x']) }]);
    case 6:
      return JSON.stringify(['CLOSE', random.json(1)]);
    case 7:
      return random.bytes(random.int(200));
    case 8:
      return '['.repeat(1 + random.int(5000));
    default:
      return JSON.stringify(['REQ', 'x'.repeat(random.int(200)), { '#e': Array.from({ length: random.int(3) }, () => random.string(70)) }]);
  }
}

/** A request body for the stream API: [content type, body]. */
export function apiBody(random: Random): [string, string] {
  switch (random.int(5)) {
    case 0:
      return ['application/json', random.string(50)];
    case 1:
      return [random.pick(['text/plain', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded']), random.string(50)];
    case 2:
      return ['application/json', JSON.stringify({ title: random.json(1), category: random.json(1), tags: random.json(2), quality: random.json(0) })];
    default:
      return ['application/json', JSON.stringify(random.json())];
  }
}

/** A NIP-98 header that is wrong in one way or another. */
export function authHeader(random: Random, url: string, method: string): string {
  const event = (overrides: Record<string, unknown>) =>
    finalizeEvent(
      {
        kind: 27235,
        created_at: Math.floor(Date.now() / 1000),
        tags: [
          ['u', url],
          ['method', method],
        ],
        content: '',
        ...overrides,
      },
      key,
    );
  const encode = (value: unknown) => `Nostr ${Buffer.from(JSON.stringify(value)).toString('base64')}`;
  switch (random.int(8)) {
    case 0:
      return random.ascii(40);
    case 1:
      return `Nostr ${random.ascii(60)}`;
    case 2:
      return encode(random.json());
    case 3:
      return encode(event({ kind: random.pick([1, 0, 27234, 30311]) }));
    case 4:
      return encode(event({ tags: [['u', `${url}${random.ascii(5)}x`], ['method', method]] }));
    case 5:
      return encode(event({ created_at: Math.floor(Date.now() / 1000) + random.pick([-3600, 3600, -61, 120]) }));
    case 6:
      return encode({ ...event({}), sig: 'f'.repeat(128) });
    default:
      return encode(event({ tags: [['u', url], ['method', random.pick(['GET', 'PUT', 'post', ''])]] }));
  }
}

/** Bytes an RTMP client might send, broken somewhere. */
export function rtmpBytes(random: Random): Buffer {
  switch (random.int(4)) {
    case 0:
      return random.bytes(1 + random.int(3000));
    case 1:
      return Buffer.concat([Buffer.from([3]), random.bytes(random.int(1536))]);
    case 2:
      return Buffer.concat([Buffer.from([random.pick([0, 6, 0xff])]), random.bytes(1536 + random.int(100))]);
    default:
      // A full C0+C1, then C2 and random chunk headers.
      return Buffer.concat([Buffer.from([3]), Buffer.alloc(1536), Buffer.alloc(1536), random.bytes(1 + random.int(4000))]);
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';
import { getToken } from 'nostr-tools/nip98';

/**
 * A Nostr user for tests: a fresh key pair that signs events and NIP-98 headers with nostr-tools.
 *
 *   const user = new TestUser();
 *   await relay.publish(user.sign({ kind: 1, content: 'hi' }));
 *   await fetch(url, { headers: { authorization: await user.authHeader(url, 'GET') } });
 */
export class TestUser {
  readonly pubkey: string;

  /** A fresh key, or a given one (to act over HTTP as the author of some Nostr events). */
  constructor(readonly secret: Uint8Array = generateSecretKey()) {
    this.pubkey = getPublicKey(secret);
  }

  /** A signed event, dated now unless the template says otherwise. */
  sign(template: Partial<EventTemplate> & { kind: number }): VerifiedEvent {
    return finalizeEvent({ created_at: Math.floor(Date.now() / 1000), tags: [], content: '', ...template }, this.secret);
  }

  /**
   * `Authorization` header value for one request, made by nostr-tools' NIP-98 helper.
   * Two identical requests in the same second would sign the same event, which the server
   * rightly refuses as a replay; real clients are slower than a test, so a nonce tag stands in.
   */
  async authHeader(url: string, method: string, body?: unknown): Promise<string> {
    const sign = (event: EventTemplate) =>
      finalizeEvent({ ...event, tags: [...event.tags, ['nonce', randomBytes(8).toString('hex')]] }, this.secret);
    return getToken(url, method, sign, true, body as Record<string, unknown> | undefined);
  }

  /** A hand-built NIP-98 event, for tests that break one rule at a time. */
  rawAuthHeader(overrides: { kind?: number; created_at?: number; tags?: string[][] }): string {
    const event = finalizeEvent(
      {
        kind: overrides.kind ?? 27235,
        created_at: overrides.created_at ?? Math.floor(Date.now() / 1000),
        tags: overrides.tags ?? [],
        content: '',
      },
      this.secret,
    );
    return `Nostr ${Buffer.from(JSON.stringify(event)).toString('base64')}`;
  }
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

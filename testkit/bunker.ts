import { decrypt, encrypt, getConversationKey } from 'nostr-tools/nip44';
import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate } from 'nostr-tools/pure';
import { Relay } from './relay-client.js';

const NOSTR_CONNECT = 24133;

/**
 * A minimal NIP-46 remote signer for tests ("a bunker"): it listens on a relay for
 * kind 24133 requests to its key, answers connect, get_public_key, sign_event and ping,
 * and signs with the user's key, which never reaches the browser. A client that asked for
 * `sign_event:<kind>` perms at connect may sign only those kinds; `close()` makes it go away.
 *
 *   const bunker = await TestBunker.start(relayUrl, userSecret);
 *   bunker.uri // bunker://<pubkey>?relay=…&secret=…
 */
export class TestBunker {
  private constructor(
    private readonly relay: Relay,
    readonly uri: string,
    readonly signed: EventTemplate[],
    private readonly methods: string[],
  ) {}

  /** How many requests of `method` (connect, get_public_key, …) it has answered. */
  requests(method: string): number {
    return this.methods.filter((answered) => answered === method).length;
  }

  static async start(relayUrl: string, userSecret: Uint8Array): Promise<TestBunker> {
    const bunkerSecret = generateSecretKey();
    const bunkerPubkey = getPublicKey(bunkerSecret);
    const secret = Math.random().toString(36).slice(2);
    const relay = await Relay.connect(relayUrl);
    const signed: EventTemplate[] = [];
    const methods: string[] = [];
    // Per client pubkey, the kinds its connect asked to sign (none asked: any kind).
    const perms = new Map<string, number[]>();
    relay.subscribe([{ kinds: [NOSTR_CONNECT], '#p': [bunkerPubkey] }], {
      onevent: (event) => {
        const key = getConversationKey(bunkerSecret, event.pubkey);
        const request = JSON.parse(decrypt(event.content, key)) as { id: string; method: string; params: string[] };
        methods.push(request.method);
        let result: string;
        let error: string | undefined;
        if (request.method === 'connect') {
          result = request.params[1] === secret || !request.params[1] ? 'ack' : 'wrong secret';
          const kinds = (request.params[2] ?? '').split(',').flatMap((perm) => (perm.startsWith('sign_event:') ? [Number(perm.slice(11))] : []));
          if (kinds.length > 0) perms.set(event.pubkey, kinds);
        } else if (request.method === 'get_public_key') result = getPublicKey(userSecret);
        else if (request.method === 'ping') result = 'pong';
        else if (request.method === 'sign_event') {
          const template = JSON.parse(request.params[0] ?? '{}') as EventTemplate;
          const allowed = perms.get(event.pubkey);
          if (allowed && !allowed.includes(template.kind)) {
            result = '';
            error = `kind ${template.kind} is not in this client's perms`;
          } else {
            signed.push(template);
            result = JSON.stringify(finalizeEvent(template, userSecret));
          }
        } else result = '';
        const response = finalizeEvent(
          {
            kind: NOSTR_CONNECT,
            created_at: Math.floor(Date.now() / 1000),
            tags: [['p', event.pubkey]],
            content: encrypt(JSON.stringify({ id: request.id, result, ...(error && { error }) }), key),
          },
          bunkerSecret,
        );
        // An answer still in flight when the test closes the bunker is simply never delivered (close() rejects it).
        relay.publish(response).catch(() => undefined);
      },
    });
    const uri = `bunker://${bunkerPubkey}?relay=${encodeURIComponent(relayUrl)}&secret=${secret}`;
    return new TestBunker(relay, uri, signed, methods);
  }

  close(): void {
    this.relay.close();
  }
}

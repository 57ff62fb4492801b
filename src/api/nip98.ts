import { createHash } from 'node:crypto';
import { getEventHash, verifyEvent } from 'nostr-tools/pure';
import { KIND } from '../protocol/kinds.js';
import { nostrEventSchema, tagValue } from '../protocol/nostr-event.js';
import { unixNow } from '../protocol/time.js';
import { unauthorized } from './errors.js';
import type { ReplayGuard } from './replay-guard.js';

export const NIP98_KIND = KIND.httpAuth;
export const NIP98_MAX_SKEW_SECONDS = 60;

export interface HttpRequestFacts {
  readonly method: string;
  /** This request's full URL at each of the service's public origins, the main one first. */
  readonly urls: readonly string[];
  /** The raw body, when the request has one. */
  readonly body: Buffer | undefined;
}

/**
 * Checks a NIP-98 `Authorization: Nostr <base64 event>` header and returns the signer's
 * pubkey, or throws a 401 ApiError whose message names the check that failed.
 *
 *   const pubkey = await verifyNip98(req.headers.authorization, facts, replayGuard);
 */
export async function verifyNip98(
  header: string | undefined,
  request: HttpRequestFacts,
  replay: ReplayGuard,
): Promise<string> {
  const encoded = /^Nostr\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!encoded) {
    throw unauthorized(
      'Missing NIP-98 authorization: send `Authorization: Nostr <base64 of a signed kind 27235 event>`.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    throw unauthorized('NIP-98 authorization is not base64-encoded JSON.');
  }
  const parsed = nostrEventSchema.safeParse(json);
  if (!parsed.success) {
    throw unauthorized(`NIP-98 authorization is not a Nostr event: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`);
  }
  const event = parsed.data;
  if (event.kind !== NIP98_KIND) {
    throw unauthorized(`NIP-98 event has kind ${event.kind}; it must be kind ${NIP98_KIND}.`);
  }
  const skew = Math.abs(unixNow() - event.created_at);
  if (skew > NIP98_MAX_SKEW_SECONDS) {
    throw unauthorized(
      `NIP-98 event created_at is ${skew} s away from the server's clock; it must be within ${NIP98_MAX_SKEW_SECONDS} s (sign a fresh one, and check your clock).`,
    );
  }
  const signedUrl = tagValue(event, 'u');
  if (!signedUrl || !request.urls.some((url) => sameUrl(url, signedUrl))) {
    throw unauthorized(
      `NIP-98 event's u tag (${signedUrl ?? 'missing'}) is not this service's URL for the request (${request.urls[0] ?? ''}).`,
    );
  }
  const signedMethod = tagValue(event, 'method');
  if (signedMethod?.toUpperCase() !== request.method.toUpperCase()) {
    throw unauthorized(`NIP-98 event's method tag (${signedMethod ?? 'missing'}) is not ${request.method}.`);
  }
  const payload = tagValue(event, 'payload');
  if (payload !== undefined) {
    const bodyHash = createHash('sha256').update(request.body ?? Buffer.alloc(0)).digest('hex');
    if (payload.toLowerCase() !== bodyHash) {
      throw unauthorized("NIP-98 event's payload tag is not the SHA-256 of this request's body.");
    }
  }
  if (getEventHash(event) !== event.id) {
    throw unauthorized('NIP-98 event id is not the hash of its content.');
  }
  if (!verifyEvent(event)) {
    throw unauthorized('NIP-98 event signature is invalid.');
  }
  if (!(await replay.claim(event.id, event.created_at))) {
    throw unauthorized('NIP-98 event was already used; sign a new one for each request.');
  }
  return event.pubkey;
}

function sameUrl(expected: string, signed: string): boolean {
  try {
    return new URL(expected).href === new URL(signed).href;
  } catch {
    return false;
  }
}

/**
 * Prints a NIP-98 `Authorization` header value, for calling the API with curl.
 *
 *   npx tsx scripts/nip98-header.ts <nsec or hex secret key> <url> <method> [json body]
 */
import { getToken } from 'nostr-tools/nip98';
import { nip19 } from 'nostr-tools';
import { finalizeEvent, type EventTemplate } from 'nostr-tools/pure';
import { hexToBytes } from 'nostr-tools/utils';

const [secretArg, url, method, body] = process.argv.slice(2);
if (!secretArg || !url || !method) {
  console.error('usage: npx tsx scripts/nip98-header.ts <nsec or hex secret key> <url> <method> [json body]');
  process.exit(2);
}

function secretKey(value: string): Uint8Array {
  if (value.startsWith('nsec1')) {
    const decoded = nip19.decode(value);
    if (decoded.type === 'nsec') return decoded.data;
  }
  if (/^[0-9a-f]{64}$/i.test(value)) return hexToBytes(value.toLowerCase());
  console.error('The key must be an nsec or 64 hex characters.');
  process.exit(2);
}

const secret = secretKey(secretArg);
const payload = body === undefined ? undefined : (JSON.parse(body) as Record<string, unknown>);
const header = await getToken(url, method, (event: EventTemplate) => finalizeEvent(event, secret), true, payload);
console.log(header);

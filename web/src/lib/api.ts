import type { Signer } from '../signers/signer';

/** The API's refusal, with its machine code and the sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** NIP-98: a kind 27235 event for exactly this URL, method and body; the nonce makes each one unique. */
async function authorization(signer: Signer, url: string, method: string, body: string | undefined): Promise<string> {
  const tags = [
    ['u', url],
    ['method', method],
    ['nonce', crypto.randomUUID()],
  ];
  if (body !== undefined) tags.push(['payload', await sha256Hex(body)]);
  const event = await signer.signEvent({ kind: 27235, created_at: Math.floor(Date.now() / 1000), tags, content: '' });
  return `Nostr ${btoa(JSON.stringify(event))}`;
}

/**
 * Calls the REST API; with a signer, the call is NIP-98-signed. Answers the parsed JSON,
 * or throws ApiError with the server's message.
 *
 *   const created = await api<Created>('/api/v1/streams/create', { method: 'POST', json: form, signer });
 */
export async function api<T>(path: string, options: { method?: string; json?: unknown; signer?: Signer } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const url = new URL(path, window.location.origin).toString();
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.signer) headers.authorization = await authorization(options.signer, url, method, body);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = parsed as { error?: string; message?: string } | undefined;
    throw new ApiError(response.status, error?.error ?? 'error', error?.message ?? `The server answered ${response.status}.`);
  }
  return parsed as T;
}

import { getToken } from 'nostr-tools/nip98';
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

/**
 * NIP-98: an event for exactly this URL, method and body (nostr-tools hashes the body as
 * `JSON.stringify(json)`, the very text sent); the nonce makes each one unique, so the
 * server's replay guard never refuses two calls signed in the same second.
 */
function authorization(signer: Signer, url: string, method: string, json: Record<string, unknown> | undefined): Promise<string> {
  return getToken(url, method, (template) => signer.signEvent({ ...template, tags: [...template.tags, ['nonce', crypto.randomUUID()]] }), true, json);
}

/**
 * Calls the REST API; with a signer, the call is NIP-98-signed. Answers the parsed JSON,
 * or throws ApiError with the server's message.
 *
 *   const created = await api<Created>('/api/v1/streams/create', { method: 'POST', json: form, signer });
 */
export async function api<T>(path: string, options: { method?: string; json?: Record<string, unknown>; signer?: Signer } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const url = new URL(path, window.location.origin).toString();
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.signer) headers.authorization = await authorization(options.signer, url, method, options.json);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = parsed as { error?: string; message?: string } | undefined;
    throw new ApiError(response.status, error?.error ?? 'error', error?.message ?? `The server answered ${response.status}.`);
  }
  return parsed as T;
}

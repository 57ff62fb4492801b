import { parsed, rejected, type Parsed } from '../protocol/result.js';
import { lnurlPayParamsSchema, lnurlPayUrl, zapServerKey } from '../protocol/zap.js';

/** A user's kind 0 lightning fields (`Profiles` reads them from the relay). */
export interface LightningProfiles {
  get(pubkey: string): Promise<{ readonly lud16?: string; readonly lud06?: string }>;
}

/** The `nostrPubkey` an endpoint answered, or why there is none (for the log line of the receipt it fails). */
export type LnurlKey = Parsed<string>;

export interface LnurlKeysOptions {
  /** How long an endpoint's key is kept. */
  readonly ttlMs?: number;
  /** How long a failure (no answer, not LNURL-pay, no Nostr) is kept before the endpoint is asked again. */
  readonly failureTtlMs?: number;
  readonly timeoutMs?: number;
  /** The most an endpoint may answer; LNURL-pay parameters are a few hundred bytes. */
  readonly maxBytes?: number;
  readonly maxEntries?: number;
}

interface Entry {
  expiresAt: number;
  readonly key: Promise<LnurlKey>;
}

class EndpointRefusal extends Error {}

/**
 * The LNURL server key (`nostrPubkey`, NIP-57) of a user: their kind 0 → `lnurlPayUrl` → the
 * LUD-06 parameters, which must allow Nostr. A receipt to that user is believed only when that
 * key signed it. The endpoint is anyone's URL, so it is asked with a timeout, no redirects and a
 * size cap, and its answer (or failure) is kept per endpoint: many receipts, one request.
 *
 *   const keys = new LnurlKeys(profiles);
 *   const key = await keys.of(host);   // { ok: true, value: nostrPubkey } or { ok: false, reason }
 */
export class LnurlKeys {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;

  constructor(
    private readonly profiles: LightningProfiles,
    options: LnurlKeysOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async of(pubkey: string): Promise<LnurlKey> {
    const url = lnurlPayUrl(await this.profiles.get(pubkey));
    if (!url) return rejected('their kind 0 names no lightning address (lud16) or LNURL (lud06)');
    return this.endpoint(url);
  }

  /** The key of one LNURL-pay endpoint, from memory while it is fresh. */
  private endpoint(url: string): Promise<LnurlKey> {
    const now = Date.now();
    const entry = this.entries.get(url);
    if (entry && now < entry.expiresAt) return entry.key;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const fresh: Entry = {
      expiresAt: now + this.ttlMs,
      key: this.ask(url).then(
        (nostrPubkey) => parsed(nostrPubkey),
        (error: unknown): LnurlKey => {
          // Asked again sooner than a key: a wallet that was down comes back.
          fresh.expiresAt = now + this.failureTtlMs;
          return rejected<string>(`${url} ${error instanceof EndpointRefusal ? error.message : failure(error)}`);
        },
      ),
    };
    this.entries.set(url, fresh);
    return fresh.key;
  }

  private async ask(url: string): Promise<string> {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new EndpointRefusal(`answered HTTP ${response.status}`);
    const text = await readCapped(response, this.maxBytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EndpointRefusal('answered something that is not JSON');
    }
    const params = lnurlPayParamsSchema.safeParse(json);
    if (!params.success) throw new EndpointRefusal(`is not LNURL-pay: ${params.error.issues[0]?.message ?? 'bad shape'}`);
    const key = zapServerKey(params.data);
    if (!key) throw new EndpointRefusal('does not take zaps (allowsNostr and nostrPubkey)');
    return key;
  }
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new EndpointRefusal(`answered more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function failure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'did not answer in time';
  if (error instanceof Error) return `could not be reached (${error.cause instanceof Error ? error.cause.message : error.message})`;
  return String(error);
}

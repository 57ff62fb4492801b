import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { initNostrWasm } from 'nostr-wasm';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { VerifyOutcome } from './event-verifier.js';

/** Which build of libsecp256k1 checks signatures: the native addon (native/schnorr-verify) or nostr-wasm. */
export const SIGNATURE_BACKENDS = ['native', 'wasm'] as const;
export type SignatureBackend = (typeof SIGNATURE_BACKENDS)[number];

/** One event's id and signature checks, run in a verifier thread. */
export type EventCheck = (event: NostrEvent) => VerifyOutcome;

interface NativeSchnorr {
  verify(message: Uint8Array, pubkey: Uint8Array, signature: Uint8Array): boolean;
}

/** Built by scripts/build-native.sh; the same path from src/ (tests, tsx) and dist/. */
const ADDON = new URL('../../../native/schnorr-verify/build/Release/schnorr_verify.node', import.meta.url);

/** The native addon (`file` for tests), or why it cannot be used. */
export function loadNativeSchnorr(file: URL = ADDON): NativeSchnorr | string {
  let addon: unknown;
  try {
    addon = createRequire(import.meta.url)(file.pathname);
  } catch (error) {
    return `native/schnorr-verify is not built (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); run npm run build:native`;
  }
  if (typeof addon !== 'object' || addon === null || !('verify' in addon) || typeof addon.verify !== 'function') {
    return 'native/schnorr-verify does not export verify(); rebuild it with npm run build:native';
  }
  return addon as NativeSchnorr;
}

/** NIP-01's serialisation, whose SHA-256 is the event's id. */
const serialised = (event: NostrEvent) => JSON.stringify([0, event.pubkey, event.created_at, event.kind, event.tags, event.content]);

function nativeCheck(schnorr: NativeSchnorr): EventCheck {
  return (event) => {
    const hash = createHash('sha256').update(serialised(event)).digest();
    if (hash.toString('hex') !== event.id) return 'bad-id';
    return schnorr.verify(hash, Buffer.from(event.pubkey, 'hex'), Buffer.from(event.sig, 'hex')) ? 'valid' : 'bad-signature';
  };
}

async function wasmCheck(): Promise<EventCheck> {
  const nostr = await initNostrWasm();
  return (event) => {
    try {
      // Checks that the id is the event's hash and that the signature is the pubkey's.
      nostr.verifyEvent(event);
      return 'valid';
    } catch (error) {
      // nostr-wasm checks the id first and says so in its message ('id is invalid').
      return error instanceof Error && error.message.startsWith('id ') ? 'bad-id' : 'bad-signature';
    }
  };
}

/**
 * The check for `wanted` (undefined: native where it is built, else WASM), with the backend it
 * runs on and, when it fell back to WASM, why. Asking for 'native' where it is not built throws.
 */
export async function eventCheck(wanted?: SignatureBackend): Promise<{ check: EventCheck; backend: SignatureBackend; fallback?: string }> {
  if (wanted === 'wasm') return { check: await wasmCheck(), backend: 'wasm' };
  const native = loadNativeSchnorr();
  if (typeof native !== 'string') return { check: nativeCheck(native), backend: 'native' };
  if (wanted === 'native') throw new Error(native);
  return { check: await wasmCheck(), backend: 'wasm', fallback: native };
}

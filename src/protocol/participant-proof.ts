import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { formatCoordinate, type Coordinate } from './coordinate.js';
import { isHexPubkey } from './nostr-event.js';

/**
 * NIP-53 proof of agreement to participate: the participant's BIP-340 signature over the
 * SHA-256 of the live event's complete `a` tag (`30311:<author>:<d>`), in hex, as the
 * fifth item of their `p` tag. It keeps an event's owner from naming, as host or speaker,
 * someone who never agreed (clients may show an unproven participant as "invited").
 *
 *   const proof = signParticipantProof(coordinate, participantSecretKey);
 *   verifyParticipantProof(coordinate, participantPubkey, proof);   // true
 */

/** A BIP-340 signature: 64 bytes, 128 lowercase hex characters. */
export const isProofShaped = (value: string): boolean => /^[0-9a-f]{128}$/.test(value);

const digest = (coordinate: Coordinate) => sha256(utf8ToBytes(formatCoordinate(coordinate)));

export function signParticipantProof(coordinate: Coordinate, secretKey: Uint8Array): string {
  return bytesToHex(schnorr.sign(digest(coordinate), secretKey));
}

/** True when `proof` is `pubkey`'s signature over the coordinate; false for anything else, never a throw. */
export function verifyParticipantProof(coordinate: Coordinate, pubkey: string, proof: string): boolean {
  if (!isProofShaped(proof) || !isHexPubkey(pubkey)) return false;
  try {
    return schnorr.verify(hexToBytes(proof), digest(coordinate), hexToBytes(pubkey));
  } catch {
    // A pubkey that is not a point on the curve.
    return false;
  }
}

import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import { buildLiveEvent, parseLiveEvent } from './live-event.js';
import { isProofShaped, signParticipantProof, verifyParticipantProof } from './participant-proof.js';

const serviceKey = generateSecretKey();
const service = getPublicKey(serviceKey);
const guestKey = generateSecretKey();
const guest = getPublicKey(guestKey);
const coordinate = liveEventCoordinate(service, 'stream-1');

describe('NIP-53 participant proof', () => {
  it('verifies a proof signed by the participant over this coordinate, and nothing else', () => {
    const proof = signParticipantProof(coordinate, guestKey);
    expect(isProofShaped(proof)).toBe(true);
    expect(verifyParticipantProof(coordinate, guest, proof)).toBe(true);

    expect(verifyParticipantProof(liveEventCoordinate(service, 'stream-2'), guest, proof)).toBe(false);
    expect(verifyParticipantProof(coordinate, service, proof)).toBe(false);
    expect(verifyParticipantProof(coordinate, guest, signParticipantProof(coordinate, serviceKey))).toBe(false);
    const flipped = (proof[0] === '0' ? '1' : '0') + proof.slice(1);
    expect(verifyParticipantProof(coordinate, guest, flipped)).toBe(false);
  });

  it('answers false, never throws, for malformed proofs and keys', () => {
    const proof = signParticipantProof(coordinate, guestKey);
    for (const bad of ['', 'zz', proof.slice(2), proof.toUpperCase(), `${proof}00`]) {
      expect(verifyParticipantProof(coordinate, guest, bad)).toBe(false);
    }
    expect(verifyParticipantProof(coordinate, 'not a key', proof)).toBe(false);
    // 64 hex characters that are not the x coordinate of a curve point.
    expect(verifyParticipantProof(coordinate, 'f'.repeat(64), proof)).toBe(false);
  });

  it('round-trips through a 30311: the builder writes it, the parser keeps a well-formed one and drops the rest', () => {
    const proof = signParticipantProof(coordinate, guestKey);
    const template = buildLiveEvent(
      {
        identifier: 'stream-1',
        status: 'live',
        participants: [
          { pubkey: guest, role: 'speaker', proof },
          { pubkey: service, role: 'host', proof: 'not-a-proof' },
        ],
        hashtags: [],
        relays: [],
        qualityOptions: [],
      },
      1_700_000_000,
    );
    expect(template.tags).toContainEqual(['p', guest, '', 'speaker', proof]);
    const result = parseLiveEvent(finalizeEvent(template, serviceKey));
    if (!result.ok) throw new Error(result.reason);
    const [speaker, host] = result.value.participants;
    expect(speaker?.proof).toBe(proof);
    expect(verifyParticipantProof(result.value.coordinate, speaker?.pubkey ?? '', speaker?.proof ?? '')).toBe(true);
    expect(host).toEqual({ pubkey: service, role: 'host' });
  });
});

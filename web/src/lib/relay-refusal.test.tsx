import { describe, expect, it } from 'vitest';
import { readableRefusal } from './relay-refusal';

describe('relay refusals in words', () => {
  it('turns each NIP-01 prefix into a lead-in', () => {
    expect(readableRefusal('rate-limited: you are sending messages too fast; wait 3 s')).toBe('Slow down: you are sending messages too fast; wait 3 s.');
    expect(readableRefusal('rate-limited:')).toBe('Slow down.');
    expect(readableRefusal('invalid: bad signature')).toBe('The relay could not accept this message: bad signature.');
    expect(readableRefusal('pow: difficulty 20 required')).toBe('The relay asks for proof of work: difficulty 20 required.');
    expect(readableRefusal('duplicate: already have this event')).toBe('Already sent: already have this event.');
    expect(readableRefusal('error: database down')).toBe('The relay failed to save this; try again: database down.');
    expect(readableRefusal('restricted: this relay does not take AUTH')).toBe('Not allowed here: this relay does not take AUTH.');
    expect(readableRefusal('blocked: the host has turned chat off for this stream')).toBe('Not allowed: the host has turned chat off for this stream.');
  });

  it('lets a sentence addressed to the reader speak for itself', () => {
    expect(readableRefusal('blocked: you are banned')).toBe('You are banned.');
  });

  it('leaves unknown prefixes and plain text as sentences', () => {
    expect(readableRefusal('connection failure')).toBe('Connection failure.');
    expect(readableRefusal('weird: thing happened!')).toBe('Weird: thing happened!');
  });

  it('shows a time-out end in local time, with the date when it is not today', () => {
    const until = new Date(2026, 11, 3, 14, 5);
    const local = until.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const said = readableRefusal(`blocked: you are timed out of this chat until ${until.toISOString()}`, new Date(2026, 11, 3, 13, 0));
    expect(said).toBe(`You are timed out of this chat until ${local}.`);
    expect(readableRefusal(`blocked: you are timed out until ${until.toISOString()}`, new Date(2026, 11, 1, 9, 0))).not.toContain('Z');
  });
});

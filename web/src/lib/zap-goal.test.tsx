import { describe, expect, it } from 'vitest';
import { GOAL_FIELDS, goalAmounts, goalPercent, goalState, parseGoalInput } from './zap-goal';

const form = (sats: string, description: string) => {
  const data = new FormData();
  data.set(GOAL_FIELDS.sats, sats);
  data.set(GOAL_FIELDS.description, description);
  return data;
};

describe('parseGoalInput', () => {
  it('reads a whole number of sats and a trimmed description', () => {
    expect(parseGoalInput(form(' 2100 ', '  New mic '))).toEqual({ ok: true, value: { sats: 2100, description: 'New mic' } });
  });

  it('takes both fields empty as no goal only where the goal is optional', () => {
    expect(parseGoalInput(form('', ' '), true)).toEqual({ ok: true, value: undefined });
    expect(parseGoalInput(form('', ''))).toMatchObject({ ok: false, field: GOAL_FIELDS.sats });
  });

  it('names the field at fault', () => {
    for (const sats of ['0', '-5', '2.5', 'lots', '']) {
      expect(parseGoalInput(form(sats, 'New mic'), true)).toEqual({ ok: false, field: GOAL_FIELDS.sats, message: 'The goal must be a whole number of sats, more than 0.' });
    }
    expect(parseGoalInput(form('5000000000', 'New mic'))).toEqual({ ok: false, field: GOAL_FIELDS.sats, message: 'The goal can be at most 1,000,000,000 sats.' });
    expect(parseGoalInput(form('100', '   '), true)).toEqual({ ok: false, field: GOAL_FIELDS.description, message: 'Say what the goal is for.' });
    expect(parseGoalInput(form('100', 'x'.repeat(201)))).toMatchObject({ ok: false, field: GOAL_FIELDS.description });
  });
});

describe('goal words', () => {
  it('writes the amounts, a full bar once reached, and when it closed', () => {
    expect(goalAmounts({ targetSats: 5000, raisedSats: 2100, status: 'open' })).toBe('2,100 / 5,000 sats (42 %)');
    expect(goalState({ targetSats: 5000, raisedSats: 2100, status: 'open' })).toBe('Open');
    expect(goalPercent({ targetSats: 300, raisedSats: 299, status: 'open' })).toBe(99);
    expect(goalPercent({ targetSats: 100, raisedSats: 150, status: 'reached', closedAt: 1_700_000_000 })).toBe(100);
    expect(goalState({ targetSats: 100, raisedSats: 150, status: 'reached', closedAt: 1_700_000_000 })).toMatch(/^Goal reached at \d/);
    expect(goalState({ targetSats: 100, raisedSats: 20, status: 'closed', closedAt: 1_700_000_000 })).toMatch(/^Goal closed at \d/);
  });
});

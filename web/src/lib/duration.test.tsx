import { describe, expect, it } from 'vitest';
import { clockDuration, spokenDuration } from './duration';

describe('durations', () => {
  it.each([
    [0, '0:00', '0 seconds'],
    [45, '0:45', '45 seconds'],
    [61, '1:01', '1 minute'],
    [3723, '1:02:03', '1 hour 2 minutes'],
    [7200, '2:00:00', '2 hours'],
    [-5, '0:00', '0 seconds'],
  ])('%i s reads %s on a clock and "%s" aloud', (seconds, clock, spoken) => {
    expect(clockDuration(seconds)).toBe(clock);
    expect(spokenDuration(seconds)).toBe(spoken);
  });
});

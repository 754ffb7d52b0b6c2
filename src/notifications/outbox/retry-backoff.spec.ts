import { nextAttemptDelayMs } from './retry-backoff';

describe('nextAttemptDelayMs', () => {
  it('doubles from one minute and caps at one hour', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => nextAttemptDelayMs(n) / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(nextAttemptDelayMs(500)).toBe(3_600_000);
  });
});

/** Retry schedule of the outbox: 1 min, 2, 4, … capped at 1 hour; given up after `maxAttempts`. */
export const OUTBOX_MAX_ATTEMPTS = 20;

export function nextAttemptDelayMs(attempts: number, baseMs = 60_000, capMs = 3_600_000): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(capMs, baseMs * 2 ** Math.min(exponent, 30));
}

/**
 * Polls `probe` until `accept` says yes, for effects that happen after a reply (a webhook's
 * reaction, an email written by a server). Not a timing assertion: the deadline only ends a
 * test that would otherwise hang, and says what never happened.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

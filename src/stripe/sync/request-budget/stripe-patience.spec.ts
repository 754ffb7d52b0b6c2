import { StripePatience, StripeUnreachableError } from './stripe-patience';

const down = () => Object.assign(new Error('connect ECONNREFUSED'), { type: 'StripeConnectionError' });

describe('StripePatience', () => {
  it('waits out failures with growing delays up to the maximum, logging each wait, and goes on', async () => {
    let now = 0;
    const waits: number[] = [];
    const lines: string[] = [];
    const patience = new StripePatience(
      { baseDelayMs: 1000, maxDelayMs: 30_000, unreachableAfterMs: 300_000 },
      (line) => lines.push(line),
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    let calls = 0;
    const result = await patience.run('backfill invoices range 0', async () => {
      calls += 1;
      if (calls <= 7) throw down();
      return 'page';
    });
    expect(result).toBe('page');
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(lines).toHaveLength(7);
    expect(lines[5]).toMatch(/backfill invoices range 0: Stripe still failing after retries \(connect ECONNREFUSED\); waiting 30\.0 s, then going on/);
  });

  it('gives up once nothing has succeeded for the limit, saying what to do', async () => {
    let now = 0;
    const patience = new StripePatience(
      { baseDelayMs: 1000, maxDelayMs: 30_000, unreachableAfterMs: 60_000 },
      () => undefined,
      () => now,
      async (ms) => (now += ms),
    );
    const failure = patience.run('catch-up events', async () => {
      throw down();
    });
    await expect(failure).rejects.toBeInstanceOf(StripeUnreachableError);
    await expect(failure).rejects.toThrow(/unreachable for 60 s .* run `payrisk sync` again: it resumes from its checkpoints/);
    expect(now).toBe(60_000);
  });

  it('a success anywhere resets the clock; other errors pass straight through', async () => {
    let now = 0;
    const patience = new StripePatience(
      { baseDelayMs: 1000, maxDelayMs: 1000, unreachableAfterMs: 5000 },
      () => undefined,
      () => now,
      async (ms) => (now += ms),
    );
    for (let round = 0; round < 5; round += 1) {
      let failed = 0;
      await patience.run('x', async () => {
        if (failed++ < 3) throw down();
        return 1;
      });
    }
    expect(now).toBe(15_000); // 3 s down per round, never 5 s in a row
    const bad = Object.assign(new Error('No such customer'), { type: 'StripeInvalidRequestError', statusCode: 404 });
    await expect(patience.run('x', async () => Promise.reject(bad))).rejects.toBe(bad);
  });
});

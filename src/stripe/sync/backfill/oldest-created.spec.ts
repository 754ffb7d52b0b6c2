import { estimateOldestCreated } from './oldest-created';

const DAY = 86_400;

/** A type's `created` values and the list request the estimator may make, counted. */
function account(created: number[]) {
  const sorted = [...created].sort((a, b) => b - a);
  let requests = 0;
  const newestBefore = async (lt: number) => {
    requests += 1;
    return sorted.find((c) => c < lt);
  };
  return { newestBefore, requests: () => requests };
}

describe('estimateOldestCreated', () => {
  const now = 1_790_000_000;

  it('finds a bound at or below the oldest object, close to it, in a few requests', async () => {
    const created = Array.from({ length: 420 }, (_, i) => now - i * DAY - 3_600); // 14 months, one a day
    const oldest = Math.min(...created);
    const { newestBefore, requests } = account(created);
    const estimate = await estimateOldestCreated(now - 3_600, newestBefore);
    expect(estimate).toBeLessThanOrEqual(oldest);
    expect(oldest - estimate).toBeLessThan(64 * DAY);
    expect(requests()).toBeLessThanOrEqual(14);
  });

  it('answers the known object itself when nothing is older', async () => {
    const { newestBefore } = account([now]);
    const estimate = await estimateOldestCreated(now, newestBefore);
    expect(estimate).toBeLessThanOrEqual(now);
    expect(now - estimate).toBeLessThanOrEqual(DAY);
  });

  it('starts from a floor when one is known (the oldest customer bounds their invoices)', async () => {
    const created = Array.from({ length: 300 }, (_, i) => now - i * DAY);
    const oldest = Math.min(...created);
    const { newestBefore, requests } = account(created);
    const estimate = await estimateOldestCreated(now, newestBefore, { floor: oldest - 400 * DAY, refine: 4 });
    expect(estimate).toBeLessThanOrEqual(oldest);
    expect(oldest - estimate).toBeLessThan(50 * DAY);
    expect(requests()).toBe(4);
  });

  it('stops at the epoch', async () => {
    const { newestBefore } = account([10, now]);
    expect(await estimateOldestCreated(now, newestBefore)).toBeLessThanOrEqual(10);
  });
});

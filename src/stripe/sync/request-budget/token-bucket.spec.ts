import { TokenBucket } from './token-bucket';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBucket', () => {
  it('lets a burst through, then spaces callers by 1/rate in the order they came', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 2, now: time.now });
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100, 200, 300]);
  });

  it('refills at the rate, never beyond the burst', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, now: time.now });
    for (let i = 0; i < 3; i += 1) bucket.reserve();
    time.advance(150); // 1.5 tokens back
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBeCloseTo(50, 6);
    time.advance(60_000); // idle for a minute: still only `burst` tokens
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0, 100]);
  });

  it('holds every caller until a Retry-After has passed, then resumes at the rate without a burst', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: time.now });
    expect(bucket.reserve()).toBe(0);
    bucket.pauseUntil(time.now() + 2_000);
    expect(bucket.reserve()).toBe(2_100);
    expect(bucket.reserve()).toBe(2_200);
    time.advance(2_200);
    expect(bucket.reserve()).toBe(100);
    // A shorter pause than one already in force changes nothing.
    const queued = bucket.reserve();
    bucket.pauseUntil(time.now() + 1);
    expect(bucket.reserve()).toBe(queued + 100);
  });

  it('schedules exactly rate × seconds + burst sends in a window, however many callers queue', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: 20, burst: 4, now: time.now });
    const waits = Array.from({ length: 1_000 }, () => bucket.reserve());
    expect(waits.filter((wait) => wait <= 10_000)).toHaveLength(20 * 10 + 4);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
  });

  it('never waits when unlimited, except for a Retry-After', () => {
    const time = clock();
    const bucket = new TokenBucket({ ratePerSecond: Infinity, now: time.now });
    for (let i = 0; i < 1_000; i += 1) expect(bucket.reserve()).toBe(0);
    bucket.pauseUntil(time.now() + 1_000);
    expect(bucket.reserve()).toBe(1_000);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, now: () => 0 })).toThrow('ratePerSecond');
  });
});

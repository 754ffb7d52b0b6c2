import { requestsPerSecondFor } from './request-budget';

describe('requestsPerSecondFor', () => {
  const limits = { requestsPerSecondLive: 80, requestsPerSecondTest: 20 };

  it('gives live secret and restricted keys the live allowance', () => {
    expect(requestsPerSecondFor('sk_live_abc', limits)).toBe(80);
    expect(requestsPerSecondFor('rk_live_abc', limits)).toBe(80);
  });

  it('gives test keys (the built-in sandbox included) the test allowance', () => {
    expect(requestsPerSecondFor('sk_test_abc', limits)).toBe(20);
    expect(requestsPerSecondFor('rk_test_abc', limits)).toBe(20);
    expect(requestsPerSecondFor('sk_test_sandboxQWERTY', limits)).toBe(20);
  });
});

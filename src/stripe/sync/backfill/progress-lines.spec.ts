import { progressLine } from './progress-lines';

describe('progressLine', () => {
  it('says count, rate, share of the estimated total and time left', () => {
    expect(progressLine({ type: 'invoices', synced: 52_300, page: 100, ratePerSecond: 4_210, estimatedTotal: 84_000, etaSeconds: 8 })).toBe(
      'invoices: 52,300 synced, 4,210/s, ~62% of ~84,000, ETA 8 s',
    );
    expect(progressLine({ type: 'customers', synced: 10, page: 10, ratePerSecond: 1, estimatedTotal: 1_000, etaSeconds: 990 })).toContain('ETA 17 min');
  });

  it('says when the total cannot be estimated yet', () => {
    expect(progressLine({ type: 'disputes', synced: 100, page: 100, ratePerSecond: 50 })).toBe('disputes: 100 synced, 50/s, total not yet estimated');
  });
});

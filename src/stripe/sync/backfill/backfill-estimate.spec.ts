import { estimateBackfill } from './backfill-estimate';

const span = { oldest: 1_000, newest: 1_399 };
const ranges = [{ lt: 1_100 }, { gte: 1_100, lt: 1_200 }, { gte: 1_200, lt: 1_300 }, { gte: 1_300 }];

describe('estimateBackfill', () => {
  it('projects the total and the time left from the share of each range walked', () => {
    // Two ranges done, two half-way down: 75% of the span.
    const states = [
      { range: ranges[0], complete: false, lastCreated: 1_050 },
      { range: ranges[1], complete: true },
      { range: ranges[2], complete: false, lastCreated: 1_250 },
      { range: ranges[3], complete: true },
    ];
    expect(estimateBackfill(states, span, 300, 100)).toEqual({ fraction: 0.75, estimatedTotal: 400, etaSeconds: 1 });
  });

  it('says nothing about the total before there is anything to go on', () => {
    const states = ranges.map((range) => ({ range, complete: false }));
    expect(estimateBackfill(states, span, 0, 0)).toEqual({ fraction: 0 });
    const barelyStarted = ranges.map((range, i) => ({ range, complete: false, lastCreated: i === 3 ? 1_399 : undefined }));
    expect(estimateBackfill(barelyStarted, span, 100, 50).estimatedTotal).toBeUndefined();
  });

  it('is exact once every range is complete', () => {
    const states = ranges.map((range) => ({ range, complete: true }));
    expect(estimateBackfill(states, span, 1_234, 10)).toEqual({ fraction: 1, estimatedTotal: 1_234, etaSeconds: 0 });
  });
});

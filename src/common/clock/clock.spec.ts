import { OffsetClock } from './clock';

describe('OffsetClock', () => {
  it('runs in real time from the reading', () => {
    const readAt = Date.now();
    const clock = new OffsetClock(new Date(readAt + 30 * 86_400_000), readAt);
    const shift = clock.now().getTime() - Date.now();
    expect(Math.abs(shift - 30 * 86_400_000)).toBeLessThan(1000);
  });
});

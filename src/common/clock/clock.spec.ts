import { OffsetClock } from './clock';
import { DAY_MS } from '../time';

describe('OffsetClock', () => {
  it('runs in real time from the reading', () => {
    const readAt = Date.now();
    const clock = new OffsetClock(new Date(readAt + 30 * DAY_MS), readAt);
    const shift = clock.now().getTime() - Date.now();
    expect(Math.abs(shift - 30 * DAY_MS)).toBeLessThan(1000);
  });
});

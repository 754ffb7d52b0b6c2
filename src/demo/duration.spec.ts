import { parseDuration } from './duration';

describe('parseDuration', () => {
  it('reads seconds, minutes, hours, days and weeks', () => {
    expect(parseDuration('3600s')).toBe(3_600);
    expect(parseDuration('30m')).toBe(1_800);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('2w')).toBe(1_209_600);
  });

  it('refuses anything else with what is expected', () => {
    for (const bad of ['7', 'd7', '-1d', '1.5d', '7 days', '']) expect(() => parseDuration(bad)).toThrow(/expected a duration like 7d/);
  });
});

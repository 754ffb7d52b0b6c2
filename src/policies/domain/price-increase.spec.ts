import { money } from '../../common/money';
import { draftNotice, effectiveDate, raisedUnitAmount } from './price-increase';

describe('price increase', () => {
  it('raises unit prices with half-up rounding in minor units', () => {
    expect(raisedUnitAmount(150_000, 20)).toBe(180_000);
    expect(raisedUnitAmount(999, 12.5)).toBe(1_124); // 1123.875 → 1124
    expect(raisedUnitAmount(10, 25)).toBe(13); // 12.5 → 13
    expect(raisedUnitAmount(5_000, 0)).toBe(5_000);
    expect(raisedUnitAmount(12_345, 7)).toBe(13_209); // 13209.15 → 13209 (JPY has no cents, same maths)
  });

  it('takes effect after the notice period, at the start of a UTC day', () => {
    expect(effectiveDate(new Date('2026-11-25T17:45:00Z'), 30).toISOString()).toBe('2026-12-25T00:00:00.000Z');
  });

  it('drafts a notice with each change and the opt-out', () => {
    const notice = draftNotice('Acme GmbH', 20, new Date('2026-12-25T00:00:00Z'), [
      { description: 'Retainer (monthly)', from: money(150_000, 'eur'), to: money(180_000, 'eur') },
    ]);
    expect(notice).toContain('From 2026-12-25 our prices for your account change as follows:');
    expect(notice).toContain('- Retainer (monthly): €1,500.00 → €1,800.00');
    expect(notice).toContain('reply before 2026-12-25');
  });
});

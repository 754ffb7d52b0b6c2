import { money } from '../../common/money';
import { judgeArrears, OutstandingInvoice } from './work-pause-rule';
import { DAY_MS } from '../../common/time';

const NOW = new Date('2026-11-25T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const invoice = (id: string, dueDaysAgo: number, amount: number, currency = 'eur'): OutstandingInvoice => ({
  invoiceId: id,
  number: id.toUpperCase(),
  dueAt: daysAgo(dueDaysAgo),
  remaining: money(amount, currency),
  subscriptionId: null,
});

describe('work pause rule', () => {
  const settings = { minDaysPastDue: 45, minAmount: 100_000 };

  it('pauses when an invoice is old enough and the arrears reach the amount', () => {
    const judgement = judgeArrears([invoice('in_a', 50, 80_000), invoice('in_b', 46, 30_000), invoice('in_c', 10, 5_000)], settings, 'eur', NOW);
    expect(judgement.warranted).toBe(true);
    expect(judgement.causes.map((c) => c.invoiceId)).toEqual(['in_a', 'in_b']);
    expect(judgement.arrears).toEqual([money(115_000, 'eur')]);
    expect(judgement.oldestDaysPastDue).toBe(50);
    expect(judgement.reason).toBe('2 invoices are at least 45 days past due (oldest 50 days, €1,100.00 owed)');
  });

  it('does not pause one day early or under the amount', () => {
    expect(judgeArrears([invoice('in_a', 44, 500_000)], settings, 'eur', NOW).warranted).toBe(false);
    expect(judgeArrears([invoice('in_a', 45, 99_999)], settings, 'eur', NOW).warranted).toBe(false);
    expect(judgeArrears([invoice('in_a', 45, 100_000)], settings, 'eur', NOW).warranted).toBe(true);
  });

  it('counts other currencies only when there is no amount threshold (no conversion)', () => {
    expect(judgeArrears([invoice('in_a', 60, 9_000_000, 'jpy')], settings, 'eur', NOW).warranted).toBe(false);
    expect(judgeArrears([invoice('in_a', 60, 9_000, 'jpy')], { minDaysPastDue: 45, minAmount: 0 }, 'eur', NOW).warranted).toBe(true);
  });

  it('clears once the old invoices are settled, and says so', () => {
    const judgement = judgeArrears([invoice('in_a', 60, 0)], settings, 'eur', NOW);
    expect(judgement).toMatchObject({ warranted: false, causes: [], arrears: [], reason: 'every overdue invoice is settled' });
  });
});

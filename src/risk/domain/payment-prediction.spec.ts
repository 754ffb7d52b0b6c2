import type { InvoiceFact } from './client-history';
import { predictPayments } from './payment-prediction';
import { DAY_MS } from '../../common/time';
import { historiesOf } from './testing/ledger-facts';

/** A day as the explanation prints it: "14 Dec", or "14 Dec 2027" in another year. */
const DAY = '\\d{1,2} [A-Z][a-z]{2}( \\d{4})?';

/**
 * Payment predictions: the client's own signed lateness, recency-weighted, shrunk towards the
 * book's, conditioned on the invoice still being unpaid now; median and an 80 % range.
 */
const NOW = new Date('2026-11-25T12:00:00Z');
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY_MS);
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);
const TODAY = iso(0);
const offsetOf = (date: string) => Math.round((Date.parse(`${date}T12:00:00Z`) - NOW.getTime()) / DAY_MS);

function inv(id: string, due: number | null, paid: number | null, overrides: Partial<InvoiceFact> = {}): InvoiceFact {
  const dueAt = due === null ? null : day(due);
  return {
    id,
    number: id.toUpperCase(),
    status: paid === null ? 'open' : 'paid',
    currency: 'eur',
    subtotal: 100_000,
    total: 100_000,
    totalDiscount: 0,
    amountRemaining: paid === null ? 100_000 : 0,
    attemptCount: 0,
    createdAt: day((due ?? 0) - 30),
    dueAt,
    paidAt: dueAt && paid !== null ? new Date(dueAt.getTime() + paid * DAY_MS) : null,
    voidedAt: null,
    ...overrides,
  };
}

const history = historiesOf('cus_predict');

/** Paid invoices 20 days apart up to last month, each paid `lateness[i]` days after its due date. */
const paidHistory = (lateness: number[]) => lateness.map((late, i) => inv(`in_paid_${i + 1}`, -40 - 20 * (lateness.length - 1 - i), late));
const tenDaysLate = paidHistory([9, 11, 10, 10, 9, 11, 10, 12, 8, 10, 10, 11, 9, 10, 10, 11, 10, 9, 10, 10]);

describe('predictPayments', () => {
  it('expects a client with a steady habit on its usual day, inside an 80 % range around it', () => {
    const [prediction] = predictPayments(history([...tenDaysLate, inv('in_open', 10, null)]), NOW);
    expect(prediction).toMatchObject({ invoiceId: 'in_open', amount: { amount: 100_000, currency: 'eur' }, dueDate: iso(10), basedOn: 20 });
    expect(offsetOf(prediction.expectedDate) - 10).toBeGreaterThanOrEqual(9);
    expect(offsetOf(prediction.expectedDate) - 10).toBeLessThanOrEqual(11);
    expect(offsetOf(prediction.earliest) - 10).toBeGreaterThanOrEqual(2);
    expect(offsetOf(prediction.earliest) - 10).toBeLessThan(10);
    expect(offsetOf(prediction.latest) - 10).toBeGreaterThanOrEqual(11);
    expect(offsetOf(prediction.latest) - 10).toBeLessThanOrEqual(25);
    expect(prediction.explanation).toMatch(
      new RegExp(`^Expected ${DAY} \\(8 in 10 between ${DAY} and ${DAY}\\): paid its 20 invoices 10 days after the due date on median\\.$`),
    );
  });

  it('shrinks a client with one paid invoice towards the book, and trusts a long history', () => {
    const book = [{ day: 0, weight: 100 }];
    const one = predictPayments(history([paidHistory([30])[0], inv('in_open', 10, null)]), NOW, { book })[0];
    const many = predictPayments(history([...paidHistory(Array<number>(20).fill(30)), inv('in_open', 10, null)]), NOW, { book })[0];
    expect(offsetOf(one.expectedDate) - 10).toBeLessThan(15);
    expect(offsetOf(many.expectedDate) - 10).toBeGreaterThanOrEqual(28);
    expect(one.explanation).toContain('shrunk towards your other clients’ habits');
  });

  it('without any paid invoice follows the book', () => {
    const book = [
      { day: 20, weight: 5 },
      { day: 21, weight: 5 },
    ];
    const [prediction] = predictPayments(history([inv('in_later', 7, null)]), NOW, { book });
    expect(offsetOf(prediction.expectedDate)).toBeGreaterThanOrEqual(27);
    expect(offsetOf(prediction.expectedDate)).toBeLessThanOrEqual(28);
    expect(prediction).toMatchObject({ basedOn: 0 });
    expect(prediction.explanation).toContain('no paid invoice of its own yet');
  });

  it('rests on paid invoices only and predicts only open ones still owing something, for their remainder', () => {
    const others = [
      inv('in_void', -100, null, { status: 'void', amountRemaining: 0 }),
      inv('in_bad', -80, null, { status: 'uncollectible' }),
      inv('in_draft', 20, null, { status: 'draft' }),
      inv('in_settled', 15, null, { amountRemaining: 0 }),
      inv('in_no_due', null, null),
      inv('in_partly', 30, null, { currency: 'jpy', total: 120_000, amountRemaining: 40_000 }),
    ];
    const predictions = predictPayments(history([...tenDaysLate, ...others]), NOW);
    expect(predictions.map((p) => [p.invoiceId, p.amount, p.dueDate, p.basedOn])).toEqual([['in_partly', { amount: 40_000, currency: 'jpy' }, iso(30), 20]]);
  });

  it('conditions an overdue invoice on still being unpaid: later than the habit, never today, never in the past', () => {
    const [prediction] = predictPayments(history([...tenDaysLate, inv('in_very_late', -105, null)]), NOW);
    expect(offsetOf(prediction.earliest)).toBeGreaterThanOrEqual(1);
    expect(offsetOf(prediction.expectedDate)).toBeGreaterThan(offsetOf(prediction.earliest));
    expect(offsetOf(prediction.latest)).toBeGreaterThan(offsetOf(prediction.expectedDate));
    expect(prediction.explanation).toContain('still unpaid 105 days after the due date');
  });

  it('expects an invoice at the end of its usual lateness from today (the client paid that late before), with a range reaching later', () => {
    const [prediction] = predictPayments(history([...tenDaysLate, inv('in_open', -12, null)]), NOW);
    expect(offsetOf(prediction.expectedDate)).toBeGreaterThanOrEqual(0);
    expect(offsetOf(prediction.expectedDate)).toBeLessThanOrEqual(15);
    expect(offsetOf(prediction.latest)).toBeGreaterThan(offsetOf(prediction.expectedDate));
  });

  it('keeps earliest ≤ expected ≤ latest, none before today, for any due date', () => {
    const open = Array.from({ length: 101 }, (_, i) => inv(`in_open_${i}`, i - 60, null));
    const predictions = predictPayments(history([...tenDaysLate, ...open]), NOW);
    expect(predictions).toHaveLength(101);
    for (const p of predictions) {
      expect(p.earliest >= TODAY).toBe(true);
      expect(p.earliest <= p.expectedDate && p.expectedDate <= p.latest).toBe(true);
    }
    // Earliest due first.
    expect(predictions.map((p) => p.dueDate)).toEqual([...predictions.map((p) => p.dueDate)].sort());
  });

  it('expects a client who pays early before the due date', () => {
    const early = paidHistory([-6, -4, -3, -5, -4, -3, -4, -5, -3, -4, -4, -3]);
    const [prediction] = predictPayments(history([...early, inv('in_open', 20, null)]), NOW);
    expect(offsetOf(prediction.expectedDate)).toBeLessThan(20);
    expect(offsetOf(prediction.expectedDate)).toBeGreaterThanOrEqual(14);
    expect(prediction.explanation).toContain('4 days before the due date on median');
  });

  it('weighs recent payments more than old ones', () => {
    // Ten old invoices paid 30 days late, then ten recent ones on time: the recent habit wins.
    const changed = paidHistory([30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const [prediction] = predictPayments(history([...changed, inv('in_open', 10, null)]), NOW);
    expect(offsetOf(prediction.expectedDate) - 10).toBeLessThan(8);
  });

  it('gives a client whose late payments scatter a wider range than one as late on median but steady', () => {
    const steady = paidHistory([20, 20, 21, 19, 20, 20, 21, 19, 20, 20, 21, 19]);
    const scattered = paidHistory([10, 30, 14, 26, 20, 12, 28, 20, 16, 24, 20, 20]);
    const width = (p: { earliest: string; latest: string }) => offsetOf(p.latest) - offsetOf(p.earliest);
    const [tight] = predictPayments(history([...steady, inv('in_open', 10, null)]), NOW);
    const [wide] = predictPayments(history([...scattered, inv('in_open', 10, null)]), NOW);
    expect(Math.abs(offsetOf(tight.expectedDate) - offsetOf(wide.expectedDate))).toBeLessThanOrEqual(1);
    expect(width(wide)).toBeGreaterThan(width(tight) + 4);
  });

  it('counts another invoice still unpaid well past its due date as evidence the client pays late', () => {
    // Half on time, half 20 days late: a second invoice 25 days overdue tips the next one towards late.
    const mixed = paidHistory([0, 20, 0, 20, 0, 20, 0, 20, 0, 20]);
    const [without] = predictPayments(history([...mixed, inv('in_next', 10, null)]), NOW);
    const withOverdue = predictPayments(history([...mixed, inv('in_overdue', -25, null), inv('in_next', 10, null)]), NOW).find(
      (p) => p.invoiceId === 'in_next',
    );
    expect(offsetOf((withOverdue as { expectedDate: string }).expectedDate)).toBeGreaterThan(offsetOf(without.expectedDate) + 5);
  });

  it('for an invoice overdue longer than any of the client’s own payments, leans on the book’s late payments beyond that age', () => {
    const book = [...Array.from({ length: 10 }, (_, i) => ({ day: -i, weight: 10 })), { day: 30, weight: 2 }, { day: 31, weight: 2 }];
    const [prediction] = predictPayments(history([...paidHistory([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 20]), inv('in_open', -25, null)]), NOW, { book });
    expect(offsetOf(prediction.expectedDate) + 25).toBeGreaterThanOrEqual(29);
    expect(offsetOf(prediction.expectedDate) + 25).toBeLessThanOrEqual(32);
  });
});

describe('predictPayments counts in dates', () => {
  /** A client that always pays two dates after the due date, each due moment at `dueHour` UTC and each payment at `paidHour`. */
  const twoDatesLate = (dueHour: number, paidHour: number) => {
    const at = (dayOffset: number, hour: number) => new Date(Date.UTC(2026, 10, 25 + dayOffset, hour));
    const paid = Array.from({ length: 12 }, (_, i): InvoiceFact => {
      const due = -60 - 20 * i;
      return inv(`in_paid_${i + 1}`, due, 0, { dueAt: at(due, dueHour), paidAt: at(due + 2, paidHour), createdAt: at(due - 30, 9) });
    });
    const open = inv('in_open', 10, null, { dueAt: at(10, dueHour), createdAt: at(-20, 9) });
    return predictPayments(history([...paid, open]), NOW)[0];
  };

  it('predicts the same date whatever the hour of the due moment and of the payments', () => {
    // 23:00 due, 09:00 paid is 34 hours (one whole day) but two dates; 00:00 due, 23:00 paid is 71 hours.
    for (const [dueHour, paidHour] of [
      [23, 9],
      [0, 23],
      [12, 12],
    ]) {
      const prediction = twoDatesLate(dueHour, paidHour);
      expect({ dueHour, paidHour, expected: prediction.expectedDate }).toEqual({ dueHour, paidHour, expected: iso(12) });
      expect(prediction.explanation).toContain('paid its 12 invoices 2 days after the due date on median');
    }
  });
});

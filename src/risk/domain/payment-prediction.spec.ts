import type { ClientHistory, InvoiceFact } from './client-history';
import { predictPayments } from './payment-prediction';

/**
 * Payment predictions with hand-computed dates: due date plus the client's p25 / median / p90
 * days late over their paid invoices, each rounded to whole days, never before today.
 * Percentiles interpolate linearly: rank = p/100 × (n − 1) over the sorted values.
 */
const NOW = new Date('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const day = (offset: number) => new Date(NOW.getTime() + offset * DAY);
const iso = (offset: number) => day(offset).toISOString().slice(0, 10);
const TODAY = iso(0);

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
    paidAt: dueAt && paid !== null ? new Date(dueAt.getTime() + paid * DAY) : null,
    voidedAt: null,
    ...overrides,
  };
}

const history = (invoices: InvoiceFact[]): ClientHistory => ({ clientId: 'cus_predict', invoices, creditNotes: [], disputes: [], discountRequests: [] });

/** Paid invoices 30 days apart, each paid `lateness[i]` days after its due date. */
const paidHistory = (lateness: number[]) => lateness.map((late, i) => inv(`in_paid_${i + 1}`, -230 + 30 * i, late));

describe('predictPayments', () => {
  // Days late 2, 5, 9, 14, 30 (n = 4 gaps): p25 rank 1 → 5; p50 rank 2 → 9; p90 rank 3.6 → 14 + 0.6×16 = 23.6 → 24.
  const usual = paidHistory([2, 5, 9, 14, 30]);

  it('expects an open invoice on its due date plus the median days late, earliest at p25, latest at p90', () => {
    expect(predictPayments(history([...usual, inv('in_open', 10, null)]), NOW)).toEqual([
      {
        invoiceId: 'in_open',
        amount: { amount: 100_000, currency: 'eur' },
        dueDate: iso(10),
        earliest: iso(15), // 10 + 5
        expectedDate: iso(19), // 10 + 9
        latest: iso(34), // 10 + 24
        basedOn: 5,
      },
    ]);
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
    expect(predictPayments(history([...usual, ...others]), NOW)).toEqual([
      { invoiceId: 'in_partly', amount: { amount: 40_000, currency: 'jpy' }, dueDate: iso(30), earliest: iso(35), expectedDate: iso(39), latest: iso(54), basedOn: 5 },
    ]);
  });

  it('never predicts a date in the past: what is already beyond its date is expected from today, earliest due first', () => {
    const open = [inv('in_c', -7, null), inv('in_b', -12, null), inv('in_a', -40, null)];
    const predictions = predictPayments(history([...usual, ...open]), NOW);
    expect(predictions.map(({ invoiceId, dueDate, earliest, expectedDate, latest }) => ({ invoiceId, dueDate, earliest, expectedDate, latest }))).toEqual([
      // −40: −35, −31 and −16 are all past → today.
      { invoiceId: 'in_a', dueDate: iso(-40), earliest: TODAY, expectedDate: TODAY, latest: TODAY },
      // −12: −7 and −3 are past → today; −12 + 24 = 12.
      { invoiceId: 'in_b', dueDate: iso(-12), earliest: TODAY, expectedDate: TODAY, latest: iso(12) },
      // −7: −2 is past → today; −7 + 9 = 2; −7 + 24 = 17.
      { invoiceId: 'in_c', dueDate: iso(-7), earliest: TODAY, expectedDate: iso(2), latest: iso(17) },
    ]);
  });

  it('keeps earliest ≤ expected ≤ latest, none before today, for any due date', () => {
    const open = Array.from({ length: 101 }, (_, i) => inv(`in_open_${i}`, i - 60, null));
    const predictions = predictPayments(history([...usual, ...open]), NOW);
    expect(predictions).toHaveLength(101);
    for (const p of predictions) {
      expect(p.earliest >= TODAY).toBe(true);
      expect(p.earliest <= p.expectedDate && p.expectedDate <= p.latest).toBe(true);
    }
  });

  it('expects a client who pays early before the due date', () => {
    // Days late −6, −4, −3, −1, 0: p25 rank 1 → −4; p50 rank 2 → −3; p90 rank 3.6 → −1 + 0.6×1 = −0.4 → 0.
    expect(predictPayments(history([...paidHistory([-6, -4, -3, -1, 0]), inv('in_open', 20, null)]), NOW)).toEqual([
      expect.objectContaining({ dueDate: iso(20), earliest: iso(16), expectedDate: iso(17), latest: iso(20), basedOn: 5 }),
    ]);
  });

  it('without any paid invoice expects payment on the due date, or today once it has passed', () => {
    expect(predictPayments(history([inv('in_later', 7, null), inv('in_overdue', -3, null)]), NOW)).toEqual([
      expect.objectContaining({ invoiceId: 'in_overdue', dueDate: iso(-3), earliest: TODAY, expectedDate: TODAY, latest: TODAY, basedOn: 0 }),
      expect.objectContaining({ invoiceId: 'in_later', dueDate: iso(7), earliest: iso(7), expectedDate: iso(7), latest: iso(7), basedOn: 0 }),
    ]);
  });
});

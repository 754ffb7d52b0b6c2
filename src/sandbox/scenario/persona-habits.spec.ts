import type Stripe from 'stripe';
import { habitualHaggle, habitualPaymentAt } from './persona-habits';

const DAY = 86_400;
const invoice = (id: string, finalized: number, due: number | null): Stripe.Invoice =>
  ({ id, created: finalized, due_date: due, status_transitions: { finalized_at: finalized } }) as unknown as Stripe.Invoice;

describe('persona habits', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `in_test${i}`);
  const finalized = 1_800_000_000;
  const due = finalized + 14 * DAY;

  it('punctual clients always pay after finalization and before the due date', () => {
    for (const id of ids) {
      const at = habitualPaymentAt('punctual', invoice(id, finalized, due), 42) as number;
      expect(at).toBeGreaterThan(finalized);
      expect(at).toBeLessThanOrEqual(due);
    }
  });

  it('chronic late payers pay 10–25 days late, most of the time; slipping clients later still', () => {
    const late = ids.map((id) => (habitualPaymentAt('chronic_late', invoice(id, finalized, due), 42) as number) - due);
    const lateOnes = late.filter((d) => d > 0);
    expect(lateOnes.length).toBeGreaterThan(ids.length / 2);
    for (const d of lateOnes) expect(d).toBeGreaterThanOrEqual(10 * DAY);
    for (const d of lateOnes) expect(d).toBeLessThan(26 * DAY);
    for (const id of ids) expect((habitualPaymentAt('slipping', invoice(id, finalized, due), 42) as number) - due).toBeGreaterThanOrEqual(25 * DAY);
  });

  it('is the same for the same seed and invoice, and differs with the seed', () => {
    const a = ids.map((id) => habitualPaymentAt('chronic_late', invoice(id, finalized, due), 42));
    expect(ids.map((id) => habitualPaymentAt('chronic_late', invoice(id, finalized, due), 42))).toEqual(a);
    expect(ids.map((id) => habitualPaymentAt('chronic_late', invoice(id, finalized, due), 7))).not.toEqual(a);
  });

  it('hagglers ask 5–15 % off an open invoice, once; nobody else does', () => {
    const open = (id: string, credited = 0) =>
      ({
        ...invoice(id, finalized, due),
        status: 'open',
        collection_method: 'send_invoice',
        amount_remaining: 100_000,
        pre_payment_credit_notes_amount: credited,
      }) as unknown as Stripe.Invoice;
    for (const id of ids) {
      for (const persona of ['discount_hunter', 'toxic'] as const) {
        const haggle = habitualHaggle(persona, open(id), 42);
        expect(haggle?.amount).toBeGreaterThanOrEqual(5_000);
        expect(haggle?.amount).toBeLessThanOrEqual(15_000);
        expect(habitualHaggle(persona, open(id), 42)).toEqual(haggle);
        expect(habitualHaggle(persona, open(id, 1), 42)).toBeNull();
      }
      for (const persona of ['punctual', 'chronic_late', 'slipping', 'long_arrears', 'unlucky_once', 'disputer'] as const)
        expect(habitualHaggle(persona, open(id), 42)).toBeNull();
    }
  });
});

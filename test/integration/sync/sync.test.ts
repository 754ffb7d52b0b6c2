import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of list) items.push(item);
  return items;
}

async function ledgerCounts(db: TestDatabase) {
  const [row] = await db.dataSource.query(`SELECT
    (SELECT count(*)::int FROM clients) AS customers, (SELECT count(*)::int FROM invoices) AS invoices,
    (SELECT count(*)::int FROM credit_notes) AS credit_notes, (SELECT count(*)::int FROM disputes) AS disputes,
    (SELECT count(*)::int FROM subscriptions) AS subscriptions, (SELECT count(*)::int FROM invoice_payments) AS invoice_payments`);
  return row as Record<string, number>;
}

describe('Stripe sync against the sandbox', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let truth: { customers: number; invoices: Stripe.Invoice[]; credit_notes: number; disputes: number; subscriptions: number; invoice_payments: number };
  const truthCounts = () => ({
    customers: truth.customers,
    invoices: truth.invoices.length,
    credit_notes: truth.credit_notes,
    disputes: truth.disputes,
    subscriptions: truth.subscriptions,
    invoice_payments: truth.invoice_payments,
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10 });
    truth = {
      customers: (await all(stripe.customers.list({ limit: 100 }))).length,
      invoices: await all(stripe.invoices.list({ limit: 100 })),
      credit_notes: (await all(stripe.creditNotes.list({ limit: 100 }))).length,
      disputes: (await all(stripe.disputes.list({ limit: 100 }))).length,
      subscriptions: (await all(stripe.subscriptions.list({ limit: 100, status: 'all' }))).length,
      invoice_payments: (await all(stripe.invoicePayments.list({ limit: 100 }))).length,
    };
  });
  afterAll(() => sandbox.stop());

  it('backfills the ledger equal to the sandbox, with derived due dates and lateness', async () => {
    const db = await createTestDatabase();
    try {
      const summary = await new StripeSyncService(db.dataSource, stripe, sandbox.accountId).backfill();
      expect(summary.counts).toEqual(truthCounts());
      expect(await ledgerCounts(db)).toEqual(truthCounts());

      const paidLate = truth.invoices.find(
        (i) => i.status === 'paid' && i.due_date && (i.status_transitions.paid_at ?? 0) - i.due_date > 10 * 86400,
      ) as Stripe.Invoice;
      const [row] = await db.dataSource.query(`SELECT status, amount_paid::int, due_at, paid_at, stripe_account_id FROM invoices WHERE id = $1`, [paidLate.id]);
      expect(row.status).toBe('paid');
      expect(row.amount_paid).toBe(paidLate.amount_paid);
      expect(row.due_at.getTime()).toBe((paidLate.due_date as number) * 1000);
      expect(row.paid_at.getTime()).toBe((paidLate.status_transitions.paid_at as number) * 1000);
      expect(row.stripe_account_id).toBe(sandbox.accountId);

      const [{ with_client }] = await db.dataSource.query(`SELECT count(*)::int AS with_client FROM disputes WHERE client_id IS NOT NULL`);
      expect(with_client).toBe(truth.disputes);
    } finally {
      await db.drop();
    }
  });

  it('resumes an interrupted backfill from its checkpoint and still ends equal', async () => {
    const db = await createTestDatabase();
    try {
      let pages = 0;
      const crashing = new StripeSyncService(db.dataSource, stripe, sandbox.accountId, (progress) => {
        if (progress.type === 'invoices' && ++pages === 3) throw new Error('simulated crash');
      });
      await expect(crashing.backfill()).rejects.toThrow('simulated crash');
      const partial = await ledgerCounts(db);
      expect(partial.invoices).toBeGreaterThan(0);
      expect(partial.invoices).toBeLessThan(truth.invoices.length);

      const resumed = await new StripeSyncService(db.dataSource, stripe, sandbox.accountId).backfill();
      // Customers were complete before the crash: not read again; invoices continue after the checkpoint.
      expect(resumed.counts.customers).toBe(0);
      expect(resumed.counts.invoices).toBe(truth.invoices.length);
      expect((await ledgerCounts(db)).invoices).toBe(truth.invoices.length);
    } finally {
      await db.drop();
    }
  });

  it('ends equal when 30% of requests fail with 429, 500 or a dropped connection', async () => {
    const db = await createTestDatabase();
    sandbox.setFaults({ rate429: 0.12, rate500: 0.12, rateDrop: 0.06, retryAfterSeconds: 0 });
    try {
      await new StripeSyncService(db.dataSource, stripe, sandbox.accountId).backfill();
    } finally {
      sandbox.setFaults({});
    }
    try {
      expect(await ledgerCounts(db)).toEqual(truthCounts());
    } finally {
      await db.drop();
    }
  }, 120_000);

  it('catches up from events: a payment made after the backfill reaches the ledger', async () => {
    const db = await createTestDatabase();
    try {
      const service = new StripeSyncService(db.dataSource, stripe, sandbox.accountId);
      await service.backfill();
      const open = (await all(stripe.invoices.list({ status: 'open', limit: 100 })))[0];
      await stripe.invoices.pay(open.id as string, { paid_out_of_band: true });
      // A dispute opened and lost after the backfill: both events re-read it (client from its charge).
      const paidByCard = truth.invoices.find(
        (i) => i.status === 'paid' && i.amount_paid > 0 && i.collection_method === 'charge_automatically',
      ) as Stripe.Invoice;
      const dispute = (await stripe.rawRequest('POST', '/v1/test_helpers/disputes', { invoice: paidByCard.id as string })) as unknown as Stripe.Dispute;
      await stripe.disputes.close(dispute.id);
      const summary = await service.catchUp();
      expect(summary.mode).toBe('catch-up');
      expect(summary.events).toBeGreaterThan(0);
      const [row] = await db.dataSource.query(`SELECT status, amount_remaining::int FROM invoices WHERE id = $1`, [open.id]);
      expect(row).toEqual({ status: 'paid', amount_remaining: 0 });
      // invoice_payment.paid: the payment arrives with its client taken from the invoice.
      const payments = await db.dataSource.query(`SELECT status, client_id, amount_paid::int FROM invoice_payments WHERE invoice_id = $1`, [open.id]);
      expect(payments).toEqual([{ status: 'paid', client_id: open.customer, amount_paid: open.amount_remaining }]);
      const [disputed] = await db.dataSource.query(`SELECT status, client_id FROM disputes WHERE id = $1`, [dispute.id]);
      expect(disputed).toEqual({ status: 'lost', client_id: paidByCard.customer });
      expect((await service.catchUp()).events).toBe(0);
    } finally {
      await db.drop();
    }
  });
});

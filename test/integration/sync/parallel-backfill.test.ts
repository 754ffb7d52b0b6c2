import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService, type SyncOptions } from '../../../src/stripe/sync/stripe-sync.service';
import type { SyncedType, SyncProgress } from '../../../src/stripe/sync/sync-types';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

async function all<T>(list: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of list) items.push(item);
  return items;
}

async function ledgerCounts(db: TestDatabase): Promise<Record<SyncedType, number>> {
  const [row] = await db.dataSource.query(`SELECT
    (SELECT count(*)::int FROM clients) AS customers, (SELECT count(*)::int FROM invoices) AS invoices,
    (SELECT count(*)::int FROM credit_notes) AS credit_notes, (SELECT count(*)::int FROM disputes) AS disputes,
    (SELECT count(*)::int FROM subscriptions) AS subscriptions, (SELECT count(*)::int FROM invoice_payments) AS invoice_payments`);
  return row as Record<SyncedType, number>;
}

async function rangeCheckpoints(
  db: TestDatabase,
  type: SyncedType,
): Promise<Array<{ stream: string; cursor: string | null; synced: number; complete: boolean }>> {
  const rows: Array<{ stream: string; cursor: string | null; state: { synced?: number; complete?: boolean } }> = await db.dataSource.query(
    `SELECT stream, cursor, state FROM sync_cursors WHERE stream LIKE $1 ORDER BY stream`,
    [`backfill:${type}#%`],
  );
  return rows.map((row) => ({ stream: row.stream, cursor: row.cursor, synced: row.state.synced ?? 0, complete: row.state.complete === true }));
}

/** Small pages so each of the four ranges takes several pages and a crash lands mid-range. */
const OPTIONS: SyncOptions = { pageSize: 20, rangesPerType: 4 };

describe('backfill in parallel created ranges', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let truth: Record<SyncedType, number>;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 10 });
    truth = {
      customers: (await all(stripe.customers.list({ limit: 100 }))).length,
      invoices: (await all(stripe.invoices.list({ limit: 100 }))).length,
      credit_notes: (await all(stripe.creditNotes.list({ limit: 100 }))).length,
      disputes: (await all(stripe.disputes.list({ limit: 100 }))).length,
      subscriptions: (await all(stripe.subscriptions.list({ limit: 100, status: 'all' }))).length,
      invoice_payments: (await all(stripe.invoicePayments.list({ limit: 100 }))).length,
    };
  });
  afterAll(() => sandbox.stop());

  it('splits a type into four ranges with their own checkpoints, and resumes each after crashes to end equal', async () => {
    const db = await createTestDatabase();
    try {
      // First run: crashes on the 6th page of invoices, while all four invoice ranges are under way.
      let invoicePages = 0;
      const first = new StripeSyncService(
        db.dataSource,
        stripe,
        sandbox.accountId,
        (progress) => {
          if (progress.type === 'invoices' && ++invoicePages === 6) throw new Error('simulated crash');
        },
        OPTIONS,
      );
      await expect(first.backfill()).rejects.toThrow('simulated crash');

      const [plan] = await db.dataSource.query(`SELECT state FROM sync_cursors WHERE stream = 'backfill:invoices'`);
      expect(plan.state.plan.ranges).toHaveLength(4);
      expect(plan.state.complete).toBeUndefined();
      const afterCrash = await rangeCheckpoints(db, 'invoices');
      expect(afterCrash.filter((range) => range.synced > 0).length).toBeGreaterThanOrEqual(2);
      expect(afterCrash.every((range) => !range.complete)).toBe(true);
      // Each checkpoint is committed with its page: the ledger holds exactly what they count.
      const partial = await ledgerCounts(db);
      expect(partial.customers).toBe(truth.customers);
      expect(partial.invoices).toBe(afterCrash.reduce((sum, range) => sum + range.synced, 0));
      expect(partial.invoices).toBeLessThan(truth.invoices);

      // Second run: resumes every range from its checkpoint, then crashes in invoice payments.
      const read: Partial<Record<SyncedType, number>> = {};
      let paymentPages = 0;
      const second = new StripeSyncService(
        db.dataSource,
        stripe,
        sandbox.accountId,
        (progress: SyncProgress) => {
          read[progress.type] = (read[progress.type] ?? 0) + progress.page;
          if (progress.type === 'invoice_payments' && ++paymentPages === 4) throw new Error('second crash');
        },
        OPTIONS,
      );
      await expect(second.backfill()).rejects.toThrow('second crash');
      expect(read.customers).toBeUndefined(); // complete before the first crash: not read again
      expect((read.invoices ?? 0) + partial.invoices).toBe(truth.invoices); // nothing read twice, nothing skipped
      expect((await rangeCheckpoints(db, 'invoices')).every((range) => range.complete)).toBe(true);

      // Third run finishes.
      const third = await new StripeSyncService(db.dataSource, stripe, sandbox.accountId, () => undefined, OPTIONS).backfill();
      expect(third.mode).toBe('backfill');
      expect(third.counts.invoices).toBe(0);
      expect(third.counts.invoice_payments).toBe(truth.invoice_payments);
      expect(await ledgerCounts(db)).toEqual(truth);
      for (const type of ['invoices', 'invoice_payments'] as const) {
        const ranges = await rangeCheckpoints(db, type);
        expect(ranges).toHaveLength(4);
        expect(ranges.every((range) => range.complete)).toBe(true);
        expect(ranges.reduce((sum, range) => sum + range.synced, 0)).toBe(truth[type]);
      }
      const [{ missing }] = await db.dataSource.query(`SELECT count(*)::int AS missing FROM invoice_payments WHERE client_id IS NULL`);
      expect(missing).toBe(0);

      // Nothing left to backfill: a further run catches up from events instead.
      const again = await new StripeSyncService(db.dataSource, stripe, sandbox.accountId, () => undefined, OPTIONS).backfill();
      expect(again.mode).toBe('catch-up');
    } finally {
      await db.drop();
    }
  });

  it('reports progress with an estimated total that reaches the real one', async () => {
    const db = await createTestDatabase();
    try {
      const last: Partial<Record<SyncedType, SyncProgress>> = {};
      const midway: SyncProgress[] = [];
      const lines: string[] = [];
      const record = (progress: SyncProgress) => {
        last[progress.type] = progress;
        if (progress.type === 'invoices' && progress.synced >= truth.invoices / 3 && progress.synced <= (truth.invoices * 2) / 3) midway.push(progress);
      };
      await new StripeSyncService(db.dataSource, stripe, sandbox.accountId, record, {
        ...OPTIONS,
        logger: { log: (line) => lines.push(line) },
        progressEveryMs: 1,
      }).backfill();
      expect(last.invoices).toMatchObject({ synced: truth.invoices, estimatedTotal: truth.invoices, etaSeconds: 0 });
      expect(last.invoices?.ratePerSecond).toBeGreaterThan(0);
      // Half-way through, the estimate (from how far down each range the pages are) is in the
      // right region; monthly billing clusters invoices in time, so it wobbles around the truth.
      expect(midway.length).toBeGreaterThan(0);
      for (const progress of midway) {
        expect(progress.estimatedTotal).toBeGreaterThan(truth.invoices * 0.5);
        expect(progress.estimatedTotal).toBeLessThan(truth.invoices * 2);
      }
      expect(lines.some((line) => line.includes(sandbox.accountId) && /invoices: [\d,]+ synced/.test(line))).toBe(true);
      expect(lines.some((line) => /done in/.test(line))).toBe(true);
    } finally {
      await db.drop();
    }
  });
});

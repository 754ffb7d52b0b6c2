import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeUnreachableError } from '../../../src/stripe/sync/request-budget/stripe-patience';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

async function ids<T extends { id?: string }>(list: AsyncIterable<T>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of list) out.push(item.id as string);
  return out.sort();
}

const column = async (db: TestDatabase, table: string) =>
  ((await db.dataSource.query(`SELECT id FROM ${table} ORDER BY id`)) as { id: string }[]).map((row) => row.id).sort();

describe('sync --full when Stripe keeps failing', () => {
  let sandbox: RunningSandbox;
  let db: TestDatabase;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await sandbox.stop();
    await db.drop();
  });

  it('completes under heavy faults even when requests exhaust their retries, with every object present', async () => {
    const reader = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
    const truth = {
      clients: await ids(reader.customers.list({ limit: 100 })),
      invoices: await ids(reader.invoices.list({ limit: 100 })),
      credit_notes: await ids(reader.creditNotes.list({ limit: 100 })),
      disputes: await ids(reader.disputes.list({ limit: 100 })),
      subscriptions: await ids(reader.subscriptions.list({ limit: 100, status: 'all' })),
      invoice_payments: await ids(reader.invoicePayments.list({ limit: 100 })),
    };
    // One retry per request: with 30 % faults some requests fail twice in a row (exhausted).
    const stripe: Stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, maxNetworkRetries: 1 });
    const lines: string[] = [];
    const service = new StripeSyncService(db.dataSource, stripe, sandbox.accountId, undefined, {
      logger: { log: (line) => lines.push(line) },
      pageSize: 20,
      patience: { baseDelayMs: 20, maxDelayMs: 200, unreachableAfterMs: 60_000 },
    });
    sandbox.setFaults({ rate429: 0.12, rate500: 0.12, rateDrop: 0.06, retryAfterSeconds: 0 });
    try {
      const summary = await service.backfill({ full: true });
      expect(summary.mode).toBe('backfill');
    } finally {
      sandbox.setFaults({});
    }
    expect(lines.filter((line) => /Stripe still failing after retries .* waiting \d+\.\d s, then going on/.test(line)).length).toBeGreaterThan(0);
    for (const [table, expected] of Object.entries(truth)) expect({ table, ids: await column(db, table) }).toEqual({ table, ids: expected });
    expect(await service.backfillComplete()).toBe(true);
  }, 120_000);

  it('stops with an error saying what to do once Stripe has been unreachable past the limit', async () => {
    const gone = await startSandbox({ port: 0, seed: 'empty' });
    await gone.stop();
    const stripe = createStripeClient({ secretKey: gone.secretKey, apiBase: gone.url, maxNetworkRetries: 0 });
    const lines: string[] = [];
    const service = new StripeSyncService(db.dataSource, stripe, gone.accountId, undefined, {
      logger: { log: (line) => lines.push(line) },
      patience: { baseDelayMs: 100, maxDelayMs: 400, unreachableAfterMs: 1500 },
    });
    const failure = service.backfill({ full: true });
    await expect(failure).rejects.toBeInstanceOf(StripeUnreachableError);
    await expect(failure).rejects.toThrow(
      /Stripe has been unreachable for \d+ s .*Check the network, STRIPE_API_BASE .* run `payrisk sync` again: it resumes from its checkpoints/,
    );
    expect(lines.length).toBeGreaterThan(1);
  }, 60_000);
});

import type { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config';
import { loadBookLateness, loadClientHistories } from '../../../src/risk/persistence/client-history.loader';
import { signedDaysLate } from '../../../src/risk/domain/payment-prediction';
import { RiskAssessmentService } from '../../../src/risk/risk-assessment.service';
import { insertClient, insertCreditNote, insertInvoice } from '../../support/ledger-facts';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { DAY_MS } from '../../../src/common/time';

const detection = loadConfig({}).policy.detection;

/**
 * A detection run over a hand-made ledger in real Postgres: what the loader reads (lookback,
 * big amounts, zero-decimal currencies, timestamps to the second), batching, isolation of a
 * broken client, and which clients an incremental run picks up after which change.
 */
describe('detection runs against the ledger', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const at = (offsetDays: number, base = Date.now()) => new Date(base + offsetDays * DAY_MS).toISOString();
  // assessed_at has the caller's millisecond precision, synced_at Postgres's microseconds: a run
  // starting in the very millisecond of a change would judge that client once more next time.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

  const client = (id: string, extra: { deleted?: boolean } = {}) =>
    insertClient(ds, { id, accountId: 'acct_t', email: `${id}@example.com`, deleted: extra.deleted, createdAt: at(-800), syncedAt: at(-800) });

  const invoice = (
    id: string,
    clientId: string,
    fields: {
      status?: 'open' | 'paid' | 'uncollectible' | 'void';
      currency?: string;
      total?: number;
      remaining?: number;
      created: string;
      due: string | null;
      paid?: string | null;
      method?: 'send_invoice' | 'charge_automatically';
      attempts?: number;
    },
  ) => {
    const total = fields.total ?? 100_000;
    const status = fields.status ?? (fields.paid ? 'paid' : 'open');
    const remaining = fields.remaining ?? (status === 'paid' ? 0 : total);
    return insertInvoice(ds, {
      id,
      clientId,
      accountId: 'acct_t',
      status,
      currency: fields.currency,
      total,
      amountPaid: total - remaining,
      amountRemaining: remaining,
      method: fields.method,
      attemptCount: fields.attempts,
      createdAt: fields.created,
      finalizedAt: fields.created,
      dueAt: fields.due,
      paidAt: fields.paid ?? null,
      syncedAt: fields.created,
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    // Yen amounts beyond 2^32, an open invoice older than the lookback (still arrears), a paid one older than it (ignored).
    await client('cus_yen');
    await invoice('in_yen_old_paid', 'cus_yen', { currency: 'jpy', total: 50_000, created: at(-450), due: at(-420), paid: at(-300) });
    await invoice('in_yen_old_open', 'cus_yen', { currency: 'jpy', total: 5_000_000_000, remaining: 4_500_000_000, created: at(-530), due: at(-500) });
    for (const k of [1, 2, 3])
      await invoice(`in_yen_${k}`, 'cus_yen', { currency: 'jpy', total: 120_000, created: at(-30 * k - 30), due: at(-30 * k), paid: at(-30 * k) });
    // Card invoices: the due date is finalization; one paid a second short of 9 days later is 8 days late.
    await client('cus_card');
    for (const k of [1, 2, 3]) {
      const finalized = at(-30 * k - 10);
      await invoice(`in_card_${k}`, 'cus_card', {
        method: 'charge_automatically',
        created: finalized,
        due: finalized,
        paid: k === 1 ? new Date(Date.parse(finalized) + 9 * DAY_MS - 1000).toISOString() : finalized,
        attempts: k === 1 ? 3 : 1,
      });
    }
    // Two currencies overdue.
    await client('cus_two');
    await invoice('in_two_eur', 'cus_two', { created: at(-70), due: at(-40), remaining: 25_000 });
    await invoice('in_two_usd', 'cus_two', { currency: 'usd', total: 5_000, created: at(-65), due: at(-35) });
    // Haggling across every fact table.
    await client('cus_haggle');
    for (const k of [1, 2, 3, 4]) await invoice(`in_h_${k}`, 'cus_haggle', { created: at(-30 * k - 30), due: at(-30 * k), paid: at(-30 * k) });
    const haggle = { clientId: 'cus_haggle', accountId: 'acct_t', amount: 10000, createdAt: at(-20) };
    await insertCreditNote(ds, { ...haggle, id: 'cn_h_1', invoiceId: 'in_h_1', reason: 'order_change' });
    await insertCreditNote(ds, { ...haggle, id: 'cn_h_2', invoiceId: 'in_h_2', reason: 'duplicate' });
    // Waiving our own late fee credits the client, but it is no discount they asked for: never counted.
    await insertCreditNote(ds, {
      ...haggle,
      id: 'cn_h_fee',
      invoiceId: 'in_h_3',
      type: 'pre_payment',
      amount: 4000,
      createdAt: at(-18),
      metadata: { payrisk_kind: 'late_fee_waiver' },
    });
    await ds.query(
      `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, note, requested_at, created_by)
       VALUES ('acct_t', 'cus_haggle', 'eur', 5000, 'phone', $1, 'cli'), ('acct_t', 'cus_haggle', 'eur', 7000, 'email', $2, 'api')`,
      [at(-15), at(-5)],
    );
    // A client with nothing billed yet, a deleted one, and one whose data the domain cannot read.
    await client('cus_new');
    await client('cus_gone', { deleted: true });
    await invoice('in_gone', 'cus_gone', { created: at(-90), due: at(-60) });
    await client('cus_broken');
    await invoice('in_broken', 'cus_broken', { currency: 'e1r', created: at(-90), due: at(-60) });
    await settle();
  });
  afterAll(() => db.drop());

  const latestOf = async (service: RiskAssessmentService, id: string) => (await service.latest({ clientId: id }))[0];

  it('loads invoices exactly: numbers with quotes, backslashes or none, timestamps to the millisecond, amounts beyond 2^32', async () => {
    await client('cus_text');
    const created = '2026-01-02T03:04:05.678Z';
    await invoice('in_text_quote', 'cus_text', { currency: 'jpy', total: 5_000_000_000, created, due: at(-10), paid: at(-5) });
    await invoice('in_text_none', 'cus_text', { created: at(-40), due: at(-20) });
    await ds.query(`UPDATE invoices SET number = CASE id WHEN 'in_text_quote' THEN $1 ELSE NULL END WHERE client_id = 'cus_text'`, ['A"1\\b/ü']);
    const [history] = await loadClientHistories(ds, ['cus_text'], new Date(0));
    const byId = new Map(history.invoices.map((fact) => [fact.id, fact]));
    expect(byId.get('in_text_quote')).toMatchObject({
      number: 'A"1\\b/ü',
      currency: 'jpy',
      total: 5_000_000_000,
      status: 'paid',
      createdAt: new Date(created),
    });
    expect(byId.get('in_text_none')).toMatchObject({ number: null, status: 'open', paidAt: null, voidedAt: null });
    await ds.query(`DELETE FROM invoices WHERE client_id = 'cus_text'`);
    await ds.query(`DELETE FROM clients WHERE id = 'cus_text'`);
  });
  it("aggregates the book's signed lateness in SQL exactly as predictions count it (dates, not 24-hour days)", async () => {
    await client('cus_hours');
    // Due 23:00, paid 09:00 two dates later: 34 hours, one whole day, but 2 dates. And one paid early, at an earlier hour.
    await invoice('in_hours_late', 'cus_hours', { created: '2026-05-01T10:00:00Z', due: '2026-05-31T23:00:00Z', paid: '2026-06-02T09:00:00Z' });
    await invoice('in_hours_early', 'cus_hours', { created: '2026-05-01T10:00:00Z', due: '2026-05-31T08:00:00Z', paid: '2026-05-27T07:59:00Z' });
    try {
      const since = new Date(0);
      const histories = await loadClientHistories(
        ds,
        (await ds.query(`SELECT id FROM clients`)).map((row: { id: string }) => row.id),
        since,
      );
      const counts = new Map<number, number>();
      for (const fact of histories.flatMap((history) => history.invoices))
        if (fact.status === 'paid' && fact.dueAt && fact.paidAt) counts.set(signedDaysLate(fact), (counts.get(signedDaysLate(fact)) ?? 0) + 1);
      const book = await loadBookLateness(ds, since);
      expect(new Map(book.map(({ day, weight }) => [day, weight]))).toEqual(counts);
      expect(counts.get(2)).toBeGreaterThanOrEqual(1);
      expect(counts.get(-4)).toBeGreaterThanOrEqual(1);
    } finally {
      await ds.query(`DELETE FROM invoices WHERE client_id = 'cus_hours'`);
      await ds.query(`DELETE FROM clients WHERE id = 'cus_hours'`);
    }
  });

  it('assesses every live client in batches, keeps going past a broken one, and reads the ledger faithfully', async () => {
    const service = new RiskAssessmentService(ds, detection, 2);
    const run = await service.run(new Date(), { full: true });
    expect(run).toEqual({ runId: expect.any(String), assessed: 5, failed: ['cus_broken'] });
    const rows = await ds.query(`SELECT client_id, stripe_account_id FROM risk_assessments WHERE run_id = $1 ORDER BY client_id`, [run.runId]);
    expect(rows).toEqual(['cus_card', 'cus_haggle', 'cus_new', 'cus_two', 'cus_yen'].map((id) => ({ client_id: id, stripe_account_id: 'acct_t' })));

    const yen = await latestOf(service, 'cus_yen');
    expect(yen.metrics).toMatchObject({ invoicesDue: 3, lateCount: 0, arrears: [{ amount: 4_500_000_000, currency: 'jpy' }], oldestArrearsDays: 500 });
    expect(yen.reasons.arrears).toBe('JP¥4,500,000,000 overdue, the oldest 500 days past due');

    const card = await latestOf(service, 'cus_card');
    expect(card.metrics).toMatchObject({ invoicesDue: 3, lateCount: 1, maxDaysLate: 8, failedPaymentAttempts: 2 });

    const two = await latestOf(service, 'cus_two');
    expect(two.flags).toEqual(['arrears']);
    expect(two.metrics.arrears).toEqual([
      { amount: 25_000, currency: 'eur' },
      { amount: 5_000, currency: 'usd' },
    ]);

    const haggle = await latestOf(service, 'cus_haggle');
    expect(haggle.flags).toContain('repeated_discount_demands');
    expect(haggle.evidence.repeated_discount_demands?.map((e) => e.kind)).toEqual(['credit_note', 'discount_request', 'discount_request']);
    expect(haggle.metrics.discounts.totals).toEqual([{ amount: 22_000, currency: 'eur' }]);

    const fresh = await latestOf(service, 'cus_new');
    expect(fresh).toMatchObject({ score: 0, level: 'ok', flags: [], metrics: expect.objectContaining({ invoicesDue: 0 }) });
  });

  it('re-assesses incrementally exactly the clients whose data changed since their last assessment', async () => {
    const service = new RiskAssessmentService(ds, detection, 2);
    await ds.query(`DELETE FROM invoices WHERE client_id = 'cus_broken'`);
    // The broken client was never assessed: it is "changed" until it is.
    expect((await service.run(new Date())).assessed).toBe(1);
    expect((await service.run(new Date())).assessed).toBe(0);

    await ds.query(
      `UPDATE invoices SET status = 'paid', amount_paid = total, amount_remaining = 0, paid_at = now(), synced_at = now() WHERE id = 'in_two_usd'`,
    );
    await ds.query(
      `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, requested_at, created_by) VALUES ('acct_t', 'cus_card', 'eur', 100, now(), 'cli')`,
    );
    await ds.query(`UPDATE clients SET name = 'Renamed', synced_at = now() WHERE id = 'cus_new'`);
    await insertCreditNote(ds, {
      id: 'cn_yen',
      clientId: 'cus_yen',
      invoiceId: 'in_yen_1',
      accountId: 'acct_t',
      currency: 'jpy',
      amount: 1000,
      createdAt: new Date(),
    });
    await settle();
    const run = await service.run(new Date());
    const picked = await ds.query(`SELECT client_id FROM risk_assessments WHERE run_id = $1 ORDER BY client_id`, [run.runId]);
    expect(picked.map((row: { client_id: string }) => row.client_id)).toEqual(['cus_card', 'cus_new', 'cus_two', 'cus_yen']);
    expect((await latestOf(service, 'cus_two')).metrics.arrears).toEqual([{ amount: 25_000, currency: 'eur' }]);
    expect((await service.run(new Date())).assessed).toBe(0);
  });

  it('re-assesses clients with open invoices on a new day, since lateness grows with time alone', async () => {
    const service = new RiskAssessmentService(ds, detection);
    const tomorrow = new Date(Date.now() + DAY_MS);
    const run = await service.run(tomorrow);
    const picked = await ds.query(`SELECT client_id FROM risk_assessments WHERE run_id = $1 ORDER BY client_id`, [run.runId]);
    expect(picked.map((row: { client_id: string }) => row.client_id)).toEqual(['cus_two', 'cus_yen']);
    expect((await latestOf(service, 'cus_yen')).metrics.oldestArrearsDays).toBe(501);
  });
});

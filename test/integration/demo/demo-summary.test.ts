import { countDemoDiscountRequests, loadDemoSummary } from '../../../src/demo/demo-summary.query';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

// The demo's closing summary reads its rows through checked schemas: this pins what each query returns.
describe('demo summary', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const q = (sql: string) => db.dataSource.query(sql);
    await q(`INSERT INTO clients (id, stripe_account_id, name, work_status, stripe_created_at) VALUES
      ('cus_a', 'acct_1', 'Acme', 'paused', now()), ('cus_b', 'acct_1', NULL, 'active', now())`);
    await q(`INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons) VALUES
      (gen_random_uuid(), 'cus_a', 'acct_1', now() - interval '1 day', 10, 'ok', '{}', '{}', '{}', '{}'),
      (gen_random_uuid(), 'cus_a', 'acct_1', now(), 80, 'critical', '{chronic_late_payer}', '{}', '{}', '{"chronic_late_payer": "pays 30 days late"}'),
      (gen_random_uuid(), 'cus_b', 'acct_1', now(), 5, 'ok', '{}', '{}', '{}', '{}')`);
    await q(`INSERT INTO actions (kind, client_id, stripe_account_id, status, amount, currency, dedupe_key, proposed_at) VALUES
      ('late_fee', 'cus_b', 'acct_1', 'proposed', 1500, 'eur', 'k1', now()),
      ('work_pause', 'cus_a', 'acct_1', 'applied', NULL, NULL, 'k2', now())`);
    await q(
      `INSERT INTO discount_requests (stripe_account_id, client_id, currency, amount, requested_at, created_by) VALUES ('acct_1', 'cus_a', 'eur', 100, now(), 'demo')`,
    );
  });
  afterAll(() => db.drop());

  it('counts the latest assessment per client, lists the flagged and what waits for approval', async () => {
    expect(await loadDemoSummary(db.dataSource.manager)).toEqual({
      levels: [
        { level: 'critical', count: 1 },
        { level: 'risky', count: 0 },
        { level: 'watch', count: 0 },
        { level: 'ok', count: 1 },
      ],
      flagged: [{ customerId: 'cus_a', name: 'Acme', level: 'critical', score: 80, reasons: ['pays 30 days late'] }],
      flaggedTotal: 1,
      proposed: [{ id: expect.any(String), kind: 'late_fee', clientName: 'cus_b', amount: { amount: 1500, currency: 'eur' } }],
      proposedTotal: 1,
      applied: [{ kind: 'work_pause', count: 1 }],
      paused: ['Acme'],
    });
    expect(await countDemoDiscountRequests(db.dataSource.manager)).toBe(1);
  }, 60_000);
});

import { loadActions } from '../../../src/dashboard/queries/actions.query';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

// The inbox's rows are read through checked schemas: this pins what one action and its trail become.
describe('dashboard actions list', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('lists an action with its client name, money, params and audit trail', async () => {
    await db.dataSource.query(
      `INSERT INTO clients (id, stripe_account_id, name, work_status, stripe_created_at) VALUES ('cus_a', 'acct_1', 'Acme', 'active', now())`,
    );
    const [{ id }] = await db.dataSource.query(
      `INSERT INTO actions (kind, client_id, stripe_account_id, status, invoice_id, amount, currency, dedupe_key, reason, params, proposed_at)
       VALUES ('late_fee', 'cus_a', 'acct_1', 'proposed', 'in_1', 1500, 'eur', 'k1', 'overdue', '{"days": 40}', '2026-01-02T03:04:05Z') RETURNING id`,
    );
    await db.dataSource.query(
      `INSERT INTO action_audit (action_id, from_status, to_status, actor, at, stripe_ids, note) VALUES ($1, NULL, 'proposed', 'system', '2026-01-02T03:04:05Z', '{}', NULL)`,
      [id],
    );
    const [row] = await loadActions(db.dataSource.manager, { status: 'proposed' });
    expect(row).toMatchObject({
      id,
      kind: 'late_fee',
      customerId: 'cus_a',
      clientName: 'Acme',
      status: 'proposed',
      mode: 'approve',
      invoiceId: 'in_1',
      amount: { amount: 1500, currency: 'eur' },
      reason: 'overdue',
      params: { days: 40 },
      stripeIds: {},
      proposedAt: '2026-01-02T03:04:05.000Z',
      audit: [{ toStatus: 'proposed', actor: 'system', at: '2026-01-02T03:04:05.000Z' }],
    });
    expect(row.error).toBeUndefined();
    expect(row.decidedAt).toBeUndefined();
    expect(await loadActions(db.dataSource.manager, { status: 'applied' })).toEqual([]);
  }, 60_000);
});

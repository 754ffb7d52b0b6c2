import { insertInvoice } from '../../support/ledger-facts';
import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { FixedClock } from '../../../src/common/clock';
import type { AppConfig } from '../../../src/config';
import { resolveLinkSecret } from '../../../src/auth/link-secret';
import { startSmtpServer, TestSmtpServer } from '../../support/smtp-server';
import { testConfig } from '../../support/test-config';
import { createTestDatabase, TestDatabase } from '../../support/test-database';
import { insertClient, notificationsFor } from './notifications-fixtures';
import { DAY_MS } from '../../../src/common/time';

Logger.overrideLogger(false);
const NOW = new Date('2026-11-25T09:00:00Z');
const MIN = 60_000;

describe('risk alerts and the weekly digest', () => {
  let db: TestDatabase;
  let smtp: TestSmtpServer;
  let config: AppConfig;
  let clock: FixedClock;
  let n: ReturnType<typeof notificationsFor>;

  const assess = (clientId: string, at: Date, level: string, flags: string[], extra: { evidence?: unknown; reasons?: unknown; score?: number } = {}) =>
    // Every contract-B column is given, so this also runs against the risk feature's own migration.
    db.dataSource.query(
      `INSERT INTO risk_assessments (id, run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
       VALUES (gen_random_uuid(), gen_random_uuid(), $1, 'acct_test', $2, $3, $4, $5, '{}', $6, $7)`,
      [clientId, at, extra.score ?? 60, level, flags, JSON.stringify(extra.evidence ?? {}), JSON.stringify(extra.reasons ?? [])],
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.stop();
    await db.drop();
  });
  beforeEach(() => {
    smtp.messages.length = 0;
    clock = new FixedClock(NOW);
    config = testConfig({ SMTP_URL: smtp.url, OWNER_EMAIL: 'owner@agency.test', PUBLIC_URL: 'https://payrisk.agency.test' });
    n = notificationsFor(db.dataSource, config, clock);
  });

  it('renders an empty week on an empty ledger, once per day', async () => {
    expect(await n.digest.enqueue()).toBe(true);
    expect(await n.digest.enqueue()).toBe(false); // same day: deduplicated
    await n.sender().sendDue();
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toBe('payrisk weekly: 2026-11-18 to 2026-11-25');
    expect(mail.text).toMatch(/Clients by level:\n- critical: 0\n- risky: 0\n- watch: 0\n- ok: 0/);
    expect(mail.text).toMatch(/Waiting for your approval:\n- nothing/);
    expect(mail.text).toMatch(/Arrears by age:\n- 1–30 days: nothing/);
    await db.dataSource.query('DELETE FROM outbox_messages');
  });

  it('alerts once per client when newly flagged or the level rises, batched within the window, with evidence and signed links', async () => {
    await insertClient(db.dataSource, 'cus_toxic', 'Toxic <b>Ltd</b> 😈');
    await insertClient(db.dataSource, 'cus_calm', 'Calm Co');
    await insertClient(db.dataSource, 'cus_down', 'Down Co');
    await assess('cus_toxic', new Date(NOW.getTime() - 10 * DAY_MS), 'ok', []);
    await assess('cus_calm', new Date(NOW.getTime() - 10 * DAY_MS), 'ok', []);
    await assess('cus_down', new Date(NOW.getTime() - 10 * DAY_MS), 'risky', ['arrears']);
    expect(await n.alerts.run()).toMatchObject({ alertsQueued: 1 }); // cus_down's first assessment is newly flagged
    await db.dataSource.query('DELETE FROM outbox_messages');

    await assess('cus_toxic', new Date(NOW.getTime() - 60_000), 'watch', ['chronic_late_payer'], {
      reasons: ['paid 5 of the last 6 invoices late, 23 days on median'],
      evidence: {
        chronic_late_payer: [
          { kind: 'invoice', id: 'in_1', amount: { amount: 150000, currency: 'jpy' }, date: '2026-09-01', daysLate: 23, detail: 'INV-0001' },
        ],
      },
    });
    await assess('cus_calm', new Date(NOW.getTime() - 60_000), 'ok', []);
    await assess('cus_down', new Date(NOW.getTime() - 60_000), 'watch', ['arrears']); // decrease: digest only
    await insertInvoice(db.dataSource, {
      id: 'in_1',
      clientId: 'cus_toxic',
      number: 'INV-0001',
      currency: 'jpy',
      total: 150000,
      dueAt: '2026-09-01',
      paidAt: '2026-09-24',
    });
    const [{ id: actionId }] = (await db.dataSource.query(
      `INSERT INTO actions (id, kind, client_id, stripe_account_id, status, amount, currency, dedupe_key, params, stripe_ids, proposed_at, created_at, updated_at)
       VALUES (gen_random_uuid(), 'late_fee', 'cus_toxic', 'acct_test', 'proposed', 2250, 'eur', 'fee:cus_toxic:1', '{}', '{}', now(), now(), now()) RETURNING id`,
    )) as { id: string }[];

    expect(await n.alerts.run()).toEqual({ clientsLooked: 3, alertsQueued: 1, alertsMerged: 0 });
    expect(await n.alerts.run()).toEqual({ clientsLooked: 0, alertsQueued: 0, alertsMerged: 0 }); // re-run: no-op

    // Within the window the level rises again: folded into the same email, nothing sent yet.
    clock.advance(20 * MIN);
    await assess('cus_toxic', clock.now(), 'critical', ['chronic_late_payer', 'repeated_discount_demands'], {
      score: 88,
      reasons: ['paid 5 of the last 6 invoices late, 23 days on median', '4 discount events in 180 days'],
      evidence: {
        chronic_late_payer: [
          { kind: 'invoice', id: 'in_1', amount: { amount: 150000, currency: 'jpy' }, date: '2026-09-01', daysLate: 23, detail: 'INV-0001' },
        ],
      },
    });
    expect(await n.alerts.run()).toMatchObject({ alertsQueued: 0, alertsMerged: 1 });
    expect(await n.sender().sendDue()).toEqual({ sent: 0, retried: 0, failed: 0 });

    clock.advance(41 * MIN); // the 60-minute batch window has closed
    expect(await n.sender().sendDue()).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toBe('payrisk: Toxic <b>Ltd</b> 😈 is now critical (pays late as a habit, keeps asking for discounts)');
    expect(mail.text).toContain('went from ok to critical, score 88/100');
    expect(mail.text).toContain('- level rose from ok to watch');
    expect(mail.text).toContain('- level rose from watch to critical');
    expect(mail.text).toContain('- paid 5 of the last 6 invoices late, 23 days on median');
    // Evidence in plain words: the invoice's number, never its Stripe id; "paid … late" from the ledger.
    expect(mail.text).toContain('- INV-0001, JP¥150,000, due 1 Sep, paid 23 days late');
    expect(mail.text).toContain('Pays late as a habit:');
    expect(mail.text).not.toMatch(/in_1\b|chronic_late_payer:/);
    expect(mail.text).toContain('Late fee of €22.50');
    const html = String(mail.html);
    expect(html).toContain('Toxic &lt;b&gt;Ltd&lt;/b&gt; 😈');
    expect(html).not.toContain('<b>Ltd</b>');

    const approve = /Approve: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
    const url = new URL(approve);
    expect(url.origin + url.pathname).toBe(`https://payrisk.agency.test/approvals/${actionId}/approve`);
    const expires = url.searchParams.get('expires');
    expect(Number(expires)).toBe(Math.floor((NOW.getTime() + 61 * MIN) / 1000) - 41 * 60 + 72 * 3600);
    // The link names the action's Stripe account, and the signature covers it (issue 18: a link acts only in its account).
    const [{ stripe_account_id: account }] = await db.dataSource.query(`SELECT stripe_account_id FROM actions WHERE id = $1`, [actionId]);
    expect(url.searchParams.get('account')).toBe(account);
    const expected = createHmac('sha256', resolveLinkSecret(config)).update(`${account}:${actionId}:approve:${expires}`).digest('hex');
    expect(url.searchParams.get('sig')).toBe(expected);
    // The HTML button carries the same link (attribute-escaped: &amp; and &#x3D; decode back to it).
    const href = /href="([^"]*\/approve\?[^"]*)"/.exec(html)?.[1] ?? '';
    expect(href.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')).toBe(approve);
    expect(mail.text).toContain(`/approvals/${actionId}/reject?`);
    await db.dataSource.query('DELETE FROM outbox_messages');
  });

  it('the digest shows arrears by age, levels with movers, fees, pending approvals and payments due next week', async () => {
    await insertClient(db.dataSource, 'cus_late', 'Late & Co');
    const inv = (id: string, status: 'open' | 'paid', dueDaysFromNow: number, remaining: number, currency: string) =>
      insertInvoice(db.dataSource, {
        id,
        clientId: 'cus_late',
        status,
        currency,
        total: remaining,
        amountPaid: 0,
        amountRemaining: remaining,
        number: null,
        dueAt: new Date(NOW.getTime() + dueDaysFromNow * DAY_MS),
      });
    await inv('in_a', 'open', -10, 10000, 'eur');
    await inv('in_b', 'open', -75, 250000, 'eur');
    await inv('in_c', 'open', -120, 5000, 'jpy');
    await inv('in_d', 'open', 3, 99900, 'usd');
    await inv('in_fee', 'paid', -1, 0, 'eur');
    // The client's history says in_a, 10 days overdue, will be paid in 3 days; in_d has no prediction (due date used).
    await db.dataSource.query(
      `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons, predictions)
       VALUES (gen_random_uuid(), 'cus_late', 'acct_test', $1, 10, 'ok', '{}', '{}', '{}', '{}', $2)`,
      [
        new Date(NOW.getTime() - 3_600_000),
        JSON.stringify([
          {
            invoiceId: 'in_a',
            amount: { amount: 10000, currency: 'eur' },
            dueDate: '2026-11-15',
            expectedDate: '2026-11-28',
            earliest: '2026-11-26',
            latest: '2026-12-01',
            basedOn: 5,
          },
        ]),
      ],
    );
    // Fees as the fees report counts them: from the audit trail. fee:old was applied 20 days ago;
    // a note today bumped its updated_at, which must not make it "assessed this week".
    const fee = async (key: string, status: string, amount: number, stripeIds: string, at: Date, touched: Date) => {
      const [{ id }] = (await db.dataSource.query(
        `INSERT INTO actions (id, kind, client_id, stripe_account_id, status, amount, currency, dedupe_key, params, stripe_ids, proposed_at, created_at, updated_at)
         VALUES (gen_random_uuid(), 'late_fee', 'cus_late', 'acct_test', $1, $2, 'eur', $3, '{}', $4, $5, $5, $6) RETURNING id`,
        [status, amount, key, stripeIds, at, touched],
      )) as { id: string }[];
      await db.dataSource.query(
        `INSERT INTO action_audit (action_id, from_status, to_status, actor, at) VALUES ($1, NULL, 'proposed', 'system', $2), ($1, 'proposed', $3, 'system', $2)`,
        [id, at, status],
      );
    };
    const hourAgo = new Date(NOW.getTime() - 3_600_000);
    await fee('fee:a', 'applied', 1500, '{"invoice":"in_fee"}', hourAgo, hourAgo);
    await fee('fee:b', 'applied', 700, '{"invoice":"in_a"}', hourAgo, hourAgo);
    await fee('fee:c', 'waived', 300, '{}', hourAgo, hourAgo);
    await fee('fee:old', 'applied', 9900, '{}', new Date(NOW.getTime() - 20 * DAY_MS), NOW);
    await db.dataSource.query(`UPDATE invoices SET paid_at = $1 WHERE id = 'in_fee'`, [new Date(NOW.getTime() - 1_800_000)]);
    expect(await n.digest.enqueue()).toBe(true);
    await n.sender().sendDue();
    const [mail] = await smtp.waitFor(1);
    const text = mail.text ?? '';
    expect(text).toContain('- 1–30 days: €100.00 (1 invoices)');
    expect(text).toContain('- 61–90 days: €2,500.00 (1 invoices)');
    expect(text).toContain('- over 90 days: JP¥5,000 (1 invoices)');
    expect(text).toMatch(/- critical: 1\n- risky: 0\n- watch: 1\n- ok: 2/); // cus_calm and cus_late
    expect(text).toContain('- Down Co: risky → watch');
    expect(text).toContain('- Toxic <b>Ltd</b> 😈: ok → critical');
    expect(text).toContain('- assessed: €22.00');
    expect(text).toContain('- collected: €15.00');
    expect(text).toContain('- waived: €3.00');
    expect(text).toContain('- Late fee of €22.50 for Toxic <b>Ltd</b> 😈');
    expect(text).toContain('- Late & Co: €100.00 expected 2026-11-28 (2026-11-26 to 2026-12-01), due 2026-11-15 (in_a)');
    expect(text).toContain('- Late & Co: US$999.00 expected 2026-11-28, due 2026-11-28 (in_d)');
    expect(String(mail.html)).toContain('Late &amp; Co');
  });
});

import { Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import { OutboxSender } from '../../../src/notifications/outbox/outbox-sender';
import { OutboxService } from '../../../src/notifications/outbox/outbox.service';
import * as actionsQuery from '../../../src/policies/persistence/actions.query';
import type { RunningSandbox } from '../../../src/sandbox';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../support/smtp-server';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { invoice, policyConfig, policyTools, sandboxStartingDaysAgo, sync } from '../policies/policy-fixtures';

// jest's testTimeout in a project's config is ignored (it is a global option): on a loaded machine 5 s is too short.
jest.setTimeout(60_000);

Logger.overrideLogger(false);

const INJECTED_EMAIL = 'a@b.c\r\nBcc: x@y.z';
const INJECTED_NAME = 'Evil\r\nBcc: name@y.z\r\nX-Injected: yes';
const REASON = "the notice was not sent: the client's email in Stripe is not a single valid address";

/**
 * The price-increase notice goes to the client's email in Stripe, which whoever edits the
 * customer controls. An email that is not exactly one address must send nothing to anyone
 * but the owner, who is told why; a client name must never become a header of its own.
 */
describe('the price-increase notice to a client, over real SMTP', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let smtp: TestSmtpServer;
  let tools: ReturnType<typeof policyTools>;
  let sender: OutboxSender;
  const ids: Record<string, string> = {};

  const everyRecipient = (mail: ReceivedMail): string[] => {
    const header = (name: string) => {
      const value = mail[name as 'to'];
      return (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.value.map((a) => a.address ?? ''));
    };
    return [...mail.envelope.to, ...header('to'), ...header('cc'), ...header('bcc')].map((a) => a.toLowerCase());
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startSmtpServer();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(10));
    ids.injected = (await stripe.customers.create({ name: 'Injected Ivy', email: INJECTED_EMAIL })).id;
    ids.listed = (await stripe.customers.create({ name: 'Listed Lou', email: 'lou@client.test, x@y.z' })).id;
    ids.evilName = (await stripe.customers.create({ name: INJECTED_NAME, email: 'evil@client.test' })).id;
    for (const id of Object.values(ids)) {
      const paid = await invoice(stripe, id, 90_000);
      await stripe.invoices.pay(paid.id as string, { paid_out_of_band: true });
    }
    await sync(db, sandbox, stripe);
    for (const id of Object.values(ids)) {
      await db.dataSource.query(
        `INSERT INTO risk_assessments (run_id, client_id, stripe_account_id, assessed_at, score, level, flags, metrics, evidence, reasons)
         VALUES (gen_random_uuid(), $1, $2, $3, 60, 'risky', '{repeated_discount_demands}', '{}', '{}', '{}')`,
        [id, sandbox.accountId, sandbox.now()],
      );
    }
    const clock = new FixedClock(sandbox.now());
    const config = policyConfig(`policies:\n  priceIncrease: { enabled: true, mode: approve, percent: 10, noticeDays: 30, sendNotice: true }\n`, {
      SMTP_URL: smtp.url,
      OWNER_EMAIL: 'owner@agency.test',
      MAIL_FROM: 'payrisk <payrisk@agency.test>',
    });
    tools = policyTools(db, stripe, sandbox, config, clock);
    sender = new OutboxSender(new OutboxService(db.dataSource, clock), config);
  }, 60_000);
  afterAll(async () => {
    sender?.onModuleDestroy();
    await smtp?.stop();
    await sandbox?.stop();
    await db?.drop();
  });

  it('the ledger really holds the hostile email and name from Stripe (the premise of this test)', async () => {
    const rows = (await db.dataSource.query(`SELECT id, name, email FROM clients`)) as { id: string; name: string; email: string }[];
    expect(rows.find((r) => r.id === ids.injected)?.email).toBe(INJECTED_EMAIL);
    expect(rows.find((r) => r.id === ids.evilName)?.name).toBe(INJECTED_NAME);
  });

  it('sends nothing to an injected address; the owner is told why, in the email and the audit trail', async () => {
    await tools.runner.run();
    for (const who of ['injected', 'listed', 'evilName']) {
      const [proposal] = await tools.actions.list({ clientId: ids[who], kind: 'price_increase' });
      expect((await tools.actions.approve(proposal.id, 'api')).status).toBe('applied');
    }
    const delivered = await sender.sendDue();
    expect(delivered.failed).toBe(0);
    // sendDue resolves only after the server accepted each message: everything sent is in smtp.messages now.
    expect(smtp.messages).toHaveLength(delivered.sent);

    const recipients = smtp.messages.flatMap(everyRecipient);
    expect(recipients).not.toContain('x@y.z');
    expect(recipients).not.toContain('name@y.z');
    expect(recipients.some((r) => r.includes('y.z'))).toBe(false);

    const notices = (await db.dataSource.query(`SELECT client_id, recipient FROM outbox_messages WHERE kind = 'client_notice' ORDER BY client_id`)) as {
      client_id: string;
      recipient: string;
    }[];
    expect(notices).toEqual([{ client_id: ids.evilName, recipient: 'evil@client.test' }]);
    expect(smtp.messages.filter((m) => m.envelope.to.includes('evil@client.test'))).toHaveLength(1);

    for (const who of ['injected', 'listed']) {
      const [action] = await tools.actions.list({ clientId: ids[who], kind: 'price_increase' });
      const ownerMail = smtp.messages.find((m) => m.headers.get('x-payrisk-dedupe-key') === `action:${action.id}:applied`);
      expect(ownerMail?.envelope.to).toEqual(['owner@agency.test']);
      expect(String(ownerMail?.text)).toContain(`T${REASON.slice(1)}.`);
      expect(String(ownerMail?.html)).toContain('The notice was not sent:</strong> the client&#x27;s email in Stripe is not a single valid address');
      const audit = await actionsQuery.auditOf(db.dataSource.manager, action.id);
      expect(audit.find((entry) => entry.toStatus === 'applied')?.note).toBe(REASON);
    }
  }, 60_000);

  it("a client name with CR/LF stays inside the subject of the owner's email: no header of its own", async () => {
    const [action] = await tools.actions.list({ clientId: ids.evilName, kind: 'price_increase' });
    const ownerMail = smtp.messages.find((m) => m.headers.get('x-payrisk-dedupe-key') === `action:${action.id}:applied`);
    expect(ownerMail).toBeDefined();
    expect(ownerMail?.subject).toBe('payrisk: Price increase of 10% for Evil Bcc: name@y.z X-Injected: yes applied');
    expect(ownerMail?.headers.has('x-injected')).toBe(false);
    expect(ownerMail?.headers.has('bcc')).toBe(false);
    expect(ownerMail?.envelope.to).toEqual(['owner@agency.test']);
    for (const line of ownerMail?.headerLines ?? []) expect(line.line).not.toMatch(/^\s*(bcc|x-injected)\s*:/im);
  });

  it('a hostile recipient already in the outbox (an older row, or written by hand) is never handed to SMTP', async () => {
    const before = smtp.messages.length;
    const outbox = new OutboxService(db.dataSource, new FixedClock(sandbox.now()));
    for (const [key, kind, recipient] of [
      ['raw:notice', 'client_notice', INJECTED_EMAIL],
      ['raw:owner', 'digest', 'owner@agency.test\r\nBcc: x@y.z'],
      ['raw:list', 'digest', 'owner@agency.test, x@y.z'],
    ] as const) {
      await outbox.enqueue(db.dataSource.manager, {
        kind,
        recipient,
        dedupeKey: key,
        subject: 'hello',
        text: 'hello\n',
        html: '<p>hello</p>',
        notBefore: new Date(0),
      });
    }
    expect(await sender.sendDue()).toEqual({ sent: 0, retried: 0, failed: 3 });
    expect(smtp.messages).toHaveLength(before);
    const rows = (await db.dataSource.query(`SELECT status, last_error FROM outbox_messages WHERE dedupe_key LIKE 'raw:%' ORDER BY dedupe_key`)) as {
      status: string;
      last_error: string;
    }[];
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(rows.find((r) => r.last_error.includes('not a single valid address'))).toBeDefined();
  });
});

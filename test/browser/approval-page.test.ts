import type { NestExpressApplication } from '@nestjs/platform-express';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import type Stripe from 'stripe';
import { resolveLinkSecret } from '../../src/auth/link-secret';
import type { AppConfig } from '../../src/config';
import { money } from '../../src/common/money';
import { buildApprovalUrl } from '../../src/policies/approvals/approval-link';
import * as actionsQuery from '../../src/policies/persistence/actions.query';
import { PolicyRunner } from '../../src/policies/policy-runner';
import { createApp } from '../../src/runtime/start-server';
import type { RunningSandbox } from '../../src/sandbox';
import { StripeSyncService } from '../../src/stripe/sync/stripe-sync.service';
import { customer, DAY, feeItems, invoice, policyConfig, sandboxStartingDaysAgo } from '../integration/policies/policy-fixtures';
import { chromiumPath, launchChromium } from '../support/browser';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const executable = chromiumPath();

// Skipped only when no Chromium is installed, outside CI: chromiumPath() (test/support/browser.ts) throws under CI or PAYRISK_REQUIRE_BROWSER=1, and .ci/run sets it.
(executable ? describe : describe.skip)('the one-click approval page in a real browser', () => {
  let db: TestDatabase;
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let app: NestExpressApplication;
  let config: AppConfig;
  let browser: Browser;
  let base: string;
  let client: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ sandbox, stripe } = await sandboxStartingDaysAgo(30));
    client = await customer(stripe, 'Browser <b>Bea</b>');
    await invoice(stripe, client, 80_000);
    await sandbox.advanceTime(30 * DAY);
    config = policyConfig(`policies:\n  lateFee: { enabled: true, mode: approve, graceDays: 7, preset: custom, method: fixed, fixedAmount: 1500 }\n`, {
      STRIPE_SECRET_KEY: sandbox.secretKey,
      STRIPE_API_BASE: sandbox.url,
    });
    app = await createApp(config, db.url, pino({ level: 'silent' }));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    await app.get(StripeSyncService).backfill({ full: true });
    await app.get(PolicyRunner).run();
    browser = await launchChromium(executable as string);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sandbox?.stop();
    await db?.drop();
  }, 30_000);

  const link = async (label: 'Approve' | 'Reject' | 'Undo') => {
    const rows = (await db.dataSource.query(`SELECT text FROM outbox_messages WHERE kind = 'action' AND client_id = $1`, [client])) as { text: string }[];
    const found = rows.map((row) => new RegExp(`${label}: (\\S+)`).exec(row.text)?.[1]).find((url) => !!url);
    const url = new URL(found ?? '');
    return `${base}${url.pathname}${url.search}`;
  };

  it('shows what is proposed, applies it on the click, and refuses a second use', async () => {
    const page = await browser.newPage();
    // Nothing the page asks for is missing, the icon the browser looks for on its own included
    // (that request is the browser's, so it shows only as a console error, not as a response).
    const missing: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /status of 404/.test(message.text())) missing.push(message.text());
    });
    await page.goto(await link('Approve'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Approve: Late fee of €15.00');
    await expect(page.locator('body').textContent()).resolves.toContain('Browser <b>Bea</b>'); // escaped, shown as text
    // What will happen in Stripe, why, the calculation and the invoice, and both decisions on the page.
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('What will happen in Stripe');
    expect(body).toMatch(/An invoice item of €15\.00 .*is added to Browser <b>Bea<\/b>'s next invoice/);
    expect(body).toContain('The calculation');
    expect(body).toMatch(/Preset\s*custom/);
    expect(body).toMatch(/Days past due\s*\d+/);
    expect(body).toMatch(/€800\.00, due \d+ \w{3}( \d{4})?, unpaid, \d+ days past due/);
    expect(body).not.toMatch(/\b(in|cus)_[A-Za-z0-9]+/); // no raw Stripe ids in the sentences
    await expect(page.getByRole('button', { name: 'Reject' }).count()).resolves.toBe(1);
    expect(await feeItems(stripe, client)).toHaveLength(0); // opening the link (as mail scanners do) changes nothing
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect(page.locator('p').first().textContent()).resolves.toBe('Approved and applied in Stripe.');
    expect(await feeItems(stripe, client)).toHaveLength(1);
    expect(missing).toEqual([]);
    // The result names what Stripe now holds and offers the undo.
    const [item] = await feeItems(stripe, client);
    await expect(page.locator('body').textContent()).resolves.toContain(item.id);
    await expect(page.getByRole('link', { name: /Undo/ }).count()).resolves.toBe(1);

    await page.goto(await link('Reject'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Already decided');
    await expect(page.locator('p').first().textContent()).resolves.toBe('This action is already applied; nothing was changed.');

    // The "applied" email carries an undo link: it waives the fee, once.
    await page.goto(await link('Undo'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Waive: Late fee of €15.00');
    await page.getByRole('button', { name: 'Waive' }).click();
    await expect(page.locator('p').first().textContent()).resolves.toBe('Waived: the fee was taken back out of Stripe.');
    expect(await feeItems(stripe, client)).toHaveLength(0);
    await page.goto(await link('Undo'));
    await expect(page.locator('h1').textContent()).resolves.toBe('Already decided');
    await page.close();
  });

  it('an expired link says what can still be done: the command while the action is open, nothing once it is decided or expired', async () => {
    const expiredLink = (id: string, decision: 'approve' | 'reject') => {
      const url = new URL(buildApprovalUrl('https://x', id, decision, new Date(Date.now() - 3_600_000), resolveLinkSecret(config)));
      return `${base}${url.pathname}${url.search}`;
    };
    const page = await browser.newPage();
    const read = async (url: string) => {
      const response = await page.goto(url);
      expect(response?.status()).toBe(410);
      // Never stored: the same link opened again must show the action as it is then.
      expect(response?.headers()['cache-control']).toBe('no-store');
      await expect(page.locator('h1').textContent()).resolves.toBe('This link has expired');
      return (await page.locator('p').first().textContent()) ?? '';
    };
    // The fee of the tests above, waived by now: no command would change it.
    const [waived] = (await db.dataSource.query(`SELECT id, status FROM actions WHERE client_id = $1`, [client])) as { id: string; status: string }[];
    expect(waived.status).toBe('waived');
    const onWaived = await read(expiredLink(waived.id, 'approve'));
    expect(onWaived).toContain('This action is already waived.');
    expect(onWaived).not.toContain('payrisk actions');
    // A proposal still open (its own expiry later than the link's): the command decides it.
    const open = await actionsQuery.propose(
      db.dataSource.manager,
      {
        kind: 'late_fee',
        clientId: client,
        clientName: 'Bea',
        mode: 'approve',
        dedupeKey: `late_fee:copy:${waived.id}`,
        invoiceId: null,
        amount: money(1500, 'eur'),
        reason: 'a copy',
        params: {},
      },
      sandbox.accountId,
      sandbox.now(),
      new Date(sandbox.now().getTime() + DAY * 1000),
    );
    const id = (open as { id: string }).id;
    expect(await read(expiredLink(id, 'approve'))).toContain(`Decide with "payrisk actions approve ${id}"`);
    expect(await read(expiredLink(id, 'reject'))).toContain(`Decide with "payrisk actions reject ${id}"`);
    // Once the proposal itself expired, the page says it can no longer be approved and what comes next.
    await actionsQuery.transition(db.dataSource.manager, id, 'expired', 'system', sandbox.now());
    const onExpired = await read(expiredLink(id, 'approve'));
    expect(onExpired).toContain(
      'The proposal expired unanswered with it and can no longer be approved; if the invoice is still unpaid, payrisk proposes the fee of its next fee period.',
    );
    expect(onExpired).not.toContain('payrisk actions');
    await page.close();
  });
});

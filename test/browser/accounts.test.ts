import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WebSessionService } from '../../src/web-session/web-session.service';
import { APP_CONFIG, type AppConfig } from '../../src/config';
import { formatMoney } from '../../web/src/format';
import { chromiumPath, launchChromium } from '../support/browser';
import { assertBuilt } from '../support/cli-process';
import { eventually } from '../support/eventually';
import { OWNER_TOKEN, startTwoAccounts, type TwoAccounts } from '../integration/access/access-fixture';

const executable = chromiumPath();
const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(target: Page): Promise<string[]> {
  await target.evaluate(AXE_SOURCE);
  const result = (await target.evaluate('axe.run()')) as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface Line {
  id: string;
  name: string;
  receivables: { currency: string; outstanding: number; overdue: number }[];
  clientsAtRisk: number;
  pendingApprovals: number;
}

/**
 * The account switcher and the cross-account overview in a real Chromium, against the app on a
 * two-account sandbox (Acme Studio, Bolt Agency) serving the built dashboard: a person granted
 * both signs in once with their link.
 */
// Skipped only when no Chromium is installed, outside CI: chromiumPath() (test/support/browser.ts) throws under CI or PAYRISK_REQUIRE_BROWSER=1, and .ci/run sets it.
(executable ? describe : describe.skip)('many accounts in the dashboard (real browser)', () => {
  let env: TwoAccounts;
  let base: string;
  let browser: Browser;
  let links: WebSessionService;

  const signIn = async (personId: string, width = 1280): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const { url } = await links.issueSignInCode('cli', personId);
    await page.goto(`${base}/login?code=${new URL(url).searchParams.get('code')}`);
    return page;
  };

  beforeAll(async () => {
    assertBuilt();
    env = await startTwoAccounts();
    await env.app.listen(0, '127.0.0.1');
    const address = env.app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
    links = new WebSessionService(env.db.dataSource, env.app.get<AppConfig>(APP_CONFIG));
    browser = await launchChromium(executable as string);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await env?.close();
  }, 30_000);

  it('someone with two accounts starts on all accounts side by side, the figures the API gives, and opens one by its name', async () => {
    const kim = await env.person('kim@books.test', { [env.a.accountId]: 'owner', [env.b.accountId]: 'accountant' });
    const page = await signIn(kim);
    await page.getByRole('heading', { level: 1, name: 'All accounts' }).waitFor();
    await page.locator('table.accounts tbody tr').nth(1).waitFor();
    const { body } = await env.api().get('/api/dashboard/accounts').set('Authorization', `Bearer ${OWNER_TOKEN}`).expect(200);
    const lines = body.accounts as Line[];
    const rows = await page.locator('table.accounts tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual(
      lines.map((l) => [
        l.name === 'Bolt Agency' ? 'Bolt Agency (read only)' : l.name,
        l.receivables.map((r) => formatMoney(r.outstanding, r.currency)).join(', '),
        l.receivables.map((r) => formatMoney(r.overdue, r.currency)).join(', '),
        expect.stringMatching(/\((EUR|USD|GBP)\)|—/),
        String(l.clientsAtRisk),
        String(l.pendingApprovals),
      ]),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts.png'), fullPage: true });

    await page.getByRole('link', { name: 'Bolt Agency' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const switcher = page.getByLabel('Account', { exact: true });
    expect(await switcher.inputValue()).toBe(env.b.accountId);
    expect(await switcher.locator('option').allTextContents()).toEqual(['Acme Studio', 'Bolt Agency (read only)']);

    // The switcher moves the whole dashboard to the other account, and the session remembers it.
    await switcher.selectOption({ label: 'Acme Studio' });
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await eventually(
      () => page.locator('#account-switcher').inputValue(),
      (value) => value === env.a.accountId,
      'the switcher showing Acme Studio',
      10_000,
    );
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByLabel('Account', { exact: true }).inputValue()).toBe(env.a.accountId);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'All accounts' }).click();
    await page.getByRole('heading', { level: 1, name: 'All accounts' }).waitFor();
    await page.context().close();
  }, 90_000);

  it('is usable 390 px wide: nothing wider than the screen, the switcher reachable', async () => {
    const ana = await env.person('ana@books.test', { [env.a.accountId]: 'owner', [env.b.accountId]: 'owner' });
    const page = await signIn(ana, 390);
    await page.getByRole('heading', { level: 1, name: 'All accounts' }).waitFor();
    await page.locator('table.accounts tbody tr').nth(1).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Account', { exact: true }).focus();
    expect(await page.evaluate('document.activeElement.id')).toBe('account-switcher');
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-390.png'), fullPage: false });
    await page.context().close();
  }, 60_000);

  it('someone with one account gets no switcher and no accounts page in the menu', async () => {
    const lee = await env.person('lee@books.test', { [env.b.accountId]: 'accountant' });
    const page = await signIn(lee);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('#account-switcher').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'All accounts' }).count()).toBe(0);
    await page.context().close();
  }, 60_000);
});

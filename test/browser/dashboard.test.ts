import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { formatMoney } from '../../web/src/format';
import { chromiumPath, launchChromium } from '../support/browser';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

const executable = chromiumPath();
const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core in the page (evaluated over CDP, so the page's strict CSP stays on); serious and critical violations only. */
async function seriousViolations(target: Page): Promise<string[]> {
  await target.evaluate(AXE_SOURCE);
  const result = (await target.evaluate('axe.run()')) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * The dashboard in a real Chromium against a real `payrisk start` on the embedded defaults
 * (embedded Postgres, the built-in sandbox, the outbox): signed in with the printed link,
 * every figure compared with what the API answers to the bearer token.
 */
// Skipped only when no Chromium is installed, outside CI: chromiumPath() (test/support/browser.ts) throws under CI or PAYRISK_REQUIRE_BROWSER=1, and .ci/run sets it.
(executable ? describe : describe.skip)('the dashboard in a real browser', () => {
  let cwd: string;
  let port: number;
  let base: string;
  let server: ServerProcess;
  let token: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let stripe: Stripe;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const shot = (name: string, target: Page = page) => target.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    assertBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    cwd = freshWorkdir();
    port = await findFreePort();
    base = `http://localhost:${port}`;
    server = spawnCli(['start'], cwd, { PORT: String(port) });
    await eventually(
      async () => server.output(),
      (out) => out.includes('Move its clock') || server.child.exitCode !== null,
      'the start-up summary',
      120_000,
    );
    if (server.child.exitCode !== null) throw new Error(`payrisk start exited:\n${server.output()}`);
    token = readFileSync(join(cwd, '.payrisk', 'api-token'), 'utf8').trim();
    const sandbox = await api<{ url: string; secretKey: string }>('/api/sandbox');
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
    browser = await launchChromium(executable as string);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGINT');
      expect(await server.exited).toBe(0);
    }
  }, 30_000);

  it('signs in with the link npm start printed, once', async () => {
    const link = /dashboard sign-in link \(one use, 15 minutes\): (\S+)/.exec(server.output())?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^${base}/login\\?code=[\\w-]{20,}$`));
    const refused: string[] = [];
    const onResponse = (response: { status(): number; url(): string }) =>
      void (response.status() >= 400 && refused.push(`${response.status()} ${response.url()}`));
    page.on('response', onResponse);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    page.off('response', onResponse);
    expect(new URL(page.url()).pathname).toBe('/');
    // Signing in asks for nothing it is refused (no session probe before the code is spent).
    expect(refused).toEqual([]);
    const cookie = (await context.cookies()).find((c) => c.name === 'payrisk_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    const other = await browser.newContext();
    const second = await other.newPage();
    await second.goto(link);
    await second.getByRole('alert').filter({ hasText: 'used, expired or unknown' }).waitFor();
    await second.goto(`${base}/clients`);
    await second.getByRole('heading', { name: 'Sign in to payrisk' }).waitFor();
    await other.close();
  }, 60_000);

  it('the overview shows the same figures as the API', async () => {
    const overview = await api<{
      receivables: { currency: string; outstanding: number; overdue: number; openInvoices: number }[];
      pendingApprovals: number;
      levels: { level: string; count: number }[];
      paused: { count: number };
      expectedPayments: { invoices: { invoiceId: string; number?: string }[] };
    }>('/api/dashboard/overview');
    await page.goto(`${base}/`);
    await page.locator('[data-testid=receivables] tbody tr').first().waitFor();
    expect(overview.receivables.length).toBeGreaterThan(0);
    const rows = await page
      .locator('[data-testid=receivables] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual(
      overview.receivables.map((r) => [
        r.currency.toUpperCase(),
        formatMoney(r.outstanding, r.currency),
        formatMoney(r.overdue, r.currency),
        String(r.openInvoices),
      ]),
    );
    expect(overview.pendingApprovals).toBeGreaterThan(0);
    expect(await page.getByTestId('pending-approvals').textContent()).toBe(`${overview.pendingApprovals} pending approvals`);
    for (const { level, count } of overview.levels) expect(await page.locator(`[data-level=${level}]`).textContent()).toBe(String(count));
    expect(await page.getByRole('heading', { name: /^Paused clients/ }).textContent()).toBe(`Paused clients (${overview.paused.count})`);
    // Payments expected name each invoice by its number, as the owner knows it, never by its Stripe id.
    expect(overview.expectedPayments.invoices.length).toBeGreaterThan(0);
    const invoiceCells = await page.locator('[data-testid=expected-payments] tbody tr td:nth-child(2)').allTextContents();
    expect(invoiceCells).toEqual(overview.expectedPayments.invoices.map((i) => i.number));
    expect(invoiceCells.join(' ')).not.toMatch(/\bin_/);
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('[role=img] canvas').count()).toBeGreaterThanOrEqual(2); // aging + DSO charts drawn
    // Every table shows all its columns at 1280 px: none wider than its card (aging's six buckets once were).
    const overflowing = await page
      .locator('main section')
      .evaluateAll((sections) =>
        sections.filter((s) => [...s.querySelectorAll('table')].some((t) => t.scrollWidth > s.clientWidth)).map((s) => s.querySelector('h2')?.textContent),
      );
    expect(overflowing).toEqual([]);
    await shot('overview');
  }, 60_000);

  it('the clients page lists, filters and sorts as the API does, a page at a time', async () => {
    type ClientPage = { total: number; rows: { customerId: string; name: string; level: string; score: number }[] };
    const first = await api<ClientPage>('/api/dashboard/clients');
    await page.getByRole('link', { name: 'Clients', exact: true }).click();
    await page.getByTestId('clients-table').waitFor();
    expect(await page.getByTestId('client-total').textContent()).toBe(`${first.total} clients`);
    const ids = () => page.locator('[data-testid=clients-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer')));
    expect(await ids()).toEqual(first.rows.map((r) => r.customerId));
    await shot('clients');

    const watch = await api<ClientPage>('/api/dashboard/clients?level=watch');
    await page.getByLabel('Level').selectOption('watch');
    await eventually(ids, (shown) => JSON.stringify(shown) === JSON.stringify(watch.rows.map((r) => r.customerId)), 'the watch-level clients');
    expect(await page.getByTestId('client-total').textContent()).toBe(`${watch.total} clients`);

    const byName = await api<ClientPage>('/api/dashboard/clients?level=watch&sort=name&dir=desc');
    await page.getByRole('button', { name: 'Client' }).click();
    await eventually(ids, (shown) => JSON.stringify(shown) === JSON.stringify(byName.rows.map((r) => r.customerId)), 'watch clients by name');
    const ascending = await api<ClientPage>('/api/dashboard/clients?level=watch&sort=name&dir=asc');
    await page.getByRole('button', { name: /^Client/ }).click();
    await eventually(ids, (shown) => JSON.stringify(shown) === JSON.stringify(ascending.rows.map((r) => r.customerId)), 'watch clients by name, ascending');
    expect(await page.getByRole('columnheader', { name: /^Client/ }).getAttribute('aria-sort')).toBe('ascending');

    const someone = first.rows[0];
    await page.getByLabel('Level').selectOption('');
    await page.getByLabel('Name').fill(someone.name.slice(0, 6));
    const found = await api<ClientPage>(`/api/dashboard/clients?q=${encodeURIComponent(someone.name.slice(0, 6))}&sort=name&dir=asc`); // the sort chosen above stays
    await eventually(ids, (shown) => JSON.stringify(shown) === JSON.stringify(found.rows.map((r) => r.customerId)), 'the name filter');
    expect(found.rows.map((r) => r.customerId)).toContain(someone.customerId);
    await page.getByLabel('Name').fill('');
  }, 60_000);

  type Action = {
    id: string;
    kind: string;
    customerId: string;
    clientName?: string;
    status: string;
    stripeIds: Record<string, string>;
    amount?: { amount: number };
    why: string;
    calculation: { label: string; value: string }[];
    audit: { actor: string; toStatus: string }[];
  };
  const actionList = async (query = '') => (await api<{ rows: Action[] }>(`/api/dashboard/actions${query}`)).rows;

  it('the client page shows the level, score, reasons and evidence the API gives', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?flag=chronic_late_payer');
    expect(rows.length).toBeGreaterThan(0);
    type Detail = {
      name: string;
      workStatus: string;
      assessment: {
        score: number;
        factors: { factor: string; label: string; points: number }[];
        flags: { flag: string; reason: string; evidence: { id: string; paidAt?: string }[] }[];
      };
      openInvoices: unknown[];
    };
    const detail = await api<Detail>(`/api/dashboard/clients/${rows[0].customerId}`);
    await page.goto(`${base}/clients`);
    await page.locator(`tr[data-customer="${rows[0].customerId}"] a`).first().click();
    await page.getByRole('heading', { level: 1, name: detail.name }).waitFor();
    expect(await page.getByTestId('score').textContent()).toBe(String(detail.assessment.score));
    expect(await page.getByTestId('work-status').textContent()).toBe(detail.workStatus);
    // The score's factors by name in words, each with its points.
    expect(detail.assessment.factors.length).toBeGreaterThan(0);
    for (const f of detail.assessment.factors) {
      expect(f.label).not.toContain('_');
      expect(await page.getByRole('rowheader', { name: new RegExp(`^${f.label}`) }).count()).toBe(1);
    }
    for (const flag of detail.assessment.flags) {
      expect(await page.getByTestId(`reason-${flag.flag}`).textContent()).toBe(flag.reason);
      const shown = await page.locator(`[data-testid=evidence-${flag.flag}] tbody tr`).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-evidence')));
      expect(shown).toEqual(flag.evidence.map((e) => e.id));
    }
    const late = detail.assessment.flags.find((f) => f.flag === 'chronic_late_payer');
    expect(late?.evidence.some((e) => e.paidAt)).toBe(true); // invoices carry their paid date
    expect(await page.getByRole('link', { name: "Open in Stripe's dashboard" }).getAttribute('href')).toBe(
      `https://dashboard.stripe.com/test/customers/${rows[0].customerId}`,
    );
    await page.locator('[aria-label="Each invoice\'s days late against its due date"] canvas').waitFor();
    await shot('client');
  }, 60_000);

  it('the client page says in a sentence why each open invoice is expected when it is, as the API does', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?flag=arrears');
    type Open = { invoiceId: string; number?: string; expectedDate?: string; explanation?: string };
    const detail = await api<{ name: string; openInvoices: Open[] }>(`/api/dashboard/clients/${rows[0].customerId}`);
    expect(detail.openInvoices.length).toBeGreaterThan(0);
    for (const inv of detail.openInvoices) expect(inv.explanation).toMatch(/^Expected \d+ \w+( \d{4})? \(8 in 10 between .+\): .+\.$/);
    // An arrears client's overdue invoice says how long it has waited.
    expect(detail.openInvoices.some((inv) => inv.explanation?.includes('after the due date, so only later days remain'))).toBe(true);
    await page.goto(`${base}/clients/${rows[0].customerId}`);
    await page.getByRole('heading', { level: 1, name: detail.name }).waitFor();
    expect(await page.getByTestId('prediction-explanations').locator('li').allTextContents()).toEqual(
      detail.openInvoices.map((inv) => `${inv.number ?? inv.invoiceId}: ${inv.explanation}`),
    );
  }, 60_000);

  it('approving a fee in the inbox puts the invoice item in Stripe, with the dashboard as actor', async () => {
    const fee = (await actionList('?status=proposed&kind=late_fee'))[0];
    expect(fee).toBeDefined();
    await page.goto(`${base}/actions`);
    await page.getByTestId('actions-table').waitFor();
    // What, why and the calculation in words, as the approval page says them: no internal codes, no raw parameters.
    const row = page.locator(`tr[data-action="${fee.id}"]`);
    expect(await row.locator('dl.calc dt').allTextContents()).toEqual(fee.calculation.map((c) => c.label));
    expect(fee.calculation.map((c) => c.label)).toEqual(expect.arrayContaining(['Days past due', 'Fee']));
    expect(await row.textContent()).toContain(fee.why);
    const inbox = await actionList('?status=proposed');
    for (const action of inbox) expect(action.why).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    expect(await page.getByTestId('actions-table').textContent()).not.toMatch(/repeated_discount_demands|chronic_late_payer|applyAs|daysPastDue/);
    await shot('actions');
    await page
      .locator(`tr[data-action="${fee.id}"]`)
      .getByRole('button', { name: /^Approve / })
      .click();
    await page.getByTestId('decision-message').filter({ hasText: 'Approved 1 of 1.' }).waitFor();
    const [applied] = (await actionList(`?customerId=${fee.customerId}&kind=late_fee&status=applied`)).filter((a) => a.id === fee.id);
    expect(applied.audit.map((e) => `${e.toStatus}:${e.actor}`)).toEqual(expect.arrayContaining(['approved:dashboard']));
    const item = await stripe.invoiceItems.retrieve(applied.stripeIds.invoiceItem);
    expect(item).toMatchObject({ customer: fee.customerId, amount: fee.amount?.amount, metadata: expect.objectContaining({ payrisk_action_id: fee.id }) });
    // It leaves the inbox once the list is fetched again (after the message): wait for that, fail if it never does.
    await page.locator(`tr[data-action="${fee.id}"]`).waitFor({ state: 'detached', timeout: 10_000 });
    // The trail people read names who in words, never the actor's code.
    await page.goto(`${base}/actions?status=all`);
    const trail = (await page.locator(`tr[data-action="${fee.id}"] ol.audit`).textContent()) ?? '';
    expect(trail).toContain('approved by the dashboard');
    expect(trail).toContain('proposed by payrisk');
    expect(trail).not.toMatch(/by (system|dashboard|owner_link)\b/);
    await page.goto(`${base}/actions`);
    await page.getByTestId('actions-table').waitFor();
  }, 60_000);

  it('rejects one, then approves three at once', async () => {
    const [first] = await actionList('?status=proposed');
    await page
      .locator(`tr[data-action="${first.id}"]`)
      .getByRole('button', { name: /^Reject / })
      .click();
    await page.getByTestId('decision-message').filter({ hasText: 'Rejected 1 of 1.' }).waitFor();
    const rejected = await api<{ status: string }>(`/api/actions/${first.id}`);
    expect(rejected.status).toBe('rejected');

    const three = (await actionList('?status=proposed')).filter((a) => a.kind !== 'price_increase').slice(0, 3);
    expect(three).toHaveLength(3);
    for (const action of three) await page.locator(`tr[data-action="${action.id}"]`).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Approve selected (3)' }).click();
    await page
      .getByTestId('decision-message')
      .filter({ hasText: /^Approved \d of 3\./ })
      .waitFor();
    for (const action of three) {
      const after = await api<{ status: string; audit: { actor: string; toStatus: string }[] }>(`/api/actions/${action.id}`);
      expect(after.status).toBe('applied');
      expect(after.audit).toEqual(expect.arrayContaining([expect.objectContaining({ toStatus: 'approved', actor: 'dashboard' })]));
    }
    expect(await page.getByTestId('decision-message').textContent()).toBe('Approved 3 of 3.');
  }, 90_000);

  it('waives an applied fee from the history: its invoice item leaves Stripe, with the dashboard as actor', async () => {
    const [fee] = await actionList('?status=applied&kind=late_fee');
    expect(fee).toBeDefined();
    await page.goto(`${base}/actions`);
    await page.getByLabel('Status').selectOption('applied');
    await page.getByLabel('Kind').selectOption('late_fee');
    // The history filter shows exactly what the API lists for it.
    const shown = () => page.locator('[data-testid=actions-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action')));
    const applied = (await actionList('?status=applied&kind=late_fee')).map((a) => a.id);
    await eventually(shown, (ids) => JSON.stringify(ids) === JSON.stringify(applied), 'the applied late fees');
    await page
      .locator(`tr[data-action="${fee.id}"]`)
      .getByRole('button', { name: /^Waive / })
      .click();
    await page.getByTestId('decision-message').filter({ hasText: 'Waived 1 of 1.' }).waitFor();
    const after = await api<{ status: string; audit: { actor: string; toStatus: string }[] }>(`/api/actions/${fee.id}`);
    expect(after.status).toBe('waived');
    expect(after.audit).toEqual(expect.arrayContaining([expect.objectContaining({ toStatus: 'waived', actor: 'dashboard' })]));
    await expect(stripe.invoiceItems.retrieve(fee.stripeIds.invoiceItem)).rejects.toThrow(/No such invoiceitem/);
  }, 60_000);

  it('a discount request logged on the client page shows as evidence after re-assessment', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?flag=repeated_discount_demands');
    const client = rows[0].customerId;
    await page.goto(`${base}/clients/${client}`);
    await page.getByRole('button', { name: 'Log discount request' }).waitFor();
    await page.getByLabel('Amount asked for').fill('123.45');
    await page.getByLabel('Currency').fill('eur');
    await page.getByLabel('Note').fill('asked on the phone for a loyalty discount');
    await page.getByRole('button', { name: 'Log discount request' }).click();
    await page.getByRole('status').filter({ hasText: 'Logged; the client was re-assessed.' }).waitFor();
    type Detail = { assessment: { flags: { flag: string; evidence: { id: string; kind: string; amount: { amount: number }; detail?: string }[] }[] } };
    const detail = await eventually(
      () => api<Detail>(`/api/dashboard/clients/${client}`),
      (d) =>
        d.assessment.flags.some((f) =>
          f.evidence.some((e) => e.kind === 'discount_request' && e.amount.amount === 12345 && e.detail === 'asked on the phone for a loyalty discount'),
        ),
      'the logged request as evidence',
    );
    const logged = detail.assessment.flags.flatMap((f) => f.evidence).find((e) => e.amount.amount === 12345 && e.kind === 'discount_request');
    await page.locator(`[data-testid=evidence-repeated_discount_demands] tr[data-evidence="${logged?.id}"]`).waitFor();
    expect(await page.locator(`tr[data-evidence="${logged?.id}"]`).first().textContent()).toContain('€123.45');
  }, 60_000);

  let reportCsv = '';
  let reportQuery = '';
  it('a report page shows dates, totals per currency, and downloads the CSV and XLSX the API serves', async () => {
    const today = (await api<{ asOf: string }>('/api/dashboard/overview')).asOf.slice(0, 10);
    const from = `${today.slice(0, 4)}-01-01`;
    reportQuery = `asOf=${today}&from=${from}&to=${today}`;
    const json = await api<{ asOf: string; from: string; to: string; rows: Record<string, string>[] }>(`/api/reports/aging?${reportQuery}`);
    await page.goto(`${base}/reports/aging?${reportQuery}`);
    await page.getByTestId('report-table').waitFor();
    expect(await page.getByTestId('report-dates').textContent()).toBe(`As of ${json.asOf}; period ${json.from} to ${json.to}. Amounts in each row's currency.`);
    expect(await page.locator('[data-testid=report-table] tbody tr').count()).toBe(json.rows.length);
    expect(json.rows.some((row) => row.row_type.startsWith('total'))).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    reportCsv = readFileSync((await download.path()) as string, 'utf8');
    const served = await (await fetch(`${base}/api/reports/aging?${reportQuery}&format=csv`, { headers: { Authorization: `Bearer ${token}` } })).text();
    expect(reportCsv).toBe(served);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download XLSX' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync((await xlsx.path()) as string)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await shot('report-aging');
    for (const name of ['dso', 'behaviour', 'fees', 'discounts']) {
      await page
        .getByRole('navigation', { name: 'Reports' })
        .getByRole('link', { name: { dso: 'DSO', behaviour: 'Payment behaviour', fees: 'Late fees', discounts: 'Discounts' }[name] })
        .click();
      await page.waitForURL(`**/reports/${name}?*`);
      await page.locator('[data-testid=report-table], .state.empty').first().waitFor();
    }
    // /reports on its own (typed or bookmarked) opens the first report, not "Page not found".
    await page.goto(`${base}/reports`);
    await page.waitForURL(/\/reports\/aging(\?|$)/);
    await page.getByTestId('report-table').waitFor();
  }, 60_000);

  it('the policies page explains the policy file and shows the dry run without writing anything', async () => {
    const before = (await actionList()).length;
    await page.goto(`${base}/policies`);
    await page.locator('[data-policy="Late fees"]').waitFor();
    expect(await page.locator('[data-policy="Late fees"]').textContent()).toContain('days past due');
    const served = await api<{ planned: unknown[] }>('/api/dashboard/policies/dry-run', { method: 'POST' });
    await page.getByRole('button', { name: 'Show what would happen' }).click();
    await page.getByTestId('dry-run').waitFor();
    // One row per planned decision, or the words for none.
    const shown = {
      rows: await page.locator('[data-testid=dry-run] tbody tr').count(),
      nothingNew: (await page.getByTestId('dry-run').textContent())?.includes('Nothing new'),
    };
    expect(shown).toEqual({ rows: served.planned.length, nothingNew: served.planned.length === 0 });
    expect((await actionList()).length).toBe(before);
    await shot('policies');
  }, 60_000);

  it('every page says so when the API is down, and shows its empty state when nothing matches', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients');
    const pages = ['/', '/clients', `/clients/${rows[0].customerId}`, '/actions', '/reports/aging', '/policies'];
    await page.goto(`${base}/reports/dso`); // signed in, on a page none of the six below shares data with
    await page.locator('[data-testid=report-table], .state.empty').first().waitFor();
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    try {
      // Moving between pages in the app, each page's own data cannot load: it says so and what to do.
      for (const path of pages) {
        await page.evaluate(`history.pushState({}, '', ${JSON.stringify(path)}); dispatchEvent(new PopStateEvent('popstate'))`); // the router's own navigation
        await page
          .getByRole('alert')
          .filter({ hasText: /^Could not load this: payrisk did not answer .*Check that the server is running/ })
          .waitFor({ timeout: 20_000 });
      }
      // Opening the dashboard afresh while the server is down.
      await page.goto(`${base}/clients`);
      await page
        .getByRole('alert')
        .filter({ hasText: /^Could not reach payrisk: payrisk did not answer/ })
        .waitFor();
    } finally {
      await page.unroute('**/api/**');
    }
    // Nothing matches: the page says so instead of an empty table.
    await page.goto(`${base}/clients`);
    await page.getByTestId('clients-table').waitFor();
    await page.getByLabel('Name').fill('no client is called this');
    await page.getByText('No client matches (or none has been assessed yet).').waitFor();
    await page.goto(`${base}/actions`);
    await page.getByLabel('Status').selectOption('failed');
    expect((await actionList('?status=failed')).length).toBe(0);
    await page.getByText('Nothing here: no action matches.').waitFor();
  }, 90_000);

  it('no serious or critical axe-core violation on any page', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?flag=chronic_late_payer');
    const pages = ['/', '/clients', `/clients/${rows[0].customerId}`, '/actions', '/actions?status=all', '/reports/aging', '/reports/behaviour', '/policies'];
    const found: Record<string, string[]> = {};
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      await page.locator('main h1').first().waitFor();
      await page.locator('[role=status]:has-text("Loading")').waitFor({ state: 'detached' });
      found[path] = await seriousViolations(page);
    }
    const signedOut = await (await browser.newContext()).newPage();
    await signedOut.goto(`${base}/login`);
    await signedOut.getByRole('heading', { name: 'Sign in to payrisk' }).waitFor();
    found['/login'] = await seriousViolations(signedOut);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 240_000); // eight pages, each loaded and scanned by axe-core: minutes on a loaded 2-core machine

  it('the client page is usable 390 px wide: nothing wider than the screen, keyboard reaches the form', async () => {
    const { rows } = await api<{ rows: { customerId: string }[] }>('/api/dashboard/clients?flag=chronic_late_payer');
    const narrow = await context.newPage();
    await narrow.setViewportSize({ width: 390, height: 844 });
    await narrow.goto(`${base}/clients/${rows[0].customerId}`);
    await narrow.getByTestId('score').waitFor();
    expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(narrow)).toEqual([]);
    await narrow.keyboard.press('Tab');
    expect(await narrow.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await narrow.getByLabel('Amount asked for').focus();
    await narrow.keyboard.press('Tab');
    expect(await narrow.evaluate('document.activeElement?.labels?.[0]?.textContent?.trim()')).toBe('Currency');
    await narrow.screenshot({ path: join(SCREENSHOTS, 'client-390.png'), fullPage: false });
    await narrow.close();
  }, 60_000);

  it('payrisk login-link prints a fresh link for the running server', async () => {
    const { status, stdout, stderr } = await runCliAsync(['login-link'], { cwd, env: { PORT: String(port) } });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const link = stdout.trim();
    expect(link).toMatch(new RegExp(`^${base}/login\\?code=[\\w-]{20,}$`));
    const other = await browser.newContext();
    const fresh = await other.newPage();
    await fresh.goto(link);
    await fresh.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await other.close();
  }, 60_000);

  it('refuses a state-changing request without the CSRF token; signing out ends the session', async () => {
    const other = await browser.newContext();
    const tab = await other.newPage();
    const { stdout } = await runCliAsync(['login-link'], { cwd, env: { PORT: String(port) } });
    await tab.goto(stdout.trim());
    await tab.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const withoutCsrf = await tab.evaluate(async () => (await fetch('/api/session', { method: 'DELETE' })).status);
    expect(withoutCsrf).toBe(403);
    expect(await tab.evaluate(async () => (await fetch('/api/session')).status)).toBe(200);
    const cookie = (await other.cookies()).find((c) => c.name === 'payrisk_session')?.value ?? '';
    const replay = async () => (await fetch(`${base}/api/session`, { headers: { Cookie: `payrisk_session=${cookie}` } })).status;
    expect(await replay()).toBe(200);
    await tab.getByRole('button', { name: 'Sign out' }).click();
    await tab.getByRole('heading', { name: 'Sign in to payrisk' }).waitFor();
    expect(await tab.evaluate(async () => (await fetch('/api/session')).status)).toBe(401);
    expect(await replay()).toBe(401); // the kept cookie opens nothing: the session ended in the database
    await other.close();
  }, 60_000);

  it('the downloaded CSV is the file payrisk report writes for the same dates', async () => {
    expect(reportCsv).not.toBe('');
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    const params = new URLSearchParams(reportQuery);
    const { status, stdout, stderr } = await runCliAsync(
      [
        'report',
        'aging',
        '--as-of',
        params.get('asOf') as string,
        '--from',
        params.get('from') as string,
        '--to',
        params.get('to') as string,
        '--format',
        'csv',
      ],
      { cwd },
    );
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toBe(reportCsv);
  }, 90_000);
});

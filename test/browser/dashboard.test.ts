import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findFreePort } from '../../src/database/free-port';
import { formatMoney } from '../../web/src/format';
import { chromiumPath, launchChromium } from '../support/browser';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

const executable = chromiumPath();
const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * The dashboard in a real Chromium against a real `payrisk start` on the embedded defaults
 * (embedded Postgres, the built-in sandbox, the outbox): signed in with the printed link,
 * every figure compared with what the API answers to the bearer token.
 */
(executable ? describe : describe.skip)('the dashboard in a real browser', () => {
  let cwd: string;
  let port: number;
  let base: string;
  let server: ServerProcess;
  let token: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
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
    await eventually(async () => server.output(), (out) => out.includes('Move its clock') || server.child.exitCode !== null, 'the start-up summary', 120_000);
    if (server.child.exitCode !== null) throw new Error(`payrisk start exited:\n${server.output()}`);
    token = readFileSync(join(cwd, '.payrisk', 'api-token'), 'utf8').trim();
    browser = await launchChromium(executable as string);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGINT');
    expect(await server?.exited).toBe(0);
  }, 30_000);

  it('signs in with the link npm start printed, once', async () => {
    const link = /dashboard sign-in link \(one use, 15 minutes\): (\S+)/.exec(server.output())?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^${base}/login\\?code=[\\w-]{20,}$`));
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
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
    }>('/api/dashboard/overview');
    await page.goto(`${base}/`);
    await page.locator('[data-testid=receivables] tbody tr').first().waitFor();
    expect(overview.receivables.length).toBeGreaterThan(0);
    const rows = await page.locator('[data-testid=receivables] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
    expect(rows).toEqual(
      overview.receivables.map((r) => [r.currency.toUpperCase(), formatMoney(r.outstanding, r.currency), formatMoney(r.overdue, r.currency), String(r.openInvoices)]),
    );
    expect(overview.pendingApprovals).toBeGreaterThan(0);
    expect(await page.getByTestId('pending-approvals').textContent()).toBe(`${overview.pendingApprovals} pending approvals`);
    for (const { level, count } of overview.levels) expect(await page.locator(`[data-level=${level}]`).textContent()).toBe(String(count));
    expect(await page.getByRole('heading', { name: /^Paused clients/ }).textContent()).toBe(`Paused clients (${overview.paused.count})`);
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('[role=img] canvas').count()).toBeGreaterThanOrEqual(2); // aging + DSO charts drawn
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
});

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

interface Persona {
  customerId: string;
  persona: string;
}
interface ActionView {
  id: string;
  kind: string;
  status: string;
  customerId: string;
}

/**
 * The demo keeps living: `payrisk start` on embedded defaults, the user decides and pays,
 * the server restarts and continues the same business, the clock moves a month and a quarter
 * while the personas keep their habits, and `payrisk sandbox reset` starts over.
 */
describe('a demo that keeps living: restart, persona habits over time, reset', () => {
  let cwd: string;
  let home: string;
  let port: number;
  let base: string;
  let server: ServerProcess | undefined;
  let token: string;

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const emails = async () => {
    const dir = join(home, 'outbox');
    if (!existsSync(dir)) return [];
    return Promise.all(
      readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => simpleParser(readFileSync(join(dir, f)))),
    );
  };
  const start = async (): Promise<void> => {
    const running = spawnCli(['start'], cwd, { PORT: String(port) });
    server = running;
    await eventually(
      async () => running.output(),
      (out) => out.includes('Move its clock') || running.child.exitCode !== null,
      'the start-up summary',
      120_000,
    );
    if (running.child.exitCode !== null) throw new Error(`payrisk start exited:\n${running.output()}`);
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
  };
  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    running?.child.kill('SIGINT');
    expect(await running?.exited).toBe(0);
  };
  const sandbox = async () => {
    const info = await api<{ url: string; secretKey: string; now: string }>('/api/sandbox');
    const personas = ((await (await fetch(`${info.url}/_sandbox/personas`)).json()) as { personas: Persona[] }).personas;
    return { info, personas, stripe: createStripeClient({ secretKey: info.secretKey, apiBase: info.url }) };
  };
  const invoicesOf = async (stripe: Stripe, customer: string): Promise<Stripe.Invoice[]> => {
    const all: Stripe.Invoice[] = [];
    for await (const invoice of stripe.invoices.list({ customer, limit: 100 })) all.push(invoice);
    return all;
  };

  beforeAll(async () => {
    cwd = freshWorkdir();
    home = join(cwd, '.payrisk');
    port = await findFreePort();
    base = `http://localhost:${port}`;
    await start();
  }, 150_000);
  afterAll(async () => {
    if (server) await stop();
  }, 30_000);

  // Carried from the first run into the restart.
  let approvedId: string;
  let approveLink: URL;
  let pendingLink: URL;
  let paidInvoiceId: string;
  let pausedClient: string;

  it('first run: the owner approves a fee by its emailed link and a paused client pays', async () => {
    // The sender writes the outbox as the first run's emails come due, alongside the summary: wait for them.
    const isProposal = (m: { subject?: string }) => /Late fee of .* needs your approval/.test(m.subject ?? '');
    const mails = await eventually(emails, (all) => all.some(isProposal), 'the late-fee approval emails in the outbox', 30_000);
    const proposals = mails.filter(isProposal);
    expect(proposals.length).toBeGreaterThan(0);
    const links = proposals.map((m) => new URL(/Approve: (\S+)/.exec(m.text ?? '')?.[1] ?? ''));
    const approve = links[0];
    approvedId = approve.pathname.split('/')[2];
    approveLink = approve;
    const page = await fetch(approve, { method: 'POST' });
    expect(await page.text()).toContain('Approved and applied in Stripe.');
    expect((await api<ActionView>(`/api/actions/${approvedId}`)).status).toBe('applied');

    const { stripe } = await sandbox();
    const pauses = await api<ActionView[]>('/api/actions?kind=work_pause&status=applied');
    expect(pauses.length).toBeGreaterThan(0);
    pausedClient = pauses[0].customerId;
    const open = (await invoicesOf(stripe, pausedClient)).filter((i) => i.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    for (const invoice of open) await stripe.invoices.pay(invoice.id as string, { paid_out_of_band: true });
    paidInvoiceId = open[0].id as string;
    // A second proposal, for a client who neither got the approved fee nor paid: it must still be waiting after the restart.
    const approvedClient = (await api<ActionView>(`/api/actions/${approvedId}`)).customerId;
    const others = await Promise.all(links.map(async (link) => ({ link, action: await api<ActionView>(`/api/actions/${link.pathname.split('/')[2]}`) })));
    const untouched = others.find(({ action }) => action.status === 'proposed' && ![approvedClient, pausedClient].includes(action.customerId));
    expect(untouched).toBeDefined();
    pendingLink = (untouched as (typeof others)[number]).link;
    await eventually(
      () => api<{ workStatus: string }>(`/api/clients/${pausedClient}/work-status`),
      (s) => s.workStatus === 'active',
      'the resume',
    );
  }, 90_000);

  it('`payrisk sandbox reset` refuses while the server runs, and changes nothing', async () => {
    const run = await runCliAsync(['sandbox', 'reset'], { cwd });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/a payrisk server is running .* stop it \(Ctrl-C\) first/);
    expect((await api<ActionView>(`/api/actions/${approvedId}`)).status).toBe('applied');
    expect((await emails()).length).toBeGreaterThan(0);
  }, 60_000);

  it('a restart continues the same business: the approved fee, the paid invoice, the resumed client, the old email links', async () => {
    const before = await sandbox();
    const clientsBefore = before.personas.map((p) => p.customerId);
    const sandboxNowBefore = Date.parse(before.info.now);
    const emailsBefore = (await emails()).length;
    const haggler = before.personas.find((p) => p.persona === 'discount_hunter')?.customerId as string;
    const requestsOf = async (id: string) => (await api<{ discountRequests: unknown[] }>(`/api/dashboard/clients/${id}`)).discountRequests.length;
    const requestsBefore = await requestsOf(haggler);
    expect(requestsBefore).toBeGreaterThan(0);
    await stop();
    const state = join(home, 'sandbox', 'state.json');
    expect(statSync(state).mode & 0o777).toBe(0o600);

    await start();
    const after = await sandbox();
    expect(after.personas.map((p) => p.customerId)).toEqual(clientsBefore);
    expect(Date.parse(after.info.now)).toBeGreaterThanOrEqual(sandboxNowBefore);
    expect(await api<ActionView>(`/api/actions/${approvedId}`)).toMatchObject({ id: approvedId, status: 'applied' });
    const invoice = await after.stripe.invoices.retrieve(paidInvoiceId);
    expect(invoice.status).toBe('paid');
    expect(await api(`/api/clients/${pausedClient}/work-status`)).toMatchObject({ workStatus: 'active' });
    // The demo's phoned-in discount requests were logged once, on the first start, not again.
    expect(await requestsOf(haggler)).toBe(requestsBefore);
    // The outbox was kept, and its links still reach their actions.
    expect((await emails()).length).toBeGreaterThanOrEqual(emailsBefore);
    const approvedAgain = await fetch(approveLink);
    expect(approvedAgain.status).toBe(409);
    expect(await approvedAgain.text()).toContain('This action is already applied');
    const pending = await api<ActionView>(`/api/actions/${pendingLink.pathname.split('/')[2]}`);
    expect(pending.status).toBe('proposed');
    const page = await fetch(pendingLink);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Approve');
  }, 200_000);

  /** Punctual clients get no fee; chronic late payers pay, late, by their habit. */
  const checkHabits = async (since: number, chronicEach: boolean): Promise<void> => {
    const { personas, stripe, info } = await sandbox();
    const now = Date.parse(info.now) / 1000;
    const punctual = new Set(personas.filter((p) => p.persona === 'punctual').map((p) => p.customerId));
    const fees = await api<ActionView[]>('/api/actions?kind=late_fee');
    expect(fees.filter((f) => punctual.has(f.customerId))).toEqual([]);
    for (const id of punctual) {
      const late = (await invoicesOf(stripe, id)).filter(
        (i) =>
          i.created > since &&
          i.due_date !== null &&
          ((i.status === 'paid' && (i.status_transitions.paid_at ?? 0) > i.due_date) || (i.status === 'open' && i.due_date < now)),
      );
      expect(late.map((i) => i.id)).toEqual([]);
    }
    const paidLatePerChronic: number[] = [];
    for (const p of personas.filter((c) => c.persona === 'chronic_late')) {
      const paidLate = (await invoicesOf(stripe, p.customerId)).filter(
        (i) => i.status === 'paid' && (i.status_transitions.paid_at ?? 0) > since && i.due_date !== null && (i.status_transitions.paid_at ?? 0) > i.due_date,
      );
      paidLatePerChronic.push(paidLate.length);
    }
    // Each of them paid late at least once when the period is long enough for every one to; together, always.
    expect(Math.min(...paidLatePerChronic)).toBeGreaterThanOrEqual(chronicEach ? 1 : 0);
    expect(paidLatePerChronic.reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
  };

  it('after `sandbox advance 30d` and then 90d, punctual clients have no fee, chronic late payers paid late, hagglers kept asking (found without PORT, with progress)', async () => {
    const since = Math.floor(Date.parse((await sandbox()).info.now) / 1000);
    // No PORT: the command finds the running server through <home>/runtime.json.
    const month = await runCliAsync(['sandbox', 'advance', '30d'], { cwd });
    expect({ status: month.status, stderr: month.stderr }).toEqual({ status: 0, stderr: '' });
    expect(month.stdout).toMatch(/sandbox clock at \d{4}-\d{2}-\d{2} \(\d+ of 30 days\)/);
    await checkHabits(since, false);

    const quarter = await runCliAsync(['sandbox', 'advance', '90d'], { cwd });
    expect({ status: quarter.status, stderr: quarter.stderr }).toEqual({ status: 0, stderr: '' });
    expect(quarter.stdout).toMatch(/Sandbox time is now/);
    expect(quarter.stdout).toMatch(/sandbox clock at \d{4}-\d{2}-\d{2} \(90 of 90 days\)/);
    await checkHabits(since, true);

    // Hagglers kept asking: each talked the owner into a discount in the period, and payrisk's discounts report has it.
    const { personas, info } = await sandbox();
    const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
    const report = await api<{ rows: Record<string, unknown>[] }>(
      `/api/reports/discounts?from=${day(since + 86_400)}&to=${info.now.slice(0, 10)}&asOf=${info.now.slice(0, 10)}&format=json`,
    );
    for (const p of personas.filter((c) => c.persona === 'discount_hunter' || c.persona === 'toxic')) {
      const row = report.rows.find((r) => Object.values(r).includes(p.customerId));
      expect({ client: p.customerId, granted: Number(row?.granted ?? 0) > 0 }).toEqual({ client: p.customerId, granted: true });
    }
  }, 300_000);

  it('`payrisk sandbox reset` next to the stopped server empties the ledger, the saved sandbox and the outbox', async () => {
    await stop();
    const run = await runCliAsync(['sandbox', 'reset'], { cwd });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/ledger emptied \([1-9]\d* tables\)/);
    expect(existsSync(join(home, 'sandbox'))).toBe(false);
    expect(await emails()).toEqual([]);

    // The next start is a new business: the approved fee is gone with the old ledger.
    await start();
    const response = await fetch(`${base}/api/actions/${approvedId}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(404);
  }, 200_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, runCliAsync, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

/** docs/walkthrough.md, followed by a new user on embedded defaults, through HTTP, the CLI and the official Stripe client. */
describe('the walkthrough: npm start on embedded defaults', () => {
  let cwd: string;
  let port: number;
  let server: ServerProcess;
  let base: string;
  let token: string;
  let stripe: Stripe;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const emails = async () => {
    const dir = join(cwd, '.payrisk', 'outbox');
    return Promise.all(
      readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => simpleParser(readFileSync(join(dir, f)))),
    );
  };

  beforeAll(async () => {
    cwd = freshWorkdir();
    port = await findFreePort();
    base = `http://localhost:${port}`;
    server = spawnCli(['start'], cwd, { PORT: String(port) });
    await eventually(
      async () => server.output(),
      (out) => out.includes('Move its clock') || server.child.exitCode !== null,
      'the start-up summary',
      90_000,
    );
    if (server.child.exitCode !== null) throw new Error(`payrisk start exited:\n${server.output()}`);
    token = readFileSync(join(cwd, '.payrisk', 'api-token'), 'utf8').trim();
    const sandbox = await api<{ url: string; secretKey: string }>('/api/sandbox');
    stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGINT');
    expect(await server?.exited).toBe(0);
  }, 30_000);

  it('prints the summary: levels, flagged clients with reasons, proposed actions with ids, outbox, API docs', () => {
    const out = server.output();
    expect(out).toMatch(/Clients by level: \d+ critical, \d+ risky, \d+ watch, \d+ ok/);
    expect(out).toMatch(/risky\s+\d+\s+\S.* \(cus_\w+\): paid \d+ of \d+ invoices due between \d+ \w+( \d{4})? and \d+ \w+ more than \d+ days late/);
    expect(out).toMatch(/^ {2}[0-9a-f-]{36} {2}late_fee/m);
    expect(out).toContain(`Owner emails: ${join(cwd, '.payrisk', 'outbox')}`);
    expect(out).toContain(`API docs: ${base}/api/docs`);
  });

  it("tells one story: the first digest lists exactly what waits, every alert lists its client's proposals, none announces a level going down", async () => {
    const mails = await emails();
    const pending = await api<{ id: string; customerId: string }[]>('/api/actions?status=proposed');
    expect(pending.length).toBeGreaterThan(0);
    const digest = mails.find((m) => m.subject?.startsWith('payrisk weekly'));
    const waiting = /Waiting for your approval:\n([\s\S]*?)(\n\n|$)/.exec(digest?.text ?? '')?.[1] ?? '';
    expect(waiting.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(pending.length);

    const rank: Record<string, number> = { ok: 0, watch: 1, risky: 2, critical: 3 };
    const alerts = mails.filter((m) => /^payrisk: .+ is now \w+/.test(m.subject ?? ''));
    expect(alerts.length).toBeGreaterThan(0);
    let withProposals = 0;
    for (const alert of alerts) {
      const text = alert.text ?? '';
      const [, to] = / is now (\w+)/.exec(alert.subject ?? '') ?? [];
      expect(to).not.toBe('ok');
      const went = /went from (\w+) to (\w+)/.exec(text);
      if (went) expect(rank[went[2]]).toBeGreaterThan(rank[went[1]]);
      const clientId = /\/clients\/(cus_\w+)/.exec(text)?.[1];
      const theirs = pending.filter((p) => p.customerId === clientId);
      for (const proposal of theirs) expect(text).toContain(`/approvals/${proposal.id}/approve`);
      if (theirs.length > 0) {
        withProposals++;
        expect(text).not.toContain('Nothing to approve right now');
      }
      // Evidence in plain words: no Stripe id and no flag code outside the links.
      const words = text.replace(/https?:\/\/\S+/g, '');
      expect(words).not.toMatch(/\b(in|cn|cus|dp|ii)_[A-Za-z0-9]{6,}/);
      expect(words).not.toMatch(/\b(chronic_late_payer|repeated_discount_demands)\b/);
    }
    expect(withProposals).toBeGreaterThan(0);
    expect(alerts.some((m) => /due \d{1,2} [A-Z][a-z]{2}( \d{4})?, (paid \d+ days? late|unpaid|\d+ days? late or unpaid)/.test(m.text ?? ''))).toBe(true);
  });

  it('approving a fee with the emailed link puts it in Stripe', async () => {
    const mails = await emails();
    const proposal = mails.find((m) => /Late fee of .* needs your approval/.test(m.subject ?? ''));
    const link = new URL(/Approve: (\S+)/.exec(proposal?.text ?? '')?.[1] ?? '');
    expect(link.origin).toBe(base);
    const actionId = link.pathname.split('/')[2];
    const page = await fetch(link, { method: 'POST' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Approved and applied in Stripe.');

    const action = await api<{ status: string; customerId: string; amount: { amount: number }; stripeIds: { invoiceItem: string } }>(
      `/api/actions/${actionId}`,
    );
    expect(action.status).toBe('applied');
    const item = await stripe.invoiceItems.retrieve(action.stripeIds.invoiceItem);
    expect(item).toMatchObject({
      customer: action.customerId,
      amount: action.amount.amount,
      invoice: null,
      metadata: expect.objectContaining({ payrisk_action_id: actionId }),
    });
    await eventually(emails, (all) => all.some((m) => m.subject?.includes('applied') && m.text?.includes(actionId)), 'the "applied" email');
  }, 60_000);

  it('a paused client pays in Stripe and is resumed at once, with an email', async () => {
    const pauses = await api<{ customerId: string; status: string }[]>('/api/actions?kind=work_pause&status=applied');
    expect(pauses.length).toBeGreaterThan(0);
    const client = pauses[0].customerId;
    expect(await api(`/api/clients/${client}/work-status`)).toMatchObject({ workStatus: 'paused' });
    for await (const invoice of stripe.invoices.list({ customer: client, status: 'open' }))
      await stripe.invoices.pay(invoice.id as string, { paid_out_of_band: true });
    await eventually(
      () => api<{ workStatus: string }>(`/api/clients/${client}/work-status`),
      (s) => s.workStatus === 'active',
      'the resume',
    );
    expect(((await stripe.customers.retrieve(client)) as Stripe.Customer).metadata.payrisk_work_status).toBe('active');
    await eventually(emails, (all) => all.some((m) => m.subject?.includes('can resume')), 'the resume email');
  }, 60_000);

  it('advancing the sandbox clock makes invoices overdue and brings new proposals and emails', async () => {
    const before = (await api<unknown[]>('/api/actions')).length;
    const mailsBefore = (await emails()).length;
    const { status, stdout, stderr } = await runCliAsync(['sandbox', 'advance', '30d'], { cwd, env: { PORT: String(port) } });
    expect({ status, stdout, stderr }).toEqual({ status: 0, stdout: expect.any(String), stderr: '' });
    expect(stdout).toMatch(/Sandbox time is now \d{4}-\d{2}-\d{2}T/);
    const after = await api<{ proposedAt: string }[]>('/api/actions');
    expect(after.length).toBeGreaterThan(before);
    expect((await emails()).length).toBeGreaterThan(mailsBefore);
    const sandbox = await api<{ now: string }>('/api/sandbox');
    expect(Date.parse(sandbox.now)).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  }, 90_000);
});

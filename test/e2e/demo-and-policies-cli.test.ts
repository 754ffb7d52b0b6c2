import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, runCli, spawnCli, type ServerProcess } from '../support/cli-process';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

describe('payrisk demo', () => {
  it('runs sandbox → sync → detect → policies → emails on embedded defaults and prints a summary', () => {
    const cwd = freshWorkdir();
    const { status, stdout, stderr } = runCli(['demo'], { cwd });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(stdout).toContain('applying the policies, emailing you');
    expect(stdout).toContain("syncing the sandbox's demo business (40 clients)");
    expect(stdout).toMatch(/logging the \d+ discount requests/);
    expect(stdout).toMatch(/Applied: \d+ work_pause/);
    expect(stdout).toMatch(/Clients by level: \d+ critical, [1-9]\d* risky, \d+ watch, \d+ ok/);
    expect(stdout).toMatch(/^ {2}risky\s+\d+\s+\S.* \(cus_\w+\): paid \d+ of \d+ invoices due between \d+ \w+( \d{4})? and \d+ \w+ more than \d+ days late/m);
    expect(stdout).toMatch(/^ {2}[0-9a-f-]{36} {2}late_fee/m);
    const outbox = join(cwd, '.payrisk', 'demo', 'outbox');
    const emails = readdirSync(outbox).filter((file) => file.endsWith('.eml'));
    expect(stdout).toContain(`${emails.length} emails to owner@localhost, written to .payrisk/demo/outbox/`);
    // Header lines are folded (RFC 5322): unfold before reading the subject.
    const subjects = emails.map((file) => /^Subject: (.*)$/m.exec(readFileSync(join(outbox, file), 'utf8').replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '');
    expect(subjects.some((s) => s.includes('is paused'))).toBe(true);
    expect(subjects.some((s) => s.includes('needs your approval'))).toBe(true);
    expect(subjects.some((s) => s.startsWith('payrisk weekly'))).toBe(true);
  }, 120_000);
});

describe('policies and actions from the command line, against a separately running sandbox', () => {
  let db: TestDatabase;
  let sandbox: ServerProcess;
  let env: Record<string, string>;
  let stripe: Stripe;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    const port = await findFreePort();
    sandbox = spawnCli(['sandbox', '--port', String(port), '--seed', 'demo'], freshWorkdir(), {});
    await eventually(
      async () => sandbox.output(),
      (out) => out.includes(String(port)) || sandbox.child.exitCode !== null,
      'the separate sandbox to listen',
      30_000,
    );
    if (sandbox.child.exitCode !== null) throw new Error(`payrisk sandbox exited:\n${sandbox.output()}`);
    env = {
      DATABASE_URL: db.url,
      STRIPE_SECRET_KEY: 'sk_test_cli',
      STRIPE_API_BASE: `http://127.0.0.1:${port}`,
      PAYRISK_CONFIG: resolve(__dirname, '..', '..', 'config', 'demo.yaml'),
      LOG_LEVEL: 'warn',
    };
    stripe = createStripeClient({ secretKey: 'sk_test_cli', apiBase: env.STRIPE_API_BASE });
    for (const args of [
      ['sync', '--full'],
      ['detect', '--full'],
    ])
      expect(runCli(args, { env }).status).toBe(0);
  }, 60_000);
  afterAll(async () => {
    sandbox?.child.kill('SIGINT');
    await sandbox?.exited;
    await db?.drop();
  }, 30_000);

  const json = <T>(args: string[]) => {
    const result = runCli(args, { env });
    if (result.status !== 0) throw new Error(`payrisk ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };

  it('--dry-run shows the plan and writes nothing', async () => {
    const plan = json<{ dryRun: boolean; planned: { kind: string; mode: string }[]; created: number }>(['policies', 'run', '--dry-run', '--json']);
    expect(plan.dryRun).toBe(true);
    expect(plan.created).toBe(0);
    expect(new Set(plan.planned.map((p) => p.kind))).toEqual(new Set(['late_fee', 'work_pause', 'price_increase']));
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM actions`)).toEqual([{ n: 0 }]);
  }, 60_000);

  it('runs the policies, lists actions as JSON, and approves and rejects by id', async () => {
    const run = json<{ created: number; applied: number }>(['policies', 'run', '--json']);
    expect(run.created).toBeGreaterThan(0);
    const actions = json<{ id: string; kind: string; customerId: string; status: string }[]>(['actions', 'list', '--json']);
    expect(actions).toHaveLength(run.created);
    for (const action of actions) expect(Object.keys(action)).toEqual(expect.arrayContaining(['id', 'kind', 'customerId', 'status']));
    const pauses = actions.filter((a) => a.kind === 'work_pause');
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses.every((a) => a.status === 'applied')).toBe(true);
    const paused = (await stripe.customers.retrieve(pauses[0].customerId)) as Stripe.Customer;
    expect(paused.metadata.payrisk_work_status).toBe('paused');

    const [fee, other] = actions.filter((a) => a.kind === 'late_fee' && a.status === 'proposed');
    const approved = runCli(['actions', 'approve', fee.id], { env });
    expect(approved.status).toBe(0);
    // The client by name, its id in brackets.
    const who = `${((await stripe.customers.retrieve(fee.customerId)) as Stripe.Customer).name} (${fee.customerId})`;
    expect(approved.stdout).toContain(`Action ${fee.id} (late_fee for ${who}) is now applied; Stripe: invoiceItem=ii_`);
    const itemId = /invoiceItem=(ii_\w+)/.exec(approved.stdout)?.[1] ?? '';
    expect((await stripe.invoiceItems.retrieve(itemId)).metadata?.payrisk_action_id).toBe(fee.id);
    const waived = runCli(['actions', 'waive', fee.id], { env });
    expect(waived.status).toBe(0);
    expect(waived.stdout).toContain(`Action ${fee.id} (late_fee for ${who}) is now waived; Stripe: invoiceItem=${itemId}, deletedInvoiceItem=${itemId}`);
    await expect(stripe.invoiceItems.retrieve(itemId)).rejects.toThrow(/No such invoiceitem/);
    expect(runCli(['actions', 'reject', other.id], { env }).stdout).toContain('is now rejected');

    const again = runCli(['actions', 'approve', other.id], { env });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`Action ${other.id} is rejected; it cannot become approved`);
    const unknown = runCli(['actions', 'approve', 'nope'], { env });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No action with id nope');
    expect(json<{ created: number }>(['policies', 'run', '--json']).created).toBe(0);
  }, 120_000);
});

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, CLI, cleanEnv, freshWorkdir, serverLog, spawnCli, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';

beforeAll(assertBuilt);

const ROOT = resolve(__dirname, '..', '..');

interface Snippet {
  /** The number of the `## N.` section it is in. */
  step: number;
  lang: string;
  text: string;
}

/** The fenced blocks of docs/walkthrough.md, with the step each belongs to. */
function readSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  let step = 0;
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        snippets.push({ step, lang: open.lang, text: open.lines.join('\n') });
        open = undefined;
      } else open.lines.push(line);
      continue;
    }
    const heading = /^## (\d+)\./.exec(line);
    if (heading) step = Number(heading[1]);
    const fence = /^```(\w*)$/.exec(line);
    if (fence) open = { lang: fence[1], lines: [] };
  }
  if (open) throw new Error('docs/walkthrough.md: a fenced block is never closed');
  return snippets;
}

/**
 * One line of an example of output as a pattern: `…` stands for anything, a UUID shown as
 * `a10255c9-…` for any UUID, numbers and levels for any (they depend on the day the demo
 * starts), runs of spaces for any run (columns move with the level's width).
 */
function linePattern(example: string): RegExp {
  const parts = example.split(/([0-9a-f]{8}-…|…|\d+|\b(?:ok|watch|risky|critical)\b| {2,})/);
  const source = parts
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (/^[0-9a-f]{8}-…$/.test(part)) return '[0-9a-f]{8}-[0-9a-f-]{27}';
      if (part === '…') return '.*';
      if (/^\d+$/.test(part)) return '\\d+';
      if (/^ +$/.test(part)) return ' {2,}';
      return '(?:ok|watch|risky|critical)';
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** Every line of the example (but a lone `…`, which elides lines) matches a line of the output, in the same order. */
function expectOutputLike(output: string, example: string): void {
  const lines = output.split('\n');
  let at = 0;
  for (const line of example.split('\n')) {
    if (line.trim() === '…' || line.trim() === '') continue;
    const pattern = linePattern(line);
    const found = lines.findIndex((candidate, i) => i >= at && pattern.test(candidate));
    if (found < 0) throw new Error(`docs/walkthrough.md shows\n  ${line}\nbut no later line of the output matches ${pattern}:\n${lines.slice(at).join('\n')}`);
    at = found + 1;
  }
}

/** docs/walkthrough.md, followed by a new user on embedded defaults: its snippets run as written, in its order, against a real `payrisk start`. */
describe('the walkthrough (docs/walkthrough.md) on npm start with embedded defaults', () => {
  const snippets = readSnippets(readFileSync(join(ROOT, 'docs', 'walkthrough.md'), 'utf8'));
  const of = (step: number, lang: string) => snippets.filter((s) => s.step === step && s.lang === lang);
  let cwd: string;
  let home: string;
  let port: number;
  let server: ServerProcess;
  let base: string;
  let token: string;
  let stripe: Stripe;
  let sandbox: { url: string; secretKey: string };
  let approved: { id: string; customerId: string };

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const emails = async () => {
    const dir = join(home, 'outbox');
    return Promise.all(
      readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => simpleParser(readFileSync(join(dir, f)))),
    );
  };
  /** The doc's placeholders, filled with what this run printed (and its port for the default 3000). */
  const fill = (line: string, values: { id?: string; customer?: string } = {}): string => {
    const filled = line
      .replaceAll('localhost:3000', `localhost:${port}`)
      .replaceAll('http://127.0.0.1:…', sandbox.url)
      .replaceAll('sk_test_…', sandbox.secretKey)
      .replaceAll('<id>', values.id ?? '<id>')
      .replaceAll('cus_…', values.customer ?? 'cus_…');
    expect(filled.replace(/#.*$/, '')).not.toMatch(/…|<id>/);
    return filled;
  };
  /**
   * One `sh` line in a shell in the user's folder, with no PORT: `npx payrisk` is the built CLI
   * (as `npm install` links it in the payrisk folder), `require('stripe')` finds the installed package.
   */
  const sh = (line: string): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((done) => {
      const env = cleanEnv({
        PATH: `${join(cwd, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
        NODE_PATH: join(ROOT, 'node_modules'),
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      });
      const child = spawn('bash', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => done({ status, stdout, stderr }));
    });
  const shLines = (step: number): string[] =>
    of(step, 'sh')
      .flatMap((s) => s.text.split('\n'))
      .filter((l) => l.trim() !== '');
  const runOk = async (line: string) => {
    const run = await sh(line);
    // stderr carries only the commands' notes to the person (the link's expiry, the file written), never an error or warning.
    const stderr = run.stderr.replace(/^(One use, until |wrote .* to ).*\n/gm, '');
    expect({ line, status: run.status, stderr }).toEqual({ line, status: 0, stderr: '' });
    return run.stdout;
  };

  beforeAll(async () => {
    cwd = freshWorkdir();
    home = join(cwd, '.payrisk');
    port = await findFreePort();
    base = `http://localhost:${port}`;
    // `npx payrisk` in the payrisk folder runs its bin: the built CLI.
    mkdirSync(join(cwd, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(cwd, 'node_modules', '.bin', 'payrisk'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });

    // Step 1: `npm install && npm start`; `npm start` builds, then runs `payrisk start` (built above).
    expect(of(1, 'sh').map((s) => s.text)).toEqual(['npm install && npm start']);
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe('npm run build --silent && node dist/src/cli.js start');
    server = spawnCli(['start'], cwd, { PORT: String(port) });
    await eventually(
      async () => server.output(),
      (out) => out.includes('Move its clock') || server.child.exitCode !== null,
      'the start-up summary',
      120_000,
    );
    if (server.child.exitCode !== null) throw new Error(`payrisk start exited:\n${server.output()}`);
    token = readFileSync(join(home, 'api-token'), 'utf8').trim();
    const [, url, secretKey] = /Stripe sandbox: STRIPE_API_BASE=(\S+) STRIPE_SECRET_KEY=(\S+)/.exec(server.output()) ?? [];
    sandbox = { url, secretKey };
    stripe = createStripeClient({ secretKey, apiBase: url });
  }, 150_000);
  afterAll(async () => {
    server?.child.kill('SIGINT');
    expect(await server?.exited).toBe(0);
  }, 30_000);

  it('1. prints the summary the page shows, readable: every flagged client, the paused ones, the dashboard and its sign-in link; the log went to its file', async () => {
    const out = server.output();
    const [example] = of(1, '');
    expectOutputLike(out, example.text);

    // Readable: a screenful of summary, no log lines but warnings; the log is in <home>/logs/payrisk.log.
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(80);
    const logLines = lines.filter((l) => l.startsWith('{'));
    for (const line of logLines) expect((JSON.parse(line) as { level: number }).level).toBeGreaterThanOrEqual(40);
    expect(out).not.toContain('applied migrations');
    const log = serverLog(home);
    expect(log).toContain('applied migrations');
    expect(log).toContain(`payrisk listening on http://127.0.0.1:${port}`);
    expect(out).toContain(`Log: ${join(home, 'logs', 'payrisk.log')}`);

    // Every flagged client is named (or "… and N more" past 25), the paused ones too.
    const clients = await api<{ customerId: string; name: string; flags: string[] }[]>('/api/clients');
    const flagged = clients.filter((c) => c.flags.length > 0);
    const listed = lines.filter((l) => /^ {2}(ok|watch|risky|critical) +\d+ {2}.+ \(cus_\w+\): /.test(l));
    expect(listed).toHaveLength(Math.min(flagged.length, 25));
    const named = flagged.length > 25 ? [`  … and ${flagged.length - 25} more`] : flagged.map((client) => `${client.name} (${client.customerId}): `);
    for (const line of named) expect(out).toContain(line);
    const pauses = await api<{ customerId: string }[]>('/api/actions?kind=work_pause&status=applied');
    expect(pauses.length).toBeGreaterThan(0);
    const pausedNames = pauses.map((p) => clients.find((c) => c.customerId === p.customerId)?.name).sort();
    expect(/^Work paused until they pay: (.*)$/m.exec(out)?.[1].split(', ').sort()).toEqual(pausedNames);

    // The dashboard and a sign-in link that works.
    expect(out).toContain(`Dashboard: ${base}/`);
    const link = /dashboard sign-in link \(one use, 15 minutes\): (\S+)/.exec(out)?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^${base}/login\\?code=`));
    // The sign-in page spends the code through the API.
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: new URL(link).searchParams.get('code') }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie') ?? '').toContain('payrisk_session=');
  });

  it('2. `npx payrisk login-link` prints a fresh sign-in link', async () => {
    const [line] = shLines(2);
    expect(line).toBe('npx payrisk login-link');
    expect(await runOk(fill(line))).toMatch(new RegExp(`^${base}/login\\?code=\\S+\\n$`));
    // `payrisk --help` promises a dashboard, and the server serves one.
    expect(await runOk('npx payrisk --help')).toMatch(/start \[options\] +run the server: API, webhooks, dashboard and cron/);
    const page = await fetch(`${base}/`);
    expect({ status: page.status, type: page.headers.get('content-type') }).toEqual({ status: 200, type: expect.stringContaining('text/html') });
    expect(await page.text()).toMatch(/<div id="root">|<script type="module"/);
  }, 60_000);

  it("3. the emails tell one story: the first digest lists exactly what waits, every alert lists its client's proposals, none announces a level going down", async () => {
    const mails = await emails();
    const pending = await api<{ id: string; customerId: string }[]>('/api/actions?status=proposed');
    expect(pending.length).toBeGreaterThan(0);
    const digest = mails.find((m) => m.subject?.startsWith('payrisk weekly'));
    const waiting = /Waiting for your approval:\n([\s\S]*?)(\n\n|$)/.exec(digest?.text ?? '')?.[1] ?? '';
    expect(waiting.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(pending.length);

    const rank: Record<string, number> = { ok: 0, watch: 1, risky: 2, critical: 3 };
    const alerts = mails.filter((m) => /^payrisk: .+ is now \w+/.test(m.subject ?? ''));
    expect(alerts.length).toBeGreaterThan(0);
    const risesNot: string[] = [];
    const quoted: { fromAlert: unknown; fromSummary: unknown }[] = [];
    const withProposals: string[] = [];
    for (const alert of alerts) {
      const text = alert.text ?? '';
      const [, to] = / is now (\w+)/.exec(alert.subject ?? '') ?? [];
      expect(to).not.toBe('ok');
      const went = /went from (\w+) to (\w+)/.exec(text);
      if (went && !(rank[went[2]] > rank[went[1]])) risesNot.push(went[0]);
      const clientId = /\/clients\/(cus_\w+)/.exec(text)?.[1];
      // The alert quotes the assessment the summary shows (the same run), not an older one.
      const summaryLine = new RegExp(`^ {2}(\\w+) +(\\d+) {2}.+ \\(${clientId}\\): `, 'm').exec(server.output());
      if (summaryLine)
        quoted.push({
          fromAlert: { clientId, level: to, score: /, score (\d+)\/100/.exec(text)?.[1] },
          fromSummary: { clientId, level: summaryLine[1], score: summaryLine[2] },
        });
      const theirs = pending.filter((p) => p.customerId === clientId);
      for (const proposal of theirs) expect(text).toContain(`/approvals/${proposal.id}/approve`);
      if (theirs.length > 0) withProposals.push(text);
      // Evidence in plain words: no Stripe id and no flag code outside the links.
      const words = text.replace(/https?:\/\/\S+/g, '');
      expect(words).not.toMatch(/\b(in|cn|cus|dp|ii)_[A-Za-z0-9]{6,}/);
      expect(words).not.toMatch(/\b(chronic_late_payer|repeated_discount_demands)\b/);
    }
    // Every "went from A to B" is a rise; every alert quotes the summary's level and score.
    expect(risesNot).toEqual([]);
    expect(quoted.length).toBeGreaterThan(0);
    expect(quoted.map((q) => q.fromAlert)).toEqual(quoted.map((q) => q.fromSummary));
    // An alert for a client with proposals lists them, and never says there is nothing to approve.
    expect(withProposals.length).toBeGreaterThan(0);
    expect(withProposals.filter((text) => text.includes('Nothing to approve right now'))).toEqual([]);
    expect(alerts.some((m) => /due \d{1,2} [A-Z][a-z]{2}( \d{4})?, (paid \d+ days? late|unpaid|\d+ days? late or unpaid)/.test(m.text ?? ''))).toBe(true);
  });

  it("4. approving a fee with the emailed link puts it in Stripe; the page's commands list, approve and query the API", async () => {
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
    approved = { id: actionId, customerId: action.customerId };
    await eventually(emails, (all) => all.some((m) => m.subject?.includes('applied') && m.text?.includes(actionId)), 'the "applied" email');

    const [list, approve, curl] = shLines(4);
    const next = (await api<{ id: string; kind: string }[]>('/api/actions?status=proposed&kind=late_fee'))[0];
    expect(await runOk(fill(list))).toContain(next.id.slice(0, 8));
    await runOk(fill(approve, { id: next.id }));
    expect((await api<{ status: string }>(`/api/actions/${next.id}`)).status).toBe('applied');
    const proposed = JSON.parse(await runOk(fill(curl))) as { status: string }[];
    expect(proposed.length).toBeGreaterThan(0);
    expect(new Set(proposed.map((a) => a.status))).toEqual(new Set(['proposed']));
  }, 120_000);

  it('5. fee.js, run as the page says, shows the approved fee in Stripe', async () => {
    const [script] = of(5, 'js');
    writeFileSync(join(cwd, 'fee.js'), script.text);
    const [run] = shLines(5);
    const out = await runOk(fill(run, { customer: approved.customerId }));
    expect(out).toMatch(new RegExp(`^ii_\\w+ \\d+ \\w{3} ${approved.id}$`, 'm'));
  }, 60_000);

  it('6. a paused client pays with pay.js and is resumed at once, with an email', async () => {
    const [script] = of(6, 'js');
    writeFileSync(join(cwd, 'pay.js'), script.text);
    const [findPaused, pay, workStatus] = shLines(6);
    const pauses = JSON.parse(await runOk(fill(findPaused))) as { customerId: string }[];
    expect(pauses.length).toBeGreaterThan(0);
    const client = pauses[0].customerId;
    expect(JSON.parse(await runOk(fill(workStatus, { customer: client })))).toMatchObject({ workStatus: 'paused' });
    expect(await runOk(fill(pay, { customer: client }))).toMatch(/^paid in_\w+$/m);
    await eventually(
      async () => JSON.parse(await runOk(fill(workStatus, { customer: client }))) as { workStatus: string },
      (s) => s.workStatus === 'active',
      'the resume',
    );
    expect(((await stripe.customers.retrieve(client)) as Stripe.Customer).metadata.payrisk_work_status).toBe('active');
    await eventually(emails, (all) => all.some((m) => m.subject?.includes('can resume')), 'the resume email');
  }, 90_000);

  it('7. `npx payrisk sandbox advance 30d` finds the server without PORT, prints its progress and what the page shows; the reports run', async () => {
    const before = (await api<unknown[]>('/api/actions')).length;
    const mailsBefore = (await emails()).length;
    const [advance, aging, fees] = shLines(7);
    expect(advance).toBe('npx payrisk sandbox advance 30d');
    const out = await runOk(fill(advance));
    const [example] = of(7, '');
    expectOutputLike(out, example.text);
    expect((await api<unknown[]>('/api/actions')).length).toBeGreaterThan(before);
    expect((await emails()).length).toBeGreaterThan(mailsBefore);
    const now = await api<{ now: string }>('/api/sandbox');
    expect(Date.parse(now.now)).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    expect(await runOk(fill(aging))).toMatch(/\S/);
    await runOk(fill(fees));
    expect(existsSync(join(cwd, 'fees.xlsx'))).toBe(true);
    expect(readFileSync(join(cwd, 'fees.xlsx')).subarray(0, 2).toString()).toBe('PK');
  }, 180_000);
});

import type Stripe from 'stripe';
import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, spawnCli, waitForHealth, type ServerProcess } from '../support/cli-process';
import { eventually } from '../support/eventually';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

beforeAll(assertBuilt);

const TOKEN = 'e2e-token-start-real-stripe-0123456789';

/**
 * `payrisk start` with STRIPE_SECRET_KEY set talks to that Stripe and nothing else: no
 * built-in sandbox, no demo business seeded into the account, no demo summary. The
 * "real" Stripe here is a separately running `payrisk sandbox --seed empty`, which
 * accepts any sk_test_ key, as Stripe's test mode would.
 */
describe('payrisk start on a real-key Stripe (STRIPE_SECRET_KEY set)', () => {
  let db: TestDatabase;
  let stripeProcess: ServerProcess;
  let server: ServerProcess;
  let stripeBase: string;
  let base: string;
  let stripe: Stripe;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    const stripePort = await findFreePort();
    stripeProcess = spawnCli(['sandbox', '--port', String(stripePort), '--seed', 'empty'], freshWorkdir(), {});
    await eventually(
      async () => stripeProcess.output(),
      (out) => out.includes(`:${stripePort}`) || stripeProcess.child.exitCode !== null,
      'the separate sandbox to listen',
      30_000,
    );
    if (stripeProcess.child.exitCode !== null) throw new Error(`payrisk sandbox exited:\n${stripeProcess.output()}`);
    stripeBase = `http://127.0.0.1:${stripePort}`;
    stripe = createStripeClient({ secretKey: 'sk_test_x', apiBase: stripeBase });

    const port = await findFreePort();
    base = `http://127.0.0.1:${port}`;
    server = spawnCli(['start'], freshWorkdir(), {
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_API_BASE: stripeBase,
      DATABASE_URL: db.url,
      PORT: String(port),
      API_TOKEN: TOKEN,
    });
  }, 60_000);
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGINT');
    await server?.exited;
    if (stripeProcess?.child.exitCode === null) stripeProcess.child.kill('SIGINT');
    await stripeProcess?.exited;
    await db?.drop();
  }, 30_000);

  it('is healthy on the given database, with the migrations applied', async () => {
    expect(await waitForHealth(base, server, 90_000)).toEqual({ status: 'ok', database: 'up', migrations: 'current' });
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM actions`)).toEqual([{ n: 0 }]);
  }, 100_000);

  it('syncs from that Stripe without starting the demo pipeline', async () => {
    // The demo pipeline prints its first step before it starts the first sync: once that sync has
    // finished, the step's absence means the pipeline never started (the summary is checked at exit).
    await eventually(
      async () => server.output(),
      (out) => out.includes('sync backfill: ') || server.child.exitCode !== null,
      'the first sync to finish',
      30_000,
    );
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).toContain('sync backfill: {\\"customers\\":0,\\"invoices\\":0,'); // JSON inside the JSON log line
    expect(server.output()).not.toContain("syncing the sandbox's demo business");
  }, 45_000);

  it('has no sandbox of its own: GET /api/sandbox answers 404', async () => {
    const response = await fetch(`${base}/api/sandbox`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('no sandbox to move');
    expect((await fetch(`${base}/api/sandbox`)).status).toBe(401); // and it is behind the token like the rest of /api
  }, 15_000);

  it('seeds nothing into that Stripe: the account still has no customers', async () => {
    expect((await stripe.customers.list({ limit: 100 })).data).toHaveLength(0);
    expect((await stripe.invoices.list({ limit: 100 })).data).toHaveLength(0);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM clients`)).toEqual([{ n: 0 }]);
  }, 15_000);

  it('Ctrl-C stops it with exit code 0, having printed no demo summary in its whole life', async () => {
    expect(server.child.exitCode).toBeNull();
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    // Shutdown waits for a running demo pipeline to finish (and print), and `closed` waits for the
    // last byte of output: this is everything the server printed, so nothing can still come.
    await server.closed;
    const out = server.output();
    expect(out).not.toContain('payrisk is ready');
    expect(out).not.toContain('Move its clock');
    expect(out).not.toContain("syncing the sandbox's demo business");
  }, 30_000);
});

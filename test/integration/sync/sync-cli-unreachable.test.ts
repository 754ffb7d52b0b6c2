import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { assertBuilt, freshWorkdir, runCliAsync } from '../../support/cli-process';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** A loopback port nothing listens on: Stripe "down". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('payrisk sync --full with Stripe unreachable', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    assertBuilt();
    db = await createTestDatabase();
  }, 60_000);
  afterAll(() => db.drop());

  it('waits, then exits non-zero after stripe.unreachableAfterSeconds with a message saying what to do', async () => {
    const cwd = freshWorkdir();
    writeFileSync(join(cwd, 'policy.yaml'), 'stripe:\n  unreachableAfterSeconds: 12\n  retryMaxDelaySeconds: 1\n');
    const began = Date.now();
    const { status, stdout, stderr } = await runCliAsync(['sync', '--full'], {
      cwd,
      env: {
        DATABASE_URL: db.url,
        STRIPE_SECRET_KEY: 'sk_test_unreachable',
        STRIPE_API_BASE: `http://127.0.0.1:${await closedPort()}`,
        PAYRISK_CONFIG: 'policy.yaml',
        LOG_LEVEL: 'warn',
      },
    });
    expect(status).toBe(1);
    expect(stdout + stderr).toMatch(/waiting \d+\.\d s, then going on/);
    expect(stderr).toMatch(
      /Stripe has been unreachable for \d+ s .*Check the network, STRIPE_API_BASE and https:\/\/status\.stripe\.com, then run `payrisk sync` again: it resumes from its checkpoints/,
    );
    // It kept trying for the configured limit rather than giving up at the first exhausted retry.
    expect(Date.now() - began).toBeGreaterThanOrEqual(12_000);
  }, 120_000);
});

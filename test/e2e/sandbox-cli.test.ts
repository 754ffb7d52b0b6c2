import { findFreePort } from '../../src/database/free-port';
import { createStripeClient } from '../../src/stripe/stripe-client.factory';
import { assertBuilt, freshWorkdir, spawnCli, type ServerProcess } from '../support/cli-process';

/**
 * `payrisk sandbox` as a user runs it: the built CLI in its own process, reached only through
 * what it prints. Nothing here blocks this process while the sandbox runs (no runCli).
 */

const TEST_TIMEOUT = 60_000;
/** The printed connection details must appear within this deadline (it ends a hung start; it measures nothing). */
const STARTUP_DEADLINE_MS = 10_000;

interface PrintedSandbox {
  server: ServerProcess;
  port: number;
  apiBase: string;
  secretKey: string;
}

async function startSandboxCli(extraArgs: string[]): Promise<PrintedSandbox> {
  const port = await findFreePort();
  const server = spawnCli(['sandbox', '--port', String(port), ...extraArgs], freshWorkdir(), {});
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  for (;;) {
    const output = server.output();
    const apiBase = /^\s*STRIPE_API_BASE=(\S+)\s*$/m.exec(output)?.[1];
    const secretKey = /^\s*STRIPE_SECRET_KEY=(\S+)\s*$/m.exec(output)?.[1];
    if (apiBase && secretKey) return { server, port, apiBase, secretKey };
    if (server.child.exitCode !== null) throw new Error(`payrisk sandbox exited early (${server.child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      server.child.kill('SIGKILL');
      throw new Error(`payrisk sandbox printed no STRIPE_API_BASE / STRIPE_SECRET_KEY within ${STARTUP_DEADLINE_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Ctrl-C, as a user stops it; returns the exit code. */
async function interrupt(sandbox: PrintedSandbox): Promise<number | null> {
  sandbox.server.child.kill('SIGINT');
  return sandbox.server.exited;
}

/** For a failed test: never leave the process behind. */
function killIfRunning(sandbox: PrintedSandbox | undefined): void {
  if (sandbox && sandbox.server.child.exitCode === null && sandbox.server.child.signalCode === null) sandbox.server.child.kill('SIGKILL');
}

beforeAll(assertBuilt);

describe('payrisk sandbox (built CLI)', () => {
  let demo: PrintedSandbox | undefined;
  afterEach(() => killIfRunning(demo));

  it(
    'prints STRIPE_API_BASE and an sk_test_ key, serves the 40 demo clients to a client using that key, and exits 0 on SIGINT',
    async () => {
      demo = await startSandboxCli(['--seed', 'demo']);
      expect(demo.apiBase).toBe(`http://127.0.0.1:${demo.port}`);
      expect(demo.secretKey).toMatch(/^sk_test_[A-Za-z0-9_]+$/);
      expect(demo.server.output()).toMatch(/^\s*STRIPE_WEBHOOK_SECRET=whsec_\S+/m);

      const stripe = createStripeClient({ secretKey: demo.secretKey, apiBase: demo.apiBase, maxNetworkRetries: 0, timeoutMs: 10_000 });
      const customers: string[] = [];
      for await (const customer of stripe.customers.list({ limit: 100 })) customers.push(customer.id);
      expect(customers).toHaveLength(40);
      expect(new Set(customers).size).toBe(40);

      const response = await fetch(`${demo.apiBase}/_sandbox/personas`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { personas: Array<{ customerId: string; persona: string }> };
      expect(body.personas).toHaveLength(40);
      expect(new Set(body.personas.map((p) => p.customerId))).toEqual(new Set(customers));

      // The key is required: the same request without it is refused.
      const anonymous = await fetch(`${demo.apiBase}/v1/customers`);
      expect(anonymous.status).toBe(401);

      expect(await interrupt(demo)).toBe(0);
      // Stopped means stopped: the port no longer answers.
      await expect(fetch(`${demo.apiBase}/_sandbox/personas`)).rejects.toThrow();
    },
    TEST_TIMEOUT,
  );
});

describe('payrisk sandbox --faults (built CLI)', () => {
  let faulty: PrintedSandbox | undefined;
  afterEach(() => killIfRunning(faulty));

  it(
    '--faults 429=1 answers a request with 429 and a Retry-After header, until the faults are cleared',
    async () => {
      faulty = await startSandboxCli(['--seed', 'empty', '--faults', '429=1']);
      const headers = { Authorization: `Bearer ${faulty.secretKey}` };

      const limited = await fetch(`${faulty.apiBase}/v1/customers`, { headers });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limit');

      // The control endpoints stay reachable, so faults can be turned off at run time.
      const cleared = await fetch(`${faulty.apiBase}/_sandbox/faults`, { method: 'POST', body: '{}' });
      expect(cleared.status).toBe(200);
      const served = await fetch(`${faulty.apiBase}/v1/customers`, { headers });
      expect(served.status).toBe(200);
      expect(served.headers.get('retry-after')).toBeNull();
      expect(((await served.json()) as { data: unknown[] }).data).toEqual([]);

      expect(await interrupt(faulty)).toBe(0);
    },
    TEST_TIMEOUT,
  );
});

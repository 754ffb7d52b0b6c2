import { fork } from 'node:child_process';
import { startSandbox } from '../src/sandbox';
import { createStripeClient } from '../src/stripe/stripe-client.factory';

/**
 * `npm run bench:sandbox`: seeds 200,000 invoices (10,000 clients × 20 months), then pages
 * through all of them with the official client (auto-pagination, limit 100), as a backfill
 * would. Stripe's own ceiling is 100 read requests/s × 100 objects = 10,000 objects/s.
 * The sandbox runs in a child process, as `payrisk sandbox` would, so client and server do
 * not share one event loop.
 */
const CLIENTS = Number(process.env.BENCH_SANDBOX_CLIENTS ?? 10_000);
const INVOICES_PER_CLIENT = Number(process.env.BENCH_SANDBOX_INVOICES_PER_CLIENT ?? 20);
const STRIPE_CEILING = 100 * 100;

interface Ready {
  url: string;
  secretKey: string;
  seedSeconds: number;
  heapMb: number;
}

async function serve(): Promise<void> {
  const start = process.hrtime.bigint();
  const sandbox = await startSandbox({ port: 0, seed: CLIENTS, invoicesPerClient: INVOICES_PER_CLIENT });
  const ready: Ready = {
    url: sandbox.url,
    secretKey: sandbox.secretKey,
    seedSeconds: Number(process.hrtime.bigint() - start) / 1e9,
    heapMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
  process.send?.(ready);
  process.on('message', () => void sandbox.stop().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  // A larger young generation: paging allocates big short-lived strings next to a ~1 GB heap.
  const child = fork(__filename, ['--serve'], { stdio: 'inherit', execArgv: [...process.execArgv, '--max-semi-space-size=64'] });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Ready));
    child.once('exit', (code) => reject(new Error(`sandbox process exited with ${code}`)));
  });
  console.log(`seeded ${CLIENTS} clients × ${INVOICES_PER_CLIENT} months in ${ready.seedSeconds.toFixed(2)} s (sandbox heap ${ready.heapMb.toFixed(0)} MB)`);
  try {
    const stripe = createStripeClient({ secretKey: ready.secretKey, apiBase: ready.url, maxNetworkRetries: 0 });
    const start = process.hrtime.bigint();
    let count = 0;
    for await (const invoice of stripe.invoices.list({ limit: 100 })) {
      if (invoice.object === 'invoice') count += 1;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rate = count / seconds;
    console.log(`paged ${count} invoices in ${seconds.toFixed(2)} s (${Math.ceil(count / 100)} requests of 100)`);
    console.log(`throughput: ${Math.round(rate)} objects/s = ${(rate / STRIPE_CEILING).toFixed(2)} × Stripe's ceiling (${STRIPE_CEILING} objects/s)`);
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

if (process.argv[2] === '--serve') void serve();
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

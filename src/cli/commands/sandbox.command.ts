import { onShutdown } from '../../runtime/shutdown';

export interface SandboxCommandOptions {
  port: number;
  seed: string;
  webhookUrl?: string;
  faults?: string;
  accounts?: number;
}

function parseSeed(seed: string): 'demo' | 'empty' | number {
  if (seed === 'demo' || seed === 'empty') return seed;
  if (/^\d+$/.test(seed)) return Number(seed);
  throw new Error(`--seed must be demo, empty or a number of clients (got "${seed}")`);
}

/**
 * `payrisk sandbox`: the offline Stripe API on a port, until Ctrl-C. Prints what the rest
 * of payrisk needs to reach it (STRIPE_API_BASE, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET).
 */
export async function sandboxCommand(options: SandboxCommandOptions): Promise<void> {
  const started = Date.now();
  // Loaded here, when the sandbox runs: every other command leaves the emulator out of the process.
  const { startSandbox, parseFaultSpec } = await import('../../sandbox');
  const sandbox = await startSandbox({
    port: options.port,
    seed: parseSeed(options.seed),
    webhookUrl: options.webhookUrl,
    faults: options.faults ? parseFaultSpec(options.faults) : undefined,
    accounts: options.accounts,
  });
  onShutdown(() => sandbox.stop());
  // Several accounts: each one's key and webhook secret, ready for `payrisk accounts add`.
  const others =
    sandbox.accounts.length > 1
      ? [
          `  ${sandbox.accounts.length} accounts, each with its own key and data (the first is the one above):`,
          ...sandbox.accounts.map((a, i) => `    ${i + 1}. ${a.accountId}  ${a.secretKey}  ${a.webhookSecret}  (${a.personas.length} clients)`),
          `  add one to payrisk: STRIPE_API_BASE=${sandbox.url} payrisk accounts add --name NAME --key sk_test_… --webhook-secret whsec_…`,
        ]
      : [];
  const lines = [
    `Stripe sandbox listening (seed ${options.seed}, ${sandbox.personas.length} seeded ` +
      `clients${sandbox.accounts.length > 1 ? ' per account' : ''}, ready in ${Date.now() - started} ms)`,
    `  STRIPE_API_BASE=${sandbox.url}`,
    `  STRIPE_SECRET_KEY=${sandbox.secretKey}`,
    `  STRIPE_WEBHOOK_SECRET=${sandbox.webhookSecret}${options.webhookUrl ? `   (delivering to ${options.webhookUrl})` : ''}`,
    `  account ${sandbox.accountId}; clock now ${sandbox.now().toISOString()}`,
    ...others,
    `  control: GET ${sandbox.url}/_sandbox/personas · POST ${sandbox.url}/_sandbox/clock/advance {"seconds":N} · POST ${sandbox.url}/_sandbox/faults {...}`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<never>(() => undefined);
}

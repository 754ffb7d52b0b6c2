import type Stripe from 'stripe';
import { Clock, OffsetClock, SystemClock } from '../common/clock';
import { loadConfig, type AppConfig } from '../config';
import { readLiveRuntime, type RuntimeRecord } from '../runtime/runtime-file';
import { createStripeClient } from '../stripe/stripe-client.factory';
import { openStripeConnection, type StripeConnection } from '../stripe/stripe-connection';
import { createRequestBudget, requestsPerSecondFor } from '../stripe/sync/request-budget/request-budget';
import { CliError, RefusedError } from './cli-error';

/** What a one-shot command runs against: the live server of this home (if any) and payrisk's clock. */
export interface CommandRuntime {
  server?: RuntimeRecord;
  clock: Clock;
  /** The command's config; next to a server without PAYRISK_CONFIG, on the server's policy file (demo policies on the sandbox). */
  config: AppConfig;
}

/**
 * payrisk's clock, the one the server uses (ServerClock): on the built-in sandbox, the
 * running server's sandbox clock (moved by `payrisk sandbox advance`); wall time on a real
 * Stripe account, or when no server runs (its sandbox, and that clock, are gone).
 */
export async function commandRuntime(config: AppConfig): Promise<CommandRuntime> {
  const server = readLiveRuntime(config.homeDir);
  if (server?.policyFile && !process.env.PAYRISK_CONFIG && server.policyFile !== config.policyFilePath)
    config = loadConfig({ ...process.env, PAYRISK_CONFIG: server.policyFile });
  const sandbox = config.stripe.secretKey ? undefined : server?.sandbox;
  if (!server || !sandbox) return { server, clock: new SystemClock(), config };
  const readAt = Date.now();
  let now: number;
  try {
    const response = await fetch(`${sandbox.url}/_sandbox/clock`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    now = ((await response.json()) as { now: number }).now;
  } catch (error) {
    throw new CliError(
      `the sandbox of the running payrisk start (pid ${server.pid}) does not answer at ${sandbox.url} ` +
        `(${(error as Error).message}): restart \`payrisk start\`, then run this command again.`,
    );
  }
  // Unix seconds: the reading is up to a second behind, never ahead.
  return { server, clock: new OffsetClock(new Date(now * 1000), readAt), config };
}

/**
 * How a command needs Stripe: `writes` (approve, waive, a policy run, a sync that would
 * read an empty new sandbox) is refused on the built-in sandbox unless a server's sandbox
 * is running; `ifUsed` gets a client that refuses at the first request instead.
 */
export type StripeNeed = 'writes' | 'ifUsed';

/**
 * Stripe for a one-shot command: the configured account (STRIPE_SECRET_KEY), else the
 * sandbox inside the running `payrisk start` (its URL and key from the runtime file). A
 * sandbox started just for this command would be new and empty: a fee "applied" there,
 * or a sync from it, would describe nothing real. So without a running server the
 * command is refused before it changes anything (call this before opening the database).
 */
export async function commandStripe(runtime: CommandRuntime, need: StripeNeed, command: string): Promise<StripeConnection> {
  const { config } = runtime;
  if (config.stripe.secretKey) return openStripeConnection(config);
  const sandbox = runtime.server?.sandbox;
  if (sandbox) {
    const budget = createRequestBudget(requestsPerSecondFor(sandbox.secretKey, config.policy.stripe));
    const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url, budget });
    return { stripe, accountId: sandbox.accountId, budget, close: async () => undefined };
  }
  const refusal = () => new RefusedError(noSandboxMessage(config, command, runtime.server !== undefined));
  if (need === 'writes') throw refusal();
  const budget = createRequestBudget(Infinity);
  return { stripe: refusingStripe(refusal), accountId: 'acct_none_no_sandbox_running', budget, close: async () => undefined };
}

function noSandboxMessage(config: AppConfig, command: string, serverRuns: boolean): string {
  const why = serverRuns ? 'the running payrisk start is not on the built-in sandbox' : `no payrisk start is running on ${config.homeDir}`;
  return [
    `payrisk ${command} refused: this ledger is on the built-in Stripe sandbox (no ` +
      `STRIPE_SECRET_KEY) and ${why}, so there is no sandbox holding its clients and invoices.`,
    'A sandbox started for this command alone would be new and empty: whatever it did there would exist nowhere once the command ends. Nothing was changed.',
    'Start `npm start` (or `payrisk start`) first and run this command next to it, or ' +
      'set STRIPE_SECRET_KEY (and STRIPE_API_BASE for a separately run `payrisk sandbox`).',
  ].join('\n');
}

/** A Stripe client that answers every use with the refusal, so a command that does not need Stripe still runs. */
function refusingStripe(refusal: () => Error): Stripe {
  const handler: ProxyHandler<object> = {
    get: (_target, property) => {
      if (property === 'then') return undefined;
      throw refusal();
    },
  };
  return new Proxy({}, handler) as Stripe;
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAdvanceSpan } from './clock/advance';
import { createConnectOAuth } from './connect/connect-oauth';
import { SandboxClock } from './clock/sandbox-clock';
import { FaultInjector } from './faults/faults';
import { apiKeyOf, invalidKeyError, noAccessError, sendStripeError, type ControlHandler } from './http/request-handler';
import { noSuch, StripeApiError } from './http/stripe-error';
import { accountObject, createSandboxAccount, readAccountSnapshot, type SandboxAccount, type ScenarioSeeder } from './sandbox-account';
import { listOf } from './shapes/shape';
import type { RunningSandbox, SandboxOptions } from './sandbox.types';
import { seedScenario } from './scenario/seed-scenario';

export type { ScenarioSeeder } from './sandbox-account';

/** At most this many accounts in one sandbox (each holds a whole business in memory). */
export const MAX_SANDBOX_ACCOUNTS = 500;

/** Starts the offline Stripe sandbox: seeded store, HTTP server, clocks, webhooks and faults. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandboxSeededBy(seedScenario, options);
}

/**
 * The sandbox seeded by another generator (labelled evaluation populations).
 *
 * With `accounts: N` it serves N Stripe accounts behind one URL, each with its own key,
 * data, events and webhook secret; the key of a request picks the account (as on Stripe,
 * where a key belongs to one account). With one account (the default), any `sk_test_` key
 * reaches it, as always; with several, a key none of them has is refused (401), and the
 * first account is a Connect platform: its key with a `Stripe-Account` header acts for any
 * other account, and `GET /v1/accounts` lists them.
 * One clock, one set of faults and one port serve them all.
 */
export async function startSandboxSeededBy(seeder: ScenarioSeeder, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const count = options.accounts ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_SANDBOX_ACCOUNTS)
    throw new Error(`accounts: expected a whole number from 1 to ${MAX_SANDBOX_ACCOUNTS} (got ${count})`);
  // A persisted sandbox (options.stateDir) continues where it stopped: same data, same clock (account 1's).
  const saved = readAccountSnapshot(options, 0);
  const startMs = saved ? saved.clockMs : (options.now ?? new Date()).getTime();
  const clock = new SandboxClock(startMs);
  const faults = new FaultInjector(options.faults ?? {}, options.randomSeed ?? 42);

  const advancing = new Set<Promise<unknown>>();
  let stopping = false;
  let advancingNow = false;
  const track = <T>(run: Promise<T>): Promise<T> => {
    advancing.add(run);
    void run.finally(() => advancing.delete(run)).catch(() => undefined);
    return run;
  };
  const shared = { clock, startMs, faults, advancing: () => advancingNow, stopping: () => stopping, track };

  const control = new Map<string, ControlHandler>();
  const accounts: SandboxAccount[] = [];
  for (let index = 0; index < count; index += 1)
    accounts.push(
      index === 0 ? createSandboxAccount(seeder, options, 0, shared, control, saved) : createSandboxAccount(seeder, options, index, shared, control),
    );
  const [first] = accounts;

  // One sandbox-wide advance at a time: a second waits for the first to finish.
  let queue: Promise<unknown> = Promise.resolve();
  const advanceTime = (seconds: number): Promise<void> => {
    if (!Number.isFinite(seconds) || seconds < 0) return Promise.reject(new Error('advanceTime: seconds must be a non-negative number'));
    try {
      checkAdvanceSpan(Math.floor(seconds), 'seconds');
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const run = queue.then(async () => {
      if (stopping) return;
      const from = clock.now();
      let reached = from;
      advancingNow = true;
      try {
        // Each account lives through the same days, one account after the other.
        for (const account of accounts) {
          const at = await account.advance(from, from + Math.floor(seconds), (pinned) => clock.pinAt(pinned));
          reached = account === first ? at : Math.min(reached, at);
        }
      } finally {
        clock.pinAt(undefined);
        clock.advance(reached - from);
        advancingNow = false;
        for (const account of accounts) account.save();
      }
    });
    queue = run.catch(() => undefined);
    return track(run);
  };

  control.set('GET /_sandbox/personas', () => ({ personas: first.seeded.personas, discountRequests: first.seeded.discountRequests }));
  control.set('GET /_sandbox/accounts', () => ({
    accounts: accounts.map((a) => ({ accountId: a.accountId, secretKey: a.secretKey, webhookSecret: a.webhookSecret, clients: a.seeded.personas.length })),
  }));
  control.set('GET /_sandbox/clock', () => ({ now: clock.now(), advancing: advancingNow }));
  control.set('POST /_sandbox/faults', (body) => {
    faults.spec = { ...(body as object) };
    return { faults: faults.spec };
  });
  control.set('POST /_sandbox/clock/advance', async (body) => {
    const seconds = Number((body as { seconds?: unknown }).seconds);
    if (!Number.isFinite(seconds) || seconds < 0)
      throw new StripeApiError(400, 'invalid_request_error', 'Give {"seconds": N} with N ≥ 0.', 'parameter_invalid_integer', 'seconds');
    await advanceTime(seconds);
    return { now: clock.now() };
  });

  // Connect: the first account is also a platform whose connected accounts are the others.
  // Its key with `Stripe-Account: acct_…` acts for that account; GET /v1/accounts lists them.
  const connected = accounts.slice(1);
  if (count > 1) {
    // The platform reads a connected account (accounts.retrieve(id)); its own id answers too, as on Stripe.
    first.router.on('GET', '/v1/accounts/:id', ({ pathParams }) => {
      const found = accounts.find((a) => a.accountId === pathParams.id);
      if (!found) throw noSuch('account', pathParams.id, 'account');
      return accountObject(found.accountId);
    });
    first.router.on('GET', '/v1/accounts', ({ params }) => {
      const limit = Math.min(Math.max(params.int('limit') ?? 10, 1), 100);
      const after = params.str('starting_after');
      const from = after ? connected.findIndex((a) => a.accountId === after) + 1 : 0;
      const page = connected.slice(from, from + limit);
      return listOf(
        page.map((a) => accountObject(a.accountId)),
        '/v1/accounts',
        from + limit < connected.length,
      );
    });
  }

  // Connect's OAuth (connect.stripe.com, which the client reaches at this host too): platform and connectable accounts.
  const oauth = createConnectOAuth({ platform: first, connected });

  const byKey = new Map(accounts.map((a) => [a.secretKey, a]));
  const byId = new Map(accounts.map((a) => [a.accountId, a]));
  const accountFor = (req: IncomingMessage): SandboxAccount | StripeApiError => {
    if (count === 1 || (req.url ?? '').startsWith('/_sandbox/')) return first;
    const key = apiKeyOf(req.headers.authorization);
    const own = byKey.get(key ?? '');
    if (!own) return invalidKeyError(key, `this sandbox serves ${count} accounts: use one of their keys, listed at GET /_sandbox/accounts`);
    const header = req.headers['stripe-account'];
    const wanted = Array.isArray(header) ? header[0] : header;
    if (!wanted || wanted === own.accountId) return own;
    const target = own === first ? byId.get(wanted) : undefined;
    return target ?? noAccessError(key ?? '', wanted);
  };
  const server: Server = createServer((req, res) => {
    if (oauth(req, res)) return;
    const account = accountFor(req);
    if (account instanceof StripeApiError) {
      req.resume(); // the body is not read: answered before any account sees it
      return sendStripeError(res, account);
    }
    void account.handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 12111, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    secretKey: first.secretKey,
    webhookSecret: first.webhookSecret,
    accountId: first.accountId,
    accounts: accounts.map((a) => ({
      accountId: a.accountId,
      secretKey: a.secretKey,
      webhookSecret: a.webhookSecret,
      personas: a.seeded.personas,
      discountRequests: a.seeded.discountRequests,
    })),
    personas: first.seeded.personas,
    discountRequests: first.seeded.discountRequests,
    restored: first.restored,
    now: () => new Date(clock.nowMs()),
    advanceTime,
    setFaults(spec) {
      faults.spec = { ...spec };
    },
    async stop() {
      // A long advance stops at its next day boundary instead of running to the end.
      stopping = true;
      await Promise.allSettled([...advancing]);
      for (const account of accounts) await account.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const account of accounts) account.save();
    },
  };
}

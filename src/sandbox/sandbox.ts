import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { Billing } from './billing/billing';
import { BillingContext } from './billing/billing-context';
import { advanceClockInSteps, checkAdvanceSpan } from './clock/advance';
import { SandboxClock } from './clock/sandbox-clock';
import { EventLog } from './events/event-log';
import { FaultInjector } from './faults/faults';
import { IdempotencyCache } from './http/idempotency';
import { JsonCache } from './http/json-cache';
import { createRequestHandler, type ControlHandler } from './http/request-handler';
import { Router } from './http/router';
import { shape } from './shapes/shape';
import { StripeApiError } from './http/stripe-error';
import { catalogRoutes } from './resources/catalog.routes';
import { creditNoteRoutes } from './resources/credit-notes.routes';
import { customerRoutes } from './resources/customers.routes';
import { eventRoutes, registerEndpoint } from './resources/events.routes';
import { invoiceRoutes } from './resources/invoices.routes';
import { paymentRoutes } from './resources/payments.routes';
import type { RouteDeps } from './resources/route-deps';
import { subscriptionRoutes } from './resources/subscriptions.routes';
import { testClockRoutes } from './resources/test-clocks.routes';
import type { RunningSandbox, SandboxOptions } from './sandbox.types';
import { seedScenario, type ScenarioOptions, type SeededScenario } from './scenario/seed-scenario';
import { listOf } from './shapes/shape';
import { IdFactory } from './store/ids';
import { readSnapshot, restoreSnapshot, takeSnapshot, writeSnapshot } from './store/sandbox-snapshot';
import { SandboxStore } from './store/sandbox-store';
import { Prng } from './util/prng';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

/** Starts the offline Stripe sandbox: seeded store, HTTP server, clocks, webhooks and faults. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandboxSeededBy(seedScenario, options);
}

/** Writes a sandbox's starting data into its store; `seedScenario` is the built-in one. */
export type ScenarioSeeder = (billing: Billing, options: ScenarioOptions) => SeededScenario;

/** The sandbox seeded by another generator (labelled evaluation populations). */
export async function startSandboxSeededBy(seeder: ScenarioSeeder, options: SandboxOptions = {}): Promise<RunningSandbox> {
  const randomSeed = options.randomSeed ?? 42;
  const identity = { seed: options.seed ?? 'empty', randomSeed };
  // A persisted sandbox (options.stateDir) continues where it stopped: same data, same clock.
  const saved = options.stateDir ? readSnapshot(options.stateDir, identity) : undefined;
  const startMs = saved ? saved.clockMs : (options.now ?? new Date()).getTime();
  const store = new SandboxStore();
  const ids = new IdFactory(randomSeed);
  const clock = new SandboxClock(startMs);
  const events = new EventLog(store, ids, () => clock.now());
  if (options.automations?.invoiceOverdue === false) events.suppress('invoice.overdue');
  const ctx = new BillingContext(store, ids, events, clock);
  const billing = new Billing(ctx);

  let seeded: SeededScenario;
  if (saved) {
    restoreSnapshot(store, saved);
    ids.position = saved.idPosition;
    seeded = { personas: saved.personas, discountRequests: saved.discountRequests.map((r) => ({ ...r, requestedAt: new Date(r.requestedAt) })) };
  } else {
    seeded = seeder(billing, {
      seed: identity.seed,
      randomSeed,
      noise: options.noise ?? 0,
      endSeconds: Math.floor(startMs / 1000),
      invoicesPerClient: options.invoicesPerClient ?? 20,
    });
  }
  const save = (): void => {
    if (!options.stateDir) return;
    writeSnapshot(
      options.stateDir,
      takeSnapshot(store, identity, { clockMs: clock.nowMs(), idPosition: ids.position, personas: seeded.personas, discountRequests: seeded.discountRequests }),
    );
  };
  // Saved after each batch of changes (the events they emit, gathered for a moment), after each advance and on stop.
  let saveTimer: NodeJS.Timeout | undefined;
  const saveSoon = (): void => {
    if (!options.stateDir || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (!advancingNow) save();
    }, 250);
    saveTimer.unref();
  };
  let advancingNow = false;
  if (options.stateDir && !saved) save();

  const faults = new FaultInjector(options.faults ?? {}, randomSeed);
  const json = new JsonCache();
  const dispatcher = new WebhookDispatcher(store, faults, { onChange: () => json.invalidate() });
  // Every state change emits an event: that is the moment cached serializations go stale.
  events.onEvent((event) => {
    json.invalidate();
    dispatcher.dispatch(event);
    saveSoon();
  });

  const advancing = new Set<Promise<unknown>>();
  let stopping = false;
  const track = <T>(run: Promise<T>): Promise<T> => {
    advancing.add(run);
    void run.finally(() => advancing.delete(run)).catch(() => undefined);
    return run;
  };
  const deps: RouteDeps = {
    ctx,
    billing,
    dispatcher,
    advanceTestClock(clockId, to) {
      // Stripe answers `advancing` at once and works in the background; clients poll for `ready`.
      const testClock = store.testClocks.get(clockId) as Stripe.TestHelpers.TestClock;
      const from = testClock.frozen_time;
      void track(
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() =>
            advanceClockInSteps(
              billing,
              clockId,
              from,
              to,
              (at) => (testClock.frozen_time = at),
              () => stopping,
            ),
          )
          .catch((error: unknown) => {
            // A bug here must not wedge the clock in `advancing`; say what broke and carry on.
            process.stderr.write(`sandbox: advancing ${clockId} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
          })
          .finally(() => {
            testClock.status = 'ready';
            testClock.status_details = {};
            events.emit('test_helpers.test_clock.ready', testClock, testClock.frozen_time);
          }),
      );
    },
  };
  const accountId = `acct_${new Prng(randomSeed + 1).token(16)}`;
  const router = new Router();
  // GET /v1/account: the client's accounts.retrieveCurrent(), which payrisk asks once to label the ledger.
  router.on('GET', '/v1/account', () =>
    shape<Stripe.Account>('account', {
      id: accountId,
      object: 'account',
      country: 'GB',
      default_currency: 'eur',
      type: 'standard',
      metadata: {},
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
      created: 1_700_000_000,
    }),
  );
  for (const register of [customerRoutes, catalogRoutes, invoiceRoutes, creditNoteRoutes, subscriptionRoutes, paymentRoutes, eventRoutes, testClockRoutes]) {
    register(router, deps);
  }

  const webhookSecret = options.webhookSecret ?? `whsec_${randomBytes(24).toString('hex')}`;
  if (options.webhookUrl) registerEndpoint(deps, options.webhookUrl, webhookSecret);

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
        reached = await advanceClockInSteps(
          billing,
          null,
          from,
          from + Math.floor(seconds),
          (at) => clock.pinAt(at),
          () => stopping,
        );
      } finally {
        clock.pinAt(undefined);
        clock.advance(reached - from);
        advancingNow = false;
        save();
      }
    });
    queue = run.catch(() => undefined);
    return track(run);
  };

  const control = new Map<string, ControlHandler>([
    ['GET /_sandbox/personas', () => ({ personas: seeded.personas, discountRequests: seeded.discountRequests })],
    ['GET /_sandbox/clock', () => ({ now: clock.now(), advancing: advancingNow })],
    [
      'POST /_sandbox/faults',
      (body) => {
        faults.spec = { ...(body as object) };
        return { faults: faults.spec };
      },
    ],
    [
      'POST /_sandbox/clock/advance',
      async (body) => {
        const seconds = Number((body as { seconds?: unknown }).seconds);
        if (!Number.isFinite(seconds) || seconds < 0)
          throw new StripeApiError(400, 'invalid_request_error', 'Give {"seconds": N} with N ≥ 0.', 'parameter_invalid_integer', 'seconds');
        await advanceTime(seconds);
        return { now: clock.now() };
      },
    ],
  ]);

  const handler = createRequestHandler({
    router,
    idempotency: new IdempotencyCache(() => clock.nowMs()),
    json,
    faults,
    resolve: (id) => store.byId(id),
    virtual: (owner, key) =>
      owner.object === 'invoice' && key === 'payments'
        ? listOf(
            store.invoicePayments.list({ limit: 100, index: { field: 'invoice', value: owner.id as string } }).data,
            `/v1/invoice_payments?invoice=${String(owner.id)}`,
          )
        : undefined,
    control,
  });
  const server: Server = createServer((req, res) => void handler(req, res));
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
    secretKey: `sk_test_sandbox${new Prng(randomSeed).token(24)}`,
    webhookSecret,
    accountId,
    personas: seeded.personas,
    discountRequests: seeded.discountRequests,
    restored: saved !== undefined,
    now: () => new Date(clock.nowMs()),
    advanceTime,
    setFaults(spec) {
      faults.spec = { ...spec };
    },
    async stop() {
      // A long advance stops at its next day boundary instead of running to the end.
      stopping = true;
      await Promise.allSettled([...advancing]);
      await dispatcher.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(saveTimer);
      saveTimer = undefined;
      save();
    },
  };
}

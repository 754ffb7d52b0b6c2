import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { Billing } from './billing/billing';
import { BillingContext } from './billing/billing-context';
import { advanceClockInSteps } from './clock/advance';
import type { SandboxClock } from './clock/sandbox-clock';
import { EventLog } from './events/event-log';
import type { FaultInjector } from './faults/faults';
import { IdempotencyCache } from './http/idempotency';
import { JsonCache } from './http/json-cache';
import { createRequestHandler, type ControlHandler } from './http/request-handler';
import { Router } from './http/router';
import { catalogRoutes } from './resources/catalog.routes';
import { creditNoteRoutes } from './resources/credit-notes.routes';
import { customerRoutes } from './resources/customers.routes';
import { eventRoutes, registerEndpoint } from './resources/events.routes';
import { invoiceRoutes } from './resources/invoices.routes';
import { paymentRoutes } from './resources/payments.routes';
import type { RouteDeps } from './resources/route-deps';
import { subscriptionRoutes } from './resources/subscriptions.routes';
import { testClockRoutes } from './resources/test-clocks.routes';
import type { SandboxOptions } from './sandbox.types';
import type { ScenarioOptions, SeededScenario } from './scenario/seed-scenario';
import { listOf, shape } from './shapes/shape';
import { IdFactory } from './store/ids';
import { readSnapshot, restoreSnapshot, takeSnapshot, writeSnapshot, type SandboxSnapshot } from './store/sandbox-snapshot';
import { SandboxStore } from './store/sandbox-store';
import { Prng } from './util/prng';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';

export type ScenarioSeeder = (billing: Billing, options: ScenarioOptions) => SeededScenario;

/** What the sandbox-wide parts (one clock, one fault injector, one server) lend each account. */
export interface SharedSandbox {
  clock: SandboxClock;
  /** The clock's start (ms): the end of a newly generated history. */
  startMs: number;
  faults: FaultInjector;
  /** True while a sandbox-wide advance runs: saves wait for its end. */
  advancing(): boolean;
  stopping(): boolean;
  /** Keeps a background run (a test clock advance) until stop. */
  track<T>(run: Promise<T>): Promise<T>;
}

/**
 * One Stripe account of the sandbox: its own store, ids, events, webhooks, idempotency keys,
 * cached answers and HTTP handler. Account `index` 0 is seeded exactly as the single-account
 * sandbox always was; account n uses the generator seed `randomSeed + n·1000`, so each has
 * its own key, account id and business.
 */
export interface SandboxAccount {
  index: number;
  accountId: string;
  secretKey: string;
  webhookSecret: string;
  seeded: SeededScenario;
  restored: boolean;
  handler: ReturnType<typeof createRequestHandler>;
  /** Its routes: the sandbox adds the platform's (GET /v1/accounts) to the first account's. */
  router: Router;
  /** Runs this account's billing from `from` to `to` (the caller pins the shared clock). */
  advance(from: number, to: number, pinAt: (at: number) => void): Promise<number>;
  save(): void;
  /** Stops its webhook deliveries and pending saves (the sandbox saves once more after its server closed). */
  stop(): Promise<void>;
}

/** The sandbox's answer for an account (GET /v1/account, GET /v1/accounts). */
export const accountObject = (accountId: string) =>
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
  });

export const accountSeed = (randomSeed: number, index: number) => randomSeed + index * 1000;

/** Where account `index` keeps its state: account 0 where the single-account sandbox always did. */
export const accountStateDir = (stateDir: string, index: number) => (index === 0 ? stateDir : join(stateDir, `account-${index + 1}`));

/** The saved state of account `index`, if there is one seeded the same way (read before the clock exists: it holds the clock). */
export function readAccountSnapshot(options: SandboxOptions, index: number): SandboxSnapshot | undefined {
  if (!options.stateDir) return undefined;
  return readSnapshot(accountStateDir(options.stateDir, index), { seed: options.seed ?? 'empty', randomSeed: accountSeed(options.randomSeed ?? 42, index) });
}

export function createSandboxAccount(
  seeder: ScenarioSeeder,
  options: SandboxOptions,
  index: number,
  shared: SharedSandbox,
  control: Map<string, ControlHandler>,
  /** Its saved state when the caller has read it already (the first account's holds the clock). */
  saved: SandboxSnapshot | undefined = readAccountSnapshot(options, index),
): SandboxAccount {
  const randomSeed = accountSeed(options.randomSeed ?? 42, index);
  const identity = { seed: options.seed ?? 'empty', randomSeed };
  const stateDir = options.stateDir ? accountStateDir(options.stateDir, index) : undefined;
  const { clock, faults } = shared;
  const store = new SandboxStore();
  const ids = new IdFactory(randomSeed);
  const events = new EventLog(store, ids, () => clock.now());
  const accountId = `acct_${new Prng(randomSeed + 1).token(16)}`;
  // With several accounts, all but the first are connected to it (the platform): their events carry `account`.
  if (index > 0 && (options.accounts ?? 1) > 1) events.account = accountId;
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
      endSeconds: Math.floor(shared.startMs / 1000),
      invoicesPerClient: options.invoicesPerClient ?? 20,
    });
  }
  const save = (): void => {
    if (!stateDir) return;
    writeSnapshot(
      stateDir,
      takeSnapshot(store, identity, { clockMs: clock.nowMs(), idPosition: ids.position, personas: seeded.personas, discountRequests: seeded.discountRequests }),
    );
  };
  // Saved after each batch of changes (the events they emit, gathered for a moment), after each advance and on stop.
  let saveTimer: NodeJS.Timeout | undefined;
  const saveSoon = (): void => {
    if (!stateDir || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      if (!shared.advancing()) save();
    }, 250);
    saveTimer.unref();
  };
  if (stateDir && !saved) save();

  const json = new JsonCache();
  const dispatcher = new WebhookDispatcher(store, faults, { onChange: () => json.invalidate() });
  // Every state change emits an event: that is the moment cached serializations go stale.
  events.onEvent((event) => {
    json.invalidate();
    dispatcher.dispatch(event);
    saveSoon();
  });

  const deps: RouteDeps = {
    ctx,
    billing,
    dispatcher,
    advanceTestClock(clockId, to) {
      // Stripe answers `advancing` at once and works in the background; clients poll for `ready`.
      const testClock = store.testClocks.get(clockId) as Stripe.TestHelpers.TestClock;
      const from = testClock.frozen_time;
      void shared.track(
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() =>
            advanceClockInSteps(
              billing,
              clockId,
              from,
              to,
              (at) => (testClock.frozen_time = at),
              () => shared.stopping(),
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
  const router = new Router();
  // GET /v1/account: the client's accounts.retrieveCurrent(); payrisk asks it which account a key belongs to.
  router.on('GET', '/v1/account', () => accountObject(accountId));
  for (const register of [customerRoutes, catalogRoutes, invoiceRoutes, creditNoteRoutes, subscriptionRoutes, paymentRoutes, eventRoutes, testClockRoutes]) {
    register(router, deps);
  }

  const webhookSecret = (index === 0 ? options.webhookSecret : undefined) ?? `whsec_${randomBytes(24).toString('hex')}`;
  if (options.webhookUrl) {
    const url = index > 0 && options.webhookUrlPerAccount ? `${options.webhookUrl.replace(/\/+$/, '')}/${accountId}` : options.webhookUrl;
    registerEndpoint(deps, url, webhookSecret);
  }

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

  return {
    index,
    accountId,
    secretKey: `sk_test_sandbox${new Prng(randomSeed).token(24)}`,
    webhookSecret,
    seeded,
    restored: saved !== undefined,
    handler,
    router,
    advance: (from, to, pinAt) => advanceClockInSteps(billing, null, from, to, pinAt, () => shared.stopping()),
    save,
    async stop() {
      await dispatcher.stop();
      clearTimeout(saveTimer);
      saveTimer = undefined;
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { eventually } from '../../support/eventually';
import { advanceClock, DAY, openSandbox } from './sandbox-fixture';

/**
 * Sandbox behaviour the other sandbox tests leave out: invoice updates and lifecycle events,
 * exact `created` list boundaries, the sandbox-wide clock making invoices overdue, webhook
 * faults as a real receiver sees them, and the determinism of `seed: N`.
 */

const TEST_TIMEOUT = 60_000;

/** One send_invoice invoice with one line, finalized (open), for `customer`. */
async function openInvoice(stripe: Stripe, customer: string, amount: number, daysUntilDue: number): Promise<Stripe.Invoice> {
  const draft = await stripe.invoices.create({ customer, collection_method: 'send_invoice', days_until_due: daysUntilDue, currency: 'eur' });
  await stripe.invoiceItems.create({ customer, invoice: draft.id, amount, currency: 'eur', description: 'Consulting' });
  return stripe.invoices.finalizeInvoice(draft.id);
}

/** Events of one type about one invoice, oldest first. */
async function invoiceEvents(stripe: Stripe, type: string, invoiceId: string): Promise<Stripe.Event[]> {
  const events = await stripe.events.list({ type, limit: 100 });
  return events.data.filter((e) => (e.data.object as Stripe.Invoice).id === invoiceId).reverse();
}

describe('sandbox coverage gaps: invoice updates and lifecycle events', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox({ now: new Date('2026-04-01T09:00:00Z') }));
  }, TEST_TIMEOUT);
  afterAll(() => sandbox.stop(), TEST_TIMEOUT);

  it(
    'invoices.update changes description, metadata and due_date and emits invoice.updated with the previous values',
    async () => {
      const customer = await stripe.customers.create({ name: 'Update Co' });
      const draft = await stripe.invoices.create({
        customer: customer.id,
        collection_method: 'send_invoice',
        days_until_due: 30,
        currency: 'eur',
        description: 'April retainer',
        metadata: { po: 'PO-1', keep: 'yes' },
      });
      await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 50_000, currency: 'eur' });
      const dueDate = Math.floor(sandbox.now().getTime() / 1000) + 10 * DAY;

      const updated = await stripe.invoices.update(draft.id, {
        description: 'April retainer (revised)',
        metadata: { po: 'PO-2', keep: '', added: 'x' },
        due_date: dueDate,
      });
      expect(updated.description).toBe('April retainer (revised)');
      expect(updated.metadata).toEqual({ po: 'PO-2', added: 'x' });
      expect(updated.due_date).toBe(dueDate);
      const retrieved = await stripe.invoices.retrieve(draft.id);
      expect({ description: retrieved.description, metadata: retrieved.metadata, due_date: retrieved.due_date }).toEqual({
        description: 'April retainer (revised)',
        metadata: { po: 'PO-2', added: 'x' },
        due_date: dueDate,
      });

      const [event] = await invoiceEvents(stripe, 'invoice.updated', draft.id);
      expect(event).toBeDefined();
      expect(event.data.object).toMatchObject({
        id: draft.id,
        description: 'April retainer (revised)',
        metadata: { po: 'PO-2', added: 'x' },
        due_date: dueDate,
      });
      expect(event.data.previous_attributes).toMatchObject({ description: 'April retainer', metadata: { po: 'PO-1' }, due_date: null });

      // The explicit due date wins over days_until_due when the invoice is finalized.
      const open = await stripe.invoices.finalizeInvoice(draft.id);
      expect(open.due_date).toBe(dueDate);

      // Description and metadata stay editable once the invoice is open; each change is another invoice.updated.
      const reworded = await stripe.invoices.update(open.id, { description: 'Final wording', metadata: { po: 'PO-3' } });
      expect(reworded).toMatchObject({ status: 'open', description: 'Final wording', metadata: { po: 'PO-3', added: 'x' }, due_date: dueDate });
      const updates = await invoiceEvents(stripe, 'invoice.updated', draft.id);
      expect(updates).toHaveLength(2);
      expect(updates[1].data.object).toMatchObject({ status: 'open', description: 'Final wording' });
      expect(updates[1].data.previous_attributes).toMatchObject({ description: 'April retainer (revised)' });
    },
    TEST_TIMEOUT,
  );

  it(
    'voidInvoice emits invoice.voided, markUncollectible emits invoice.marked_uncollectible, paying emits invoice.paid',
    async () => {
      const customer = await stripe.customers.create({ name: 'Lifecycle Co' });

      const toVoid = await openInvoice(stripe, customer.id, 10_000, 14);
      expect(await invoiceEvents(stripe, 'invoice.voided', toVoid.id)).toEqual([]);
      await stripe.invoices.voidInvoice(toVoid.id);
      const voided = await invoiceEvents(stripe, 'invoice.voided', toVoid.id);
      expect(voided).toHaveLength(1);
      expect(voided[0].data.object).toMatchObject({ id: toVoid.id, status: 'void' });

      const bad = await openInvoice(stripe, customer.id, 20_000, 14);
      await stripe.invoices.markUncollectible(bad.id);
      const marked = await invoiceEvents(stripe, 'invoice.marked_uncollectible', bad.id);
      expect(marked).toHaveLength(1);
      expect(marked[0].data.object).toMatchObject({ id: bad.id, status: 'uncollectible' });

      const good = await openInvoice(stripe, customer.id, 30_000, 14);
      expect(await invoiceEvents(stripe, 'invoice.paid', good.id)).toEqual([]);
      await stripe.invoices.pay(good.id, { paid_out_of_band: true });
      const paid = await invoiceEvents(stripe, 'invoice.paid', good.id);
      expect(paid).toHaveLength(1);
      expect(paid[0].data.object).toMatchObject({ id: good.id, status: 'paid', amount_paid: 30_000, amount_remaining: 0 });

      // An uncollectible invoice can still be paid later: that is an invoice.paid too.
      await stripe.invoices.pay(bad.id, { paid_out_of_band: true });
      expect((await invoiceEvents(stripe, 'invoice.paid', bad.id)).map((e) => (e.data.object as Stripe.Invoice).status)).toEqual(['paid']);
      // Neither of the others was paid, and nothing was voided twice.
      expect(await invoiceEvents(stripe, 'invoice.paid', toVoid.id)).toEqual([]);
      expect(await invoiceEvents(stripe, 'invoice.voided', good.id)).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe('sandbox coverage gaps: created[lte] and created[lt] boundaries', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  let clockId: string;
  // Far from the sandbox-wide clock, so only the test clock's customers fall in these ranges.
  const T = Date.UTC(2021, 5, 1) / 1000;
  const ids: Record<'a' | 'b' | 'c' | 'd' | 'e', string> = { a: '', b: '', c: '', d: '', e: '' };

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox());
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: T });
    clockId = clock.id;
    const customer = async (name: string): Promise<string> => (await stripe.customers.create({ name, test_clock: clockId })).id;
    // A at T; B and C both at T+1d (a tie); D at T+2d; E at T+3d.
    ids.a = await customer('A');
    expect((await advanceClock(stripe, clockId, T + DAY)).status).toBe('ready');
    ids.b = await customer('B');
    ids.c = await customer('C');
    expect((await advanceClock(stripe, clockId, T + 2 * DAY)).status).toBe('ready');
    ids.d = await customer('D');
    expect((await advanceClock(stripe, clockId, T + 3 * DAY)).status).toBe('ready');
    ids.e = await customer('E');
    // Customers outside the test clock, at the sandbox's own time: must never appear in the ranges below.
    await stripe.customers.create({ name: 'sandbox-time 1' });
    await stripe.customers.create({ name: 'sandbox-time 2' });
  }, TEST_TIMEOUT);
  afterAll(() => sandbox.stop(), TEST_TIMEOUT);

  const listed = async (params: Stripe.CustomerListParams): Promise<string[]> => (await stripe.customers.list({ limit: 100, ...params })).data.map((c) => c.id);

  it(
    'stamps the customers with the test clock times the ranges rely on',
    async () => {
      const created = await Promise.all(Object.values(ids).map(async (id) => (await stripe.customers.retrieve(id)) as Stripe.Customer));
      expect(created.map((c) => c.created)).toEqual([T, T + DAY, T + DAY, T + 2 * DAY, T + 3 * DAY]);
    },
    TEST_TIMEOUT,
  );

  it(
    'created[lte] includes the boundary second (ties included), created[lt] excludes it',
    async () => {
      expect(await listed({ created: { lte: T + DAY } })).toEqual([ids.c, ids.b, ids.a]);
      expect(await listed({ created: { lt: T + DAY } })).toEqual([ids.a]);
      expect(await listed({ created: { lte: T + DAY - 1 } })).toEqual([ids.a]);
      expect(await listed({ created: { lt: T + DAY + 1 } })).toEqual([ids.c, ids.b, ids.a]);
      expect(await listed({ created: { lte: T } })).toEqual([ids.a]);
      expect(await listed({ created: { lt: T } })).toEqual([]);
      expect(await listed({ created: { lte: T - 1 } })).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'combines an upper bound with a lower bound, a test_clock filter and paging',
    async () => {
      expect(await listed({ created: { gt: T, lte: T + 2 * DAY } })).toEqual([ids.d, ids.c, ids.b]);
      expect(await listed({ created: { gte: T + DAY, lt: T + 3 * DAY } })).toEqual([ids.d, ids.c, ids.b]);
      expect(await listed({ created: { gte: T + DAY, lt: T + DAY } })).toEqual([]);
      expect(await listed({ created: { gte: T + 3 * DAY, lte: T + 3 * DAY } })).toEqual([ids.e]);
      expect(await listed({ test_clock: clockId, created: { lt: T + 2 * DAY } })).toEqual([ids.c, ids.b, ids.a]);
      expect(await listed({ test_clock: clockId, created: { lte: T + 2 * DAY } })).toEqual([ids.d, ids.c, ids.b, ids.a]);

      const first = await stripe.customers.list({ limit: 2, created: { lte: T + 2 * DAY } });
      expect(first.data.map((c) => c.id)).toEqual([ids.d, ids.c]);
      expect(first.has_more).toBe(true);
      const second = await stripe.customers.list({ limit: 2, created: { lte: T + 2 * DAY }, starting_after: ids.c });
      expect(second.data.map((c) => c.id)).toEqual([ids.b, ids.a]);
      expect(second.has_more).toBe(false);
      const back = await stripe.customers.list({ limit: 2, created: { lt: T + 2 * DAY }, ending_before: ids.a });
      expect(back.data.map((c) => c.id)).toEqual([ids.c, ids.b]);
      expect(back.has_more).toBe(false);
    },
    TEST_TIMEOUT,
  );
});

describe('sandbox coverage gaps: the sandbox-wide clock', () => {
  it(
    'advanceTime makes an open send_invoice invoice overdue and emits invoice.overdue once',
    async () => {
      const start = new Date('2026-03-01T00:00:00Z');
      const { sandbox, stripe } = await openSandbox({ now: start });
      try {
        const customer = await stripe.customers.create({ name: 'Slow Payer' });
        const open = await openInvoice(stripe, customer.id, 75_000, 3);
        expect(open.due_date).toBe((open.status_transitions.finalized_at as number) + 3 * DAY);
        const settled = await openInvoice(stripe, customer.id, 5_000, 3);
        await stripe.invoices.pay(settled.id, { paid_out_of_band: true });
        const notDueYet = await openInvoice(stripe, customer.id, 9_000, 30);
        // A customer on a test clock lives in that clock's time: the sandbox-wide clock leaves it alone.
        const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(start.getTime() / 1000) });
        const clocked = await stripe.customers.create({ name: 'On a test clock', test_clock: clock.id });
        const clockedInvoice = await openInvoice(stripe, clocked.id, 1_000, 1);
        expect((await stripe.events.list({ type: 'invoice.overdue' })).data).toEqual([]);

        await sandbox.advanceTime(5 * DAY);

        expect(sandbox.now().getTime()).toBeGreaterThanOrEqual(start.getTime() + 5 * DAY * 1000);
        const overdue = (await stripe.events.list({ type: 'invoice.overdue', limit: 100 })).data;
        expect(overdue.map((e) => (e.data.object as Stripe.Invoice).id)).toEqual([open.id]);
        expect(overdue[0].created).toBe(open.due_date);
        expect(overdue[0].data.object).toMatchObject({ status: 'open', amount_remaining: 75_000 });
        expect((await stripe.invoices.retrieve(open.id)).status).toBe('open');
        expect((await stripe.invoices.retrieve(notDueYet.id)).status).toBe('open');
        expect((await stripe.invoices.retrieve(clockedInvoice.id)).status).toBe('open');

        await sandbox.advanceTime(DAY);
        expect((await stripe.events.list({ type: 'invoice.overdue', limit: 100 })).data.map((e) => e.id)).toEqual([overdue[0].id]);
      } finally {
        await sandbox.stop();
      }
    },
    TEST_TIMEOUT,
  );
});

interface Delivery {
  event: Stripe.Event;
}

/** A real webhook receiver on a free port that checks each signature and keeps the events in arrival order. */
async function webhookReceiver(secret: string): Promise<{ server: Server; url: string; received: Delivery[]; rejected: string[] }> {
  // Verifying a signature needs no account: the receiver holds only the endpoint secret, as a real one does.
  const { webhooks } = createStripeClient({ secretKey: 'sk_test_receiver_only' });
  const received: Delivery[] = [];
  const rejected: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        received.push({ event: webhooks.constructEvent(body, String(req.headers['stripe-signature']), secret) });
        res.writeHead(200).end('{}');
      } catch (error) {
        rejected.push(String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhook`, received, rejected };
}

const closeServer = (server: Server): Promise<void> => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
};

describe('sandbox coverage gaps: webhook faults reaching a real receiver', () => {
  const secret = 'whsec_coverage_gaps';

  it(
    'webhookDrop delivers nothing for an event while later events still arrive',
    async () => {
      const hook = await webhookReceiver(secret);
      const { sandbox, stripe } = await openSandbox({ webhookUrl: hook.url, webhookSecret: secret, randomSeed: 11 });
      try {
        sandbox.setFaults({ webhookDrop: 1 });
        const dropped = await stripe.customers.create({ name: 'Never announced' });
        sandbox.setFaults({});
        const marker = await stripe.customers.create({ name: 'Announced' });

        await eventually(
          async () => hook.received.map((d) => d.event.type),
          (types) => types.length >= 1,
          'the marker customer.created delivery',
        );
        const droppedEvent = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data.find(
          (e) => (e.data.object as Stripe.Customer).id === dropped.id,
        );
        // The event exists in the account, but no delivery was scheduled for it.
        expect(droppedEvent).toBeDefined();
        expect(droppedEvent?.pending_webhooks).toBe(0);
        // Deliveries without faults go out at once, in order: the marker arriving means the dropped one never will.
        expect(hook.received.map((d) => (d.event.data.object as Stripe.Customer).id)).toEqual([marker.id]);
        expect(hook.received.map((d) => d.event.id)).not.toContain(droppedEvent?.id);
        expect(hook.rejected).toEqual([]);
      } finally {
        await sandbox.stop();
        await closeServer(hook.server);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'webhookReorder delivers a burst of events completely, in an order different from creation',
    async () => {
      const hook = await webhookReceiver(secret);
      // A fixed randomSeed fixes the PRNG that draws each delivery's delay.
      const { sandbox, stripe } = await openSandbox({
        webhookUrl: hook.url,
        webhookSecret: secret,
        randomSeed: 20_260_301,
        now: new Date('2026-03-01T00:00:00Z'),
      });
      try {
        const burst = 12;
        const invoices: string[] = [];
        for (let i = 0; i < burst; i += 1) {
          const customer = await stripe.customers.create({ name: `Burst ${i}` });
          invoices.push((await openInvoice(stripe, customer.id, 1_000 * (i + 1), 1)).id);
        }
        // Let the set-up events arrive first, so the burst below is on its own.
        const setUp = (await stripe.events.list({ limit: 100 })).data.length;
        await eventually(
          async () => hook.received.length,
          (n) => n >= setUp,
          'the set-up deliveries',
        );

        sandbox.setFaults({ webhookReorder: true });
        // One advance emits every invoice.overdue in the same instant: only the injected delays order their deliveries.
        await sandbox.advanceTime(2 * DAY);
        const emitted = (await stripe.events.list({ type: 'invoice.overdue', limit: 100 })).data.reverse().map((e) => e.id);
        expect(emitted).toHaveLength(burst);
        expect(new Set((await stripe.events.list({ type: 'invoice.overdue', limit: 100 })).data.map((e) => (e.data.object as Stripe.Invoice).id))).toEqual(
          new Set(invoices),
        );

        const arrived = await eventually(
          async () => hook.received.filter((d) => d.event.type === 'invoice.overdue').map((d) => d.event.id),
          (ids) => ids.length >= burst,
          'every invoice.overdue delivery',
        );
        expect(arrived).toHaveLength(burst);
        expect(new Set(arrived)).toEqual(new Set(emitted));
        expect(arrived).not.toEqual(emitted);
        expect(hook.rejected).toEqual([]);
      } finally {
        await sandbox.stop();
        await closeServer(hook.server);
      }
    },
    TEST_TIMEOUT,
  );
});

describe('sandbox coverage gaps: seed N is deterministic', () => {
  interface Served {
    /** Sorted: list order follows `created`, which follows the start time; ids and amounts must not. */
    customers: string[];
    invoices: string[];
  }

  const serve = async (randomSeed: number, now?: Date): Promise<Served> => {
    // No `now` by default: `payrisk sandbox --seed N` starts from real time too.
    const { sandbox, stripe } = await openSandbox({ seed: 20, randomSeed, ...(now ? { now } : {}) });
    try {
      const customers: string[] = [];
      for await (const customer of stripe.customers.list({ limit: 100 })) customers.push(customer.id);
      const invoices: string[] = [];
      for await (const invoice of stripe.invoices.list({ limit: 100 })) {
        invoices.push(
          [invoice.id, invoice.customer as string, invoice.currency, invoice.total, invoice.amount_due, invoice.amount_paid, invoice.status].join(' '),
        );
      }
      expect([...sandbox.personas.map((p) => p.customerId)].sort()).toEqual([...customers].sort());
      return { customers: customers.sort(), invoices: invoices.sort() };
    } finally {
      await sandbox.stop();
    }
  };

  it(
    'two sandboxes with seed 20 and randomSeed 5 serve the same customer ids and invoice totals',
    async () => {
      const first = await serve(5);
      const second = await serve(5);
      expect(first.customers).toHaveLength(20);
      expect(new Set(first.customers).size).toBe(20);
      expect(first.invoices.length).toBeGreaterThanOrEqual(20 * 20);
      expect(second.customers).toEqual(first.customers);
      expect(second.invoices).toEqual(first.invoices);

      // Started on another day (as the CLI would be), the same seed still builds the same account.
      const later = await serve(5, new Date('2027-01-15T08:30:00Z'));
      expect(later.customers).toEqual(first.customers);
      expect(later.invoices).toEqual(first.invoices);

      const other = await serve(6);
      expect(other.customers).not.toEqual(first.customers);
    },
    TEST_TIMEOUT,
  );
});

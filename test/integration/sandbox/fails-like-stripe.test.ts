import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import type { RunningSandbox } from '../../../src/sandbox';
import { FaultInjector } from '../../../src/sandbox/faults/faults';
import { IdempotencyCache } from '../../../src/sandbox/http/idempotency';
import { JsonCache } from '../../../src/sandbox/http/json-cache';
import { createRequestHandler } from '../../../src/sandbox/http/request-handler';
import { Router } from '../../../src/sandbox/http/router';
import { invalid, noSuch } from '../../../src/sandbox/http/stripe-error';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { advanceClock, DAY, openSandbox } from './sandbox-fixture';

describe('sandbox: fails like Stripe', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;
  const NOW = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox({ now: NOW }));
  });
  afterAll(() => sandbox.stop());

  it('answers an unknown parameter with 400 parameter_unknown, on writes and on lists', async () => {
    const customer = await stripe.customers.create({ name: 'Strict' });
    await expect(
      stripe.invoiceItems.create({ customer: customer.id, currency: 'eur', amount: 100, descriptionn: 'typo' } as Stripe.InvoiceItemCreateParams),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'descriptionn',
      message: 'Received unknown parameter: descriptionn',
    });
    await expect(stripe.invoices.list({ customer: customer.id, paid: true } as Stripe.InvoiceListParams)).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'paid',
    });
    // Nothing was created by the refused request.
    expect((await stripe.invoiceItems.list({ customer: customer.id })).data).toHaveLength(0);
    // The parameters Stripe does take still work.
    const item = await stripe.invoiceItems.create({ customer: customer.id, currency: 'eur', amount: 100, description: 'fee', metadata: { a: '1' } });
    expect(item.description).toBe('fee');
  });

  it('deletes a draft invoice (and its items) with invoice.deleted, and refuses to delete an open one', async () => {
    const customer = await stripe.customers.create({ name: 'Draft Deleter' });
    const draft = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 7 });
    const item = await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, currency: 'eur', amount: 2_500 });
    const deleted = await stripe.invoices.del(draft.id);
    expect(deleted).toMatchObject({ id: draft.id, object: 'invoice', deleted: true });
    await expect(stripe.invoices.retrieve(draft.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    await expect(stripe.invoiceItems.retrieve(item.id)).rejects.toMatchObject({ statusCode: 404 });
    const events = await stripe.events.list({ type: 'invoice.deleted' });
    expect(events.data.map((e) => (e.data.object as Stripe.Invoice).id)).toEqual([draft.id]);

    const open = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 7 });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: open.id, currency: 'eur', amount: 1_000 });
    await stripe.invoices.finalizeInvoice(open.id);
    await expect(stripe.invoices.del(open.id)).rejects.toMatchObject({ statusCode: 400, code: 'invoice_not_editable' });
    expect((await stripe.invoices.retrieve(open.id)).status).toBe('open');
  });

  it("sets a customer's currency from its first invoice item", async () => {
    const customer = await stripe.customers.create({ name: 'No Currency Yet' });
    expect(customer.currency).toBeNull();
    await stripe.invoiceItems.create({ customer: customer.id, currency: 'gbp', amount: 500 });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ currency: 'gbp' });
    await stripe.invoiceItems.create({ customer: customer.id, currency: 'gbp', amount: 700 });
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).currency).toBe('gbp');
    // Like any change to a customer, a customer.updated: once, when the currency is set.
    const updates = (await stripe.events.list({ type: 'customer.updated', limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.Customer).id === customer.id,
    );
    expect(updates.map((e) => ({ currency: (e.data.object as Stripe.Customer).currency, previous: e.data.previous_attributes }))).toEqual([
      { currency: 'gbp', previous: { currency: null } },
    ]);
  });

  it("stamps a test clock's own events on its timeline", async () => {
    const start = Date.UTC(2026, 5, 1) / 1000;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    await advanceClock(stripe, clock.id, start + 3 * DAY);
    const events = (await stripe.events.list({ type: 'test_helpers.test_clock.*', limit: 100 })).data.filter(
      (e) => (e.data.object as { id: string }).id === clock.id,
    );
    const stamp = Object.fromEntries(events.map((e) => [e.type, e.created]));
    expect(stamp).toEqual({
      'test_helpers.test_clock.created': start,
      'test_helpers.test_clock.advancing': start,
      'test_helpers.test_clock.ready': start + 3 * DAY,
    });
  });

  it('lists and retrieves events of the last 30 days only', async () => {
    const customer = await stripe.customers.create({ name: 'Soon Forgotten' });
    const created = (await stripe.events.list({ type: 'customer.created', limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Customer).id === customer.id,
    );
    expect(created).toBeDefined();
    await sandbox.advanceTime(29 * DAY);
    expect((await stripe.events.retrieve(created!.id)).id).toBe(created!.id);
    await sandbox.advanceTime(2 * DAY);
    await expect(stripe.events.retrieve(created!.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const listed = await stripe.events.list({ type: 'customer.created', limit: 100 });
    expect(listed.data.map((e) => e.id)).not.toContain(created!.id);
    // The customer itself is still there: only the event log forgets.
    expect(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).name).toBe('Soon Forgotten');
  });
});

describe('sandbox: invoice.overdue needs an overdue automation', () => {
  it('sends no invoice.overdue when the account has no overdue automation, yet the invoice is past due', async () => {
    const { sandbox, stripe } = await openSandbox({ automations: { invoiceOverdue: false } });
    try {
      const start = Date.UTC(2026, 0, 5) / 1000;
      const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
      const customer = await stripe.customers.create({ name: 'No Automation', test_clock: clock.id });
      const draft = await stripe.invoices.create({ customer: customer.id, collection_method: 'send_invoice', days_until_due: 14, currency: 'eur' });
      await stripe.invoiceItems.create({ customer: customer.id, invoice: draft.id, amount: 1_000, currency: 'eur' });
      const open = await stripe.invoices.finalizeInvoice(draft.id);
      await advanceClock(stripe, clock.id, start + 20 * DAY);
      expect((await stripe.invoices.retrieve(open.id)).status).toBe('open');
      expect((await stripe.events.list({ type: 'invoice.overdue' })).data).toEqual([]);
      expect((await stripe.events.list({ type: 'invoice.finalized' })).data).toHaveLength(1);
    } finally {
      await sandbox.stop();
    }
  });
});

describe('sandbox idempotency, as Stripe documents it', () => {
  let server: Server;
  let stripe: Stripe;
  let executions = 0;

  beforeAll(async () => {
    const router = new Router();
    router.on('POST', '/v1/customers', ({ params }) => {
      const name = params.reqStr('name'); // refused before anything runs when missing
      executions += 1;
      if (name === 'crash') throw new Error('boom while executing');
      if (name === 'gone') throw noSuch('customer', 'cus_gone');
      if (name === 'late-check') throw invalid('name', 'not this one');
      return { id: `cus_${executions}`, object: 'customer', name };
    });
    const handler = createRequestHandler({
      router,
      idempotency: new IdempotencyCache(),
      faults: new FaultInjector({}, 1),
      json: new JsonCache(),
      resolve: () => undefined,
      virtual: () => undefined,
      control: new Map(),
    });
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stripe = createStripeClient({ secretKey: 'sk_test_idem', apiBase: `http://127.0.0.1:${port}`, maxNetworkRetries: 0 });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('replays a 5xx answered once execution began, without running the request again', async () => {
    const before = executions;
    await expect(stripe.customers.create({ name: 'crash' }, { idempotencyKey: 'crash-1' })).rejects.toMatchObject({ statusCode: 500 });
    const retry = stripe.customers.create({ name: 'crash' }, { idempotencyKey: 'crash-1' });
    await expect(retry).rejects.toMatchObject({ statusCode: 500, headers: expect.objectContaining({ 'idempotent-replayed': 'true' }) });
    expect(executions).toBe(before + 1);
  });

  it('replays a 4xx of an executed request (resource missing)', async () => {
    const before = executions;
    await expect(stripe.customers.create({ name: 'gone' }, { idempotencyKey: 'gone-1' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(stripe.customers.create({ name: 'gone' }, { idempotencyKey: 'gone-1' })).rejects.toMatchObject({ statusCode: 404 });
    expect(executions).toBe(before + 1);
  });

  it('saves nothing for a request refused on its parameters, so the corrected request runs under the same key', async () => {
    await expect(stripe.customers.create({ nmae: 'typo' } as Stripe.CustomerCreateParams, { idempotencyKey: 'fix-1' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_unknown',
    });
    await expect(stripe.customers.create({}, { idempotencyKey: 'fix-1' })).rejects.toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    const fixed = await stripe.customers.create({ name: 'Fixed' }, { idempotencyKey: 'fix-1' });
    expect(fixed.name).toBe('Fixed');
    const again = await stripe.customers.create({ name: 'Fixed' }, { idempotencyKey: 'fix-1' });
    expect(again.id).toBe(fixed.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
  });
});

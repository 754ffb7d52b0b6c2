import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../../../src/stripe/stripe-api-version';
import { openSandbox } from './sandbox-fixture';
import { eventually } from '../../support/eventually';

interface Received {
  body: string;
  signature: string;
}

function receiver(failFirst: number): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failures < failFirst) {
        failures += 1;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: Buffer.concat(chunks).toString('utf8'), signature: String(req.headers['stripe-signature']) });
      res.writeHead(200).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received })),
  );
}

/** Polls until `check` holds; throws after the deadline instead of returning as if it did. */
const waitFor = async (check: () => boolean): Promise<void> => {
  await eventually(
    async () => check(),
    (ok) => ok,
    'the webhook receiver to see what the test expects',
  );
};

describe('sandbox: signed webhooks', () => {
  it('delivers events signed so that constructEvent accepts them, retrying after failures', async () => {
    const hook = await receiver(1);
    const { sandbox, stripe } = await openSandbox();
    try {
      const endpoint = await stripe.webhookEndpoints.create({ url: hook.url, enabled_events: ['customer.created'], api_version: STRIPE_API_VERSION });
      expect(endpoint.secret).toMatch(/^whsec_/);
      const customer = await stripe.customers.create({ name: 'Hooked' });
      await stripe.products.create({ name: 'not subscribed' });
      await waitFor(() => hook.received.length > 0);
      expect(hook.received).toHaveLength(1);
      const event = stripe.webhooks.constructEvent(hook.received[0].body, hook.received[0].signature, endpoint.secret as string);
      expect(event.type).toBe('customer.created');
      expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
      expect(() => stripe.webhooks.constructEvent(hook.received[0].body, hook.received[0].signature, 'whsec_wrong')).toThrow();
      expect((await stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([endpoint.id]);
      await stripe.webhookEndpoints.del(endpoint.id);
      expect((await stripe.webhookEndpoints.list()).data).toHaveLength(0);
    } finally {
      await sandbox.stop();
      hook.server.close();
    }
  });

  it('registers --webhook-url at start with the given secret and can duplicate deliveries', async () => {
    const hook = await receiver(0);
    const { sandbox, stripe } = await openSandbox({ webhookUrl: hook.url, webhookSecret: 'whsec_fixed', faults: { webhookDuplicate: 1 } });
    try {
      expect(sandbox.webhookSecret).toBe('whsec_fixed');
      await stripe.customers.create({ name: 'Twice' });
      await waitFor(() => hook.received.length >= 2);
      const events = hook.received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, 'whsec_fixed'));
      expect(events).toHaveLength(2);
      expect(events[0].id).toBe(events[1].id);
    } finally {
      await sandbox.stop();
      hook.server.close();
    }
  });
});

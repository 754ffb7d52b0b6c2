import type Stripe from 'stripe';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { HAGGLERS } from '../../../src/sandbox/scenario/persona-habits';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';

const DAY = 86_400;
const NOW = new Date('2026-11-20T12:00:00Z');

/** The credit notes each client got after `since`, as Stripe lists them. */
async function creditNotesAfter(sandbox: RunningSandbox, since: number): Promise<Map<string, Stripe.CreditNote[]>> {
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  const byClient = new Map<string, Stripe.CreditNote[]>();
  for await (const note of stripe.creditNotes.list({ limit: 100 })) {
    if (note.created <= since) continue;
    const customer = note.customer as string;
    byClient.set(customer, [...(byClient.get(customer) ?? []), note]);
  }
  return byClient;
}

/** The demo's hagglers keep asking as the sandbox's clock moves (persona-habits.ts), the same way for the same seed. */
describe('sandbox personas over time: hagglers keep asking', () => {
  const started: RunningSandbox[] = [];
  afterAll(() => Promise.all(started.map((s) => s.stop())));

  const advanced = async (days: number): Promise<{ sandbox: RunningSandbox; notes: Map<string, Stripe.CreditNote[]> }> => {
    const sandbox = await startSandbox({ port: 0, seed: 'demo', randomSeed: 42, now: NOW });
    started.push(sandbox);
    const since = Math.floor(NOW.getTime() / 1000);
    await sandbox.advanceTime(days * DAY);
    return { sandbox, notes: await creditNotesAfter(sandbox, since) };
  };

  it('after 30 and 90 days every haggler has talked the owner into new credit notes, and no other persona has', async () => {
    for (const [days, atLeast] of [
      [30, 1],
      [90, 3],
    ] as const) {
      const { sandbox, notes } = await advanced(days);
      const hagglers = sandbox.personas.filter((p) => HAGGLERS.has(p.persona));
      expect(hagglers.length).toBeGreaterThan(0);
      for (const p of hagglers) {
        const theirs = notes.get(p.customerId) ?? [];
        expect({ client: p.name, days, notes: theirs.length >= atLeast }).toEqual({ client: p.name, days, notes: true });
        // Evidence detection counts as a discount: a reduction the client asked for, on an invoice it still owed.
        for (const note of theirs)
          expect(note).toMatchObject({ type: 'pre_payment', reason: expect.stringMatching(/^(order_change|product_unsatisfactory)$/) });
      }
      const others = sandbox.personas.filter((p) => !HAGGLERS.has(p.persona) && (notes.get(p.customerId)?.length ?? 0) > 0);
      expect(others.map((p) => p.name)).toEqual([]);
    }
  }, 120_000);

  it('is deterministic per seed: the same invoices, amounts and reasons', async () => {
    const shape = (notes: Map<string, Stripe.CreditNote[]>) =>
      [...notes.values()].flat().map((n) => ({ invoice: n.invoice, amount: n.amount, reason: n.reason, created: n.created }));
    const first = await advanced(30);
    const second = await advanced(30);
    expect(shape(second.notes)).toEqual(shape(first.notes));
    expect(shape(first.notes).length).toBeGreaterThan(0);
  }, 120_000);
});

import type Stripe from 'stripe';
import { DEMO_POPULATION, type PersonaKind, type RiskFlag, type RunningSandbox } from '../../../src/sandbox';
import { DAY, openSandbox } from './sandbox-fixture';

const NOW = new Date('2026-11-20T12:00:00Z');

interface Due {
  due: number;
  daysLate: number;
  open: boolean;
}

/**
 * A plain re-statement of the detection rules (architecture.md "Words", config/default.yaml's thresholds), applied
 * to what the API serves, so the seeded personas are checked against their labels here and
 * not only by the detection engine that will consume them.
 */
function flagsFor(invoices: Stripe.Invoice[], creditNotes: Stripe.CreditNote[], disputes: number, requests: number, now: number): RiskFlag[] {
  const dues: Due[] = invoices
    .filter((i) => i.status === 'open' || i.status === 'paid' || i.status === 'uncollectible')
    .map((i) => {
      const due = i.due_date ?? (i.status_transitions.finalized_at as number);
      const end = i.status === 'paid' ? (i.status_transitions.paid_at as number) : now;
      return { due, daysLate: Math.max(0, Math.floor((end - due) / DAY)), open: i.status !== 'paid' };
    })
    .filter((d) => d.due <= now)
    .sort((a, b) => a.due - b.due);
  const late = (d: Due): boolean => d.daysLate > 3;
  const flags: RiskFlag[] = [];
  const last6 = dues.slice(-6);
  const sorted = dues.map((d) => d.daysLate).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  if (last6.filter(late).length >= 3 || (dues.length >= 3 && median > 14)) flags.push('chronic_late_payer');
  const since = now - 180 * DAY;
  const voided = invoices.filter((i) => i.status === 'void');
  const reissues = voided.filter((v) =>
    invoices.some(
      (i) =>
        i.id !== v.id &&
        i.created >= (v.status_transitions.voided_at as number) - DAY &&
        i.created <= (v.status_transitions.voided_at as number) + 30 * DAY &&
        i.total < v.total,
    ),
  );
  const discountEvents =
    invoices.filter((i) => i.created >= since && (i.total_discount_amounts ?? []).some((d) => d.amount > 0)).length +
    creditNotes.filter((n) => n.created >= since && (n.reason === null || n.reason === 'order_change' || n.reason === 'product_unsatisfactory')).length +
    reissues.filter((v) => v.created >= since).length +
    requests;
  if (discountEvents >= 3) flags.push('repeated_discount_demands');
  if (dues.some((d) => d.open && d.daysLate >= 30)) flags.push('arrears');
  if (disputes > 0) flags.push('disputes');
  const last3 = dues.slice(-3);
  const earlier = dues.slice(0, -3);
  if (last3.filter(late).length >= 2 && earlier.length >= 4 && earlier.filter((d) => !late(d)).length / earlier.length >= 0.8) flags.push('slipping');
  return flags;
}

/** Applies the rules to every persona's invoices as served by the API; returns the currencies seen. */
async function expectLabelsHold(sandbox: RunningSandbox, stripe: Stripe): Promise<Set<string>> {
  const now = Math.floor(NOW.getTime() / 1000);
  const disputesByCustomer = new Map<string, number>();
  for await (const dispute of stripe.disputes.list({ limit: 100, expand: ['data.charge'] })) {
    const customer = (dispute.charge as Stripe.Charge).customer as string;
    disputesByCustomer.set(customer, (disputesByCustomer.get(customer) ?? 0) + 1);
  }
  const mismatches: string[] = [];
  const currencies = new Set<string>();
  for (const persona of sandbox.personas) {
    const invoices = (await stripe.invoices.list({ customer: persona.customerId, limit: 100 })).data;
    const creditNotes = (await stripe.creditNotes.list({ customer: persona.customerId, limit: 100 })).data;
    currencies.add(invoices[0].currency);
    const oldest = Math.min(...invoices.map((i) => i.created));
    expect(now - oldest).toBeGreaterThan(365 * DAY);
    const requests = sandbox.discountRequests.filter((r) => r.customerId === persona.customerId && r.requestedAt.getTime() / 1000 >= now - 180 * DAY).length;
    const flags = flagsFor(invoices, creditNotes, disputesByCustomer.get(persona.customerId) ?? 0, requests, now);
    if ([...flags].sort().join() !== [...persona.expectedFlags].sort().join()) mismatches.push(`${persona.name} (${persona.persona}): ${flags.join(',')}`);
  }
  expect(mismatches).toEqual([]);
  return currencies;
}

describe('sandbox: the demo seed', () => {
  let sandbox: RunningSandbox;
  let stripe: Stripe;

  beforeAll(async () => {
    ({ sandbox, stripe } = await openSandbox({ seed: 'demo', randomSeed: 42, now: NOW }));
  });
  afterAll(() => sandbox.stop());

  it("has the contract's persona counts, visible through the API and the control endpoint", async () => {
    const counts: Record<string, number> = {};
    for (const p of sandbox.personas) counts[p.persona] = (counts[p.persona] ?? 0) + 1;
    expect(counts).toEqual(Object.fromEntries(DEMO_POPULATION));
    const listed: string[] = [];
    for await (const c of stripe.customers.list({ limit: 100 })) listed.push(c.id);
    expect(new Set(listed)).toEqual(new Set(sandbox.personas.map((p) => p.customerId)));
    const control = (await (await fetch(`${sandbox.url}/_sandbox/personas`)).json()) as { personas: unknown[] };
    expect(control.personas).toHaveLength(40);
    expect(sandbox.now().getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(new Set(sandbox.personas.map((p) => p.name)).size).toBe(40);
  });

  it('is deterministic for a given randomSeed', async () => {
    const again = await openSandbox({ seed: 'demo', randomSeed: 42, now: NOW });
    const other = await openSandbox({ seed: 'demo', randomSeed: 43, now: NOW });
    try {
      expect(again.sandbox.personas).toEqual(sandbox.personas);
      expect(again.sandbox.discountRequests).toEqual(sandbox.discountRequests);
      const first = await stripe.invoices.list({ limit: 100 });
      const second = await again.stripe.invoices.list({ limit: 100 });
      expect(second.data).toEqual(first.data);
      expect(other.sandbox.personas.map((p) => p.customerId)).not.toEqual(sandbox.personas.map((p) => p.customerId));
    } finally {
      await again.sandbox.stop();
      await other.sandbox.stop();
    }
  });

  it('gives every persona 12+ months of history whose behaviour matches its label', async () => {
    const currencies = await expectLabelsHold(sandbox, stripe);
    expect(currencies).toEqual(new Set(['eur', 'usd', 'gbp', 'jpy']));
  });

  it('keeps every label when noise jitters behaviour', async () => {
    const noisy = await openSandbox({ seed: 'demo', randomSeed: 9, noise: 0.6, now: NOW });
    try {
      await expectLabelsHold(noisy.sandbox, noisy.stripe);
    } finally {
      await noisy.sandbox.stop();
    }
  });

  it('shows chronic late payers paying well after the due date', async () => {
    const chronic = sandbox.personas.filter((p) => p.persona === ('chronic_late' as PersonaKind));
    for (const persona of chronic) {
      const paid = (await stripe.invoices.list({ customer: persona.customerId, status: 'paid', limit: 100 })).data;
      const late = paid.filter((i) => (i.status_transitions.paid_at as number) - (i.due_date as number) >= 10 * DAY);
      expect(late.length / paid.length).toBeGreaterThanOrEqual(0.5);
    }
    // Stripe lists 30 days of events: the history's overdue notices from the last month only.
    const overdue = await stripe.events.list({ type: 'invoice.overdue', limit: 100 });
    expect(overdue.data.length).toBeGreaterThan(0);
    expect(Math.min(...overdue.data.map((e) => e.created))).toBeGreaterThanOrEqual(NOW.getTime() / 1000 - 30 * DAY);
  });

  it('produces renewals and overdue events when the sandbox clock advances (control endpoint)', async () => {
    const before = (await stripe.invoices.list({ limit: 1 })).data[0].created;
    const response = await fetch(`${sandbox.url}/_sandbox/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 10 * DAY }) });
    expect(response.status).toBe(200);
    const newest = (await stripe.invoices.list({ limit: 100, created: { gt: before } })).data;
    expect(newest.length).toBeGreaterThan(0);
    expect(newest.every((i) => i.billing_reason === 'subscription_cycle')).toBe(true);
    expect(sandbox.now().getTime()).toBeGreaterThanOrEqual(NOW.getTime() + 10 * DAY * 1000);
  });
});

describe('sandbox: seed N for benchmarks', () => {
  it('builds N clients with invoicesPerClient months each, listable through the API', async () => {
    const { sandbox, stripe } = await openSandbox({ seed: 40, invoicesPerClient: 6, now: NOW });
    try {
      expect(sandbox.personas).toHaveLength(40);
      let count = 0;
      for await (const invoice of stripe.invoices.list({ limit: 100 })) if (invoice.object === 'invoice') count += 1;
      // 6 subscription invoices per client, plus the hagglers' one-off and re-issued invoices
      expect(count).toBeGreaterThanOrEqual(40 * 6);
      expect((await stripe.invoices.list({ customer: sandbox.personas[0].customerId, limit: 100 })).data.length).toBeGreaterThanOrEqual(6);
    } finally {
      await sandbox.stop();
    }
  });
});

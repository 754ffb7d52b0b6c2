import type Stripe from 'stripe';
import type { Billing } from '../../billing/billing';
import type { RiskFlag, SeededDiscountRequest } from '../../sandbox.types';
import { customerObject } from '../../shapes/customer-object';
import { shape } from '../../shapes/shape';
import { Prng } from '../../util/prng';
import type { ScenarioOptions, SeededScenario } from '../seed-scenario';
import { DAY_SECONDS as DAY, HOUR_SECONDS as HOUR } from '../../../common/time';

/**
 * Labelled evaluation populations for detection (`npm run eval:detect`): clients that look
 * like a real accounts-receivable book (about a quarter of invoices paid more than 3 days
 * late, a median of 0 days late, a tail past 25 days, 10–30 invoices per client over two
 * years), each following one persona whose definition fixes its labels. Noise changes
 * timing, amounts, cadence and one-off discounts, never what a persona is.
 */
export type LabelledPersonaKind = 'punctual' | 'unlucky_once' | 'mild_late' | 'chronic' | 'slipping' | 'recovered' | 'haggler' | 'disputer' | 'arrears';

export interface LabelledClient {
  customerId: string;
  name: string;
  persona: LabelledPersonaKind;
  expectedFlags: RiskFlag[];
  /** Ground-truth severity from the persona's parameters (higher is worse), for rank correlation with the score. */
  severity: number;
}

export interface LabelledPopulation {
  clients: LabelledClient[];
  discountRequests: SeededDiscountRequest[];
}

/** The persona definitions: what each must (and must not) be flagged for. */
export const LABELLED_FLAGS: Record<LabelledPersonaKind, RiskFlag[]> = {
  punctual: [],
  unlucky_once: [],
  mild_late: [],
  chronic: ['chronic_late_payer'],
  slipping: ['slipping'],
  recovered: [],
  haggler: ['repeated_discount_demands'],
  disputer: ['disputes'],
  arrears: ['arrears'],
};

/**
 * Two books, each a share per persona (summing to 1):
 * - `sandbox`: the mix the sandbox's demo business has, about a fifth of invoices paid more
 *   than 3 days late;
 * - `receivables`: shaped like the held-out accounts-receivable data (100 business customers,
 *   about a quarter of invoices paid more than 3 days late, a median of 0 days, a tail past
 *   25 days): more habitual late payers, and the chronic ones later.
 */
export type LabelledBook = 'sandbox' | 'receivables';
const MIXES: Record<LabelledBook, Array<[LabelledPersonaKind, number]>> = {
  sandbox: [
    ['punctual', 0.27],
    ['unlucky_once', 0.08],
    ['mild_late', 0.14],
    ['chronic', 0.16],
    ['slipping', 0.07],
    ['recovered', 0.07],
    ['haggler', 0.08],
    ['disputer', 0.07],
    ['arrears', 0.06],
  ],
  receivables: [
    ['punctual', 0.26],
    ['unlucky_once', 0.07],
    ['mild_late', 0.12],
    ['chronic', 0.23],
    ['slipping', 0.06],
    ['recovered', 0.06],
    ['haggler', 0.07],
    ['disputer', 0.07],
    ['arrears', 0.06],
  ],
};
/** How late a chronic late payer typically is, in whole days (inclusive). */
const CHRONIC_TYPICAL: Record<LabelledBook, [number, number]> = { sandbox: [6, 30], receivables: [8, 40] };

const LOOKBACK = 365 * DAY;

interface Plan {
  persona: LabelledPersonaKind;
  /** Unix seconds of each invoice's issue, oldest first. */
  issues: number[];
  termsDays: number;
  currency: string;
  amount: number;
}

/** Whole days late for one invoice: the persona's habit, with the population's noise. */
type Lateness = (k: number, due: number) => number;

function personaSequence(count: number, prng: Prng, book: LabelledBook): LabelledPersonaKind[] {
  const kinds: LabelledPersonaKind[] = [];
  for (const [kind, share] of MIXES[book]) for (let i = 0; i < Math.round(share * count); i += 1) kinds.push(kind);
  while (kinds.length < count) kinds.push('punctual');
  kinds.length = count;
  // Deterministic shuffle so personas are not in blocks.
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = prng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  return kinds;
}

/** Seeds `clientCount` clients following the labelled personas in the proportions of `book`. */
export function labelledSeeder(population: LabelledPopulation, clientCount = 120, book: LabelledBook = 'sandbox') {
  return (billing: Billing, options: ScenarioOptions): SeededScenario => {
    const prng = new Prng(options.randomSeed);
    const end = options.endSeconds;
    const noise = options.noise;
    const wasEnabled = billing.ctx.events.enabled;
    billing.ctx.events.enabled = false;
    try {
      const coupon = shape<Stripe.Coupon>('coupon', {
        id: 'GOODWILL10',
        object: 'coupon',
        amount_off: null,
        created: end - 800 * DAY,
        currency: null,
        duration: 'once',
        livemode: false,
        metadata: {},
        name: 'Goodwill 10%',
        percent_off: 10,
        times_redeemed: 0,
        valid: true,
      });
      billing.ctx.store.coupons.insert(coupon);
      personaSequence(clientCount, prng, book).forEach((persona, index) => {
        const seeded = seedClient(billing, prng, { persona, index, end, noise, coupon: coupon.id, book });
        population.clients.push(seeded.client);
        population.discountRequests.push(...seeded.requests);
      });
      return { personas: [], discountRequests: population.discountRequests };
    } finally {
      billing.ctx.events.enabled = wasEnabled;
    }
  };
}

function planFor(prng: Prng, persona: LabelledPersonaKind, end: number, noise: number): Plan {
  // Patterns that need a record get enough invoices in the last year to show one.
  const needsRecord = persona === 'chronic' || persona === 'slipping' || persona === 'haggler';
  const count = prng.int(needsRecord ? 16 : 10, 30);
  const span = 720 * DAY;
  const last = end - prng.int(8, 35) * DAY;
  const step = span / count;
  const issues: number[] = [];
  for (let k = 0; k < count; k += 1) {
    const jitter = noise > 0 ? prng.int(-Math.round((step / DAY / 3) * noise), Math.round((step / DAY / 3) * noise)) * DAY : 0;
    issues.push(Math.round(last - (count - 1 - k) * step + (k === count - 1 ? 0 : jitter)) + prng.int(8, 17) * HOUR);
  }
  issues.sort((a, b) => a - b);
  const currency = prng.pick(['eur', 'eur', 'eur', 'usd', 'gbp']);
  return { persona, issues, termsDays: prng.pick([14, 30, 30]), currency, amount: prng.int(20, 400) * 1_000 };
}

function seedClient(
  billing: Billing,
  prng: Prng,
  input: { persona: LabelledPersonaKind; index: number; end: number; noise: number; coupon: string; book: LabelledBook },
): { client: LabelledClient; requests: SeededDiscountRequest[] } {
  const { persona, index, end, noise } = input;
  const { store, ids } = billing.ctx;
  const plan = planFor(prng, persona, end, noise);
  const name = `Labelled ${persona.replace(/_/g, ' ')} ${index + 1}`;
  const id = ids.next('cus');
  const created = plan.issues[0] - 10 * DAY;
  const customer = customerObject({ id, created, currency: plan.currency, email: `billing+${index + 1}@labelled.example`, name });
  store.customers.insert(customer);

  // Each client has its own habit, as real ones do: punctual ones pay a fixed few days early or on the day, give or take.
  const habit = prng.int(-7, 1);
  const jitter = 1 + Math.round(noise * 4);
  const onTime = (): number => Math.min(3, habit + prng.int(-jitter, jitter));
  const around = (typical: number, floor: number) => Math.max(floor, Math.round(typical * (1 + (prng.next() - 0.5) * (0.4 + noise))));
  const dueOf = (issue: number) => issue + plan.termsDays * DAY;
  const inLookback = (due: number) => due >= end - LOOKBACK + 3 * DAY;
  const dues = plan.issues.map(dueOf);
  // Invoices due (with a few days' margin) at the end, the latest last: "recent" personas act on these.
  const dueIdx = dues.map((due, k) => (due <= end - 5 * DAY ? k : -1)).filter((k) => k >= 0);
  const recent3 = new Set(dueIdx.slice(-3));
  let severity = 0;
  let lateness: Lateness = () => onTime();
  const openOnPurpose = new Set<number>();
  const disputedAt = new Set<number>();

  switch (persona) {
    case 'punctual':
      break;
    case 'unlucky_once': {
      const candidates = dueIdx.filter((k) => inLookback(dues[k]) && !recent3.has(k) && dues[k] < end - 60 * DAY);
      const unlucky = candidates.length > 0 ? prng.pick(candidates) : -1;
      const days = prng.int(15, 45);
      lateness = (k) => (k === unlucky ? days : onTime());
      severity = 1.5;
      break;
    }
    case 'mild_late': {
      // Late by 4–7 days on at most a third of invoices, never twice among the latest three.
      const share = 0.2 + prng.next() * 0.13;
      let recentLate = 0;
      const late = new Set<number>();
      dueIdx.forEach((k) => {
        if (!prng.chance(share)) return;
        if (recent3.has(k) && recentLate >= 1) return;
        if (recent3.has(k)) recentLate += 1;
        late.add(k);
      });
      // At most a third of the last year's due invoices, whatever the draws.
      const lookbackLate = dueIdx.filter((k) => inLookback(dues[k]) && late.has(k));
      const cap = Math.floor(dueIdx.filter((k) => inLookback(dues[k])).length / 3);
      for (const k of lookbackLate.slice(cap)) late.delete(k);
      const typical = prng.int(4, 7);
      lateness = (k) => (late.has(k) ? Math.min(8, around(typical, 4)) : onTime());
      severity = 2 + share * 3;
      break;
    }
    case 'chronic': {
      const share = 0.62 + prng.next() * 0.33;
      const typical = prng.int(...CHRONIC_TYPICAL[input.book]);
      const lookbackDue = dueIdx.filter((k) => inLookback(dues[k]));
      const late = new Set(lookbackDue.filter(() => prng.chance(share)));
      // The definition holds in the last year whatever the draws: at least 60 % late there.
      for (const k of lookbackDue) if (late.size < Math.ceil(0.6 * lookbackDue.length)) late.add(k);
      for (const k of dueIdx) if (!inLookback(dues[k]) && prng.chance(share)) late.add(k);
      lateness = (k) => (late.has(k) || !dueIdx.includes(k) ? around(typical, 5) : onTime());
      severity = 8 + (share * typical) / 5;
      break;
    }
    case 'slipping': {
      const typical = prng.int(8, 25);
      lateness = (k) => (recent3.has(k) || k > Math.max(...dueIdx) ? around(typical, 6) : onTime());
      severity = 6 + typical / 20;
      break;
    }
    case 'recovered': {
      const typical = prng.int(8, 30);
      const recoveredFrom = end - prng.int(300, 420) * DAY;
      lateness = (k, due) => (due < recoveredFrom && prng.chance(0.8) ? around(typical, 4) : onTime());
      severity = 1;
      break;
    }
    case 'haggler':
      severity = 4;
      break;
    case 'disputer': {
      const candidates = dueIdx.filter((k) => inLookback(dues[k]) && dues[k] < end - 40 * DAY);
      const picks = prng.chance(0.5) ? 2 : 1;
      for (let i = 0; i < picks && candidates.length > 0; i += 1) disputedAt.add(candidates.splice(prng.int(0, candidates.length - 1), 1)[0]);
      severity = 3.5 + disputedAt.size / 2;
      break;
    }
    case 'arrears': {
      const candidates = dueIdx.filter((k) => dues[k] <= end - 40 * DAY && dues[k] >= end - 160 * DAY);
      const picks = prng.chance(0.4) ? 2 : 1;
      for (let i = 0; i < picks && candidates.length > 0; i += 1) openOnPurpose.add(candidates.splice(prng.int(0, candidates.length - 1), 1)[0]);
      // Owing is not slipping: at most one of the latest three due invoices is left open.
      const openRecent = [...openOnPurpose].filter((k) => recent3.has(k));
      for (const k of openRecent.slice(1)) openOnPurpose.delete(k);
      const oldest = Math.min(...[...openOnPurpose].map((k) => dues[k]));
      severity = 6 + (end - oldest) / DAY / 60;
      break;
    }
  }

  const invoices: Stripe.Invoice[] = [];
  plan.issues.forEach((issue, k) => {
    const amount = Math.round((plan.amount * (0.8 + prng.next() * 0.4)) / 100) * 100;
    const coupon = persona !== 'haggler' && noise > 0 && k === Math.floor(plan.issues.length / 2) && prng.chance(noise * 0.5) ? input.coupon : undefined;
    const draft = billing.invoices.create(
      { customer: id, collectionMethod: 'send_invoice', daysUntilDue: plan.termsDays, currency: plan.currency, coupons: coupon ? [coupon] : undefined },
      issue,
    );
    billing.invoices.createItem({ customer: id, amount, currency: plan.currency, description: 'Services', invoice: draft.id }, issue);
    const invoice = billing.invoices.finalize(draft, issue);
    invoices.push(invoice);
    const due = invoice.due_date ?? dueOf(issue);
    if (openOnPurpose.has(k)) return;
    let paidAt = Math.max(issue + HOUR, due + lateness(k, due) * DAY + prng.int(1, 10) * HOUR);
    // Nobody but the arrears persona leaves money long overdue: late payers settle before 25 days past due at the end.
    if (paidAt > end && end - due > 20 * DAY) paidAt = end - prng.int(1, 12) * HOUR;
    if (paidAt > end) return;
    billing.invoices.pay(invoice, paidAt, !disputedAt.has(k));
    if (disputedAt.has(k)) {
      const disputedOn = Math.min(end - DAY, paidAt + prng.int(5, 20) * DAY);
      const dispute = billing.disputes.open({ invoice: invoice.id }, disputedOn, prng.pick(['product_unacceptable', 'general']));
      if (disputedOn + 30 * DAY < end) billing.disputes.close(dispute, disputedOn + prng.int(15, 30) * DAY, prng.chance(0.5) ? 'lost' : 'won');
    }
  });

  const requests: SeededDiscountRequest[] = [];
  if (persona === 'haggler') {
    // 3–4 discounts within 2–5½ months, the last 3 weeks to 5 months ago: some of each run falls outside the latest 180 days.
    const events = prng.int(3, 4);
    const last = end - prng.int(20, 150) * DAY;
    const span = prng.int(60, 165) * DAY;
    for (let e = 0; e < events; e += 1) {
      const at = Math.round(last - span + (span * e) / (events - 1));
      const before = invoices.filter((invoice) => invoice.created < at - 2 * DAY && invoice.status !== 'void');
      const target = before[before.length - 1];
      if (e % 2 === 0 && target) {
        billing.creditNotes.create(
          {
            invoice: target.id,
            amount: Math.round(target.total * (0.05 + prng.next() * 0.07)),
            reason: prng.pick(['order_change', 'product_unsatisfactory'] as const),
            memo: 'Goodwill reduction',
          },
          at,
        );
      } else {
        requests.push({
          customerId: id,
          amount: Math.round(plan.amount * 0.1),
          currency: plan.currency,
          requestedAt: new Date(at * 1000),
          note: prng.pick(['Asked for a discount by phone', 'Emailed asking for a lower rate']),
        });
      }
    }
  }
  return { client: { customerId: id, name, persona, expectedFlags: [...LABELLED_FLAGS[persona]], severity }, requests };
}

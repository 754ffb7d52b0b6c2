import type Stripe from 'stripe';
import type { Billing } from '../billing/billing';
import type { PersonaKind, PersonaLabel, SeededDiscountRequest } from '../sandbox.types';
import { shape } from '../shapes/shape';
import { Prng } from '../util/prng';
import { buildClientHistory, type ClientPlan } from './client-history';
import { clientName, DEMO_POPULATION, PERSONA_FLAGS } from './personas';

export interface ScenarioOptions {
  seed: 'demo' | 'empty' | number;
  randomSeed: number;
  noise: number;
  /** Unix seconds: the end of the generated history (the sandbox clock's "now"). */
  endSeconds: number;
  invoicesPerClient: number;
}

export interface SeededScenario {
  personas: PersonaLabel[];
  discountRequests: SeededDiscountRequest[];
}

const personaSequence = (): PersonaKind[] => DEMO_POPULATION.flatMap(([kind, count]) => Array<PersonaKind>(count).fill(kind));

function currencyFor(index: number): { currency: string; amount: (prng: Prng) => number } {
  if (index === 7) return { currency: 'jpy', amount: (prng) => prng.int(15, 60) * 10_000 }; // zero-decimal: whole yen
  if (index % 9 === 4) return { currency: 'usd', amount: (prng) => prng.int(12, 80) * 10_000 };
  if (index % 11 === 6) return { currency: 'gbp', amount: (prng) => prng.int(10, 60) * 10_000 };
  return { currency: 'eur', amount: (prng) => prng.int(8, 60) * 10_000 + prng.pick([0, 5_000]) };
}

function createCoupon(billing: Billing, id: string, percentOff: number, name: string, at: number): void {
  const coupon = shape<Stripe.Coupon>('coupon', {
    id,
    object: 'coupon',
    amount_off: null,
    created: at,
    currency: null,
    duration: 'once',
    livemode: false,
    metadata: {},
    name,
    percent_off: percentOff,
    times_redeemed: 0,
    valid: true,
  });
  billing.ctx.store.coupons.insert(coupon);
  billing.ctx.events.emit('coupon.created', coupon, at);
}

/**
 * Builds the seeded account: `demo` is the 40-client agency of the built-in sandbox (personas.ts; events
 * included); `N` is N clients cycling through the same personas for benchmarks (no event
 * history, payments out of band, so 10,000 × 20 invoices build in seconds).
 */
export function seedScenario(billing: Billing, options: ScenarioOptions): SeededScenario {
  if (options.seed === 'empty') return { personas: [], discountRequests: [] };
  const prng = new Prng(options.randomSeed);
  billing.ctx.store.habitSeed = options.randomSeed;
  const demo = options.seed === 'demo';
  const clients = demo ? 40 : Math.max(0, Math.floor(options.seed as number));
  const months = demo ? 14 : Math.max(1, options.invoicesPerClient);
  const end = options.endSeconds;
  const setupAt = end - (months + 2) * 31 * 86_400;
  const wasEnabled = billing.ctx.events.enabled;
  billing.ctx.events.enabled = demo;
  try {
    createCoupon(billing, 'LOYAL15', 15, 'Loyalty 15%', setupAt);
    createCoupon(billing, 'THANKS5', 5, 'Thank-you 5%', setupAt);
    const sequence = personaSequence();
    const personas: PersonaLabel[] = [];
    const discountRequests: SeededDiscountRequest[] = [];
    for (let index = 0; index < clients; index += 1) {
      const persona = sequence[index % sequence.length];
      const money = currencyFor(index);
      const plan: ClientPlan = {
        index,
        name: clientName(index),
        persona,
        currency: money.currency,
        monthlyAmount: money.amount(prng),
        chargeAutomatically: persona === 'punctual' && index % 4 === 1,
        months,
        lean: !demo,
      };
      const { customer, requests } = buildClientHistory({ billing, prng, noise: options.noise, end, coupons: { big: 'LOYAL15', small: 'THANKS5' } }, plan);
      personas.push({ customerId: customer.id, name: plan.name, persona, expectedFlags: [...PERSONA_FLAGS[persona]] });
      discountRequests.push(...requests);
    }
    return { personas, discountRequests };
  } finally {
    billing.ctx.events.enabled = wasEnabled;
  }
}

import type Stripe from 'stripe';
import type { Billing } from '../billing/billing';
import type { PersonaKind } from '../sandbox.types';
import type { SandboxStore } from '../store/sandbox-store';
import { Prng } from '../util/prng';
import { DAY_SECONDS as DAY, HOUR_SECONDS as HOUR } from '../../common/time';

/** A stable 32-bit hash of the habit seed and an invoice id: the same seed, the same behaviour. */
function hashOf(seed: number, id: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * When a persona pays one of its open invoices, counted from the due date (or the
 * finalization, for invoices without one); null: it never does (arrears stay unpaid).
 * Punctual clients (and the once-unlucky, hagglers, disputers) pay before the due date;
 * chronic late payers 10–25 days after it, two invoices in three; slipping clients later
 * and later (25–40 days). Open invoices from the seeded history keep their planned date.
 */
export function habitualPaymentAt(persona: PersonaKind, invoice: Stripe.Invoice, seed: number): number | null {
  const prng = new Prng(hashOf(seed, invoice.id));
  const finalized = invoice.status_transitions.finalized_at ?? invoice.created;
  const due = invoice.due_date ?? finalized;
  const hours = prng.int(1, 10) * HOUR;
  switch (persona) {
    case 'chronic_late':
    case 'toxic':
      if (prng.int(0, 2) !== 1) return due + prng.int(10, 25) * DAY + hours;
      break;
    case 'slipping':
      return due + prng.int(25, 40) * DAY + hours;
    default:
      break;
  }
  return Math.max(finalized + HOUR, due - prng.int(0, 7) * DAY - hours);
}

/** Whether the persona settles by card (a payment intent and charge) or out of band (a bank transfer). */
export function paysByCard(invoice: Stripe.Invoice, seed: number): boolean {
  return new Prng(hashOf(seed ^ 0x0ca4d, invoice.id)).chance(0.5);
}

/**
 * The planned payment of an open invoice of a seeded client, planned on first sight
 * (an invoice renewed while the clock moves, a fee invoice payrisk created); undefined for
 * invoices of clients the scenario did not seed, and for automatic collection.
 */
export function plannedPaymentOf(store: SandboxStore, invoice: Stripe.Invoice): number | null | undefined {
  if (store.plannedPayments.has(invoice.id)) return store.plannedPayments.get(invoice.id);
  const persona = store.personaOf.get(invoice.customer as string);
  if (!persona || invoice.collection_method === 'charge_automatically' || invoice.status !== 'open') return undefined;
  const at = habitualPaymentAt(persona.persona, invoice, store.habitSeed);
  store.plannedPayments.set(invoice.id, at);
  return at;
}

/** The personas that push for a discount on (almost) every invoice. */
export const HAGGLERS: ReadonlySet<PersonaKind> = new Set<PersonaKind>(['discount_hunter', 'toxic']);

/**
 * What a haggler wants off one renewed invoice, or null for the others: 5–15 % as a goodwill
 * credit note (reason and share fixed by the habit seed and the invoice id), so the demo's
 * hagglers keep producing discount evidence as the clock moves, never a punctual client.
 */
export function habitualHaggle(persona: PersonaKind, invoice: Stripe.Invoice, seed: number): { amount: number; reason: Stripe.CreditNote.Reason } | null {
  if (!HAGGLERS.has(persona) || invoice.status !== 'open' || invoice.collection_method !== 'send_invoice') return null;
  if (invoice.pre_payment_credit_notes_amount > 0) return null; // one complaint per invoice
  const prng = new Prng(hashOf(seed ^ 0x4a661e, invoice.id));
  const amount = Math.round((invoice.amount_remaining * prng.int(5, 15)) / 100);
  if (amount <= 0) return null;
  return { amount, reason: prng.pick(['product_unsatisfactory', 'order_change'] as const) };
}

/** A seeded haggler's complaint about an invoice renewed while the clock moves: the credit note it talks the owner into, when it arrives. */
export function haggleOverRenewal(billing: Billing, invoice: Stripe.Invoice | undefined, at: number): void {
  const { store } = billing.ctx;
  const persona = invoice && store.personaOf.get(invoice.customer as string);
  if (!invoice || !persona) return;
  const haggle = habitualHaggle(persona.persona, invoice, store.habitSeed);
  if (haggle) billing.creditNotes.create({ invoice: invoice.id, amount: haggle.amount, reason: haggle.reason, memo: 'Goodwill reduction after complaint' }, at);
}

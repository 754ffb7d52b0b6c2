import type { Money } from '../../common/money';

/** What detection knows about one client: ledger facts only, no I/O. Dates are real Dates. */
export interface InvoiceFact {
  id: string;
  number: string | null;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  currency: string;
  subtotal: number;
  total: number;
  totalDiscount: number;
  amountRemaining: number;
  attemptCount: number;
  createdAt: Date;
  dueAt: Date | null;
  paidAt: Date | null;
  voidedAt: Date | null;
}

export interface CreditNoteFact {
  id: string;
  invoiceId: string;
  currency: string;
  amount: number;
  reducesOwed: boolean;
  createdAt: Date;
}

export interface DisputeFact {
  id: string;
  currency: string;
  amount: number;
  status: string;
  createdAt: Date;
}

export interface DiscountRequestFact {
  id: string;
  currency: string;
  amount: number;
  requestedAt: Date;
  note: string | null;
}

export interface ClientHistory {
  clientId: string;
  invoices: InvoiceFact[];
  creditNotes: CreditNoteFact[];
  disputes: DisputeFact[];
  discountRequests: DiscountRequestFact[];
}

export type { RiskFlag, RiskLevel } from '../../common/vocabulary';

/** One fact behind a flag, as the owner would check it in Stripe. */
export interface Evidence {
  kind: 'invoice' | 'credit_note' | 'coupon' | 'void_reissue' | 'discount_request' | 'dispute';
  id: string;
  amount: Money;
  date: string;
  daysLate?: number;
  detail?: string;
}

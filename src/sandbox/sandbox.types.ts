import type { RiskFlag } from '../common/vocabulary';
import type { FaultSpec } from './faults/faults';

export type { FaultSpec } from './faults/faults';

export type PersonaKind = 'punctual' | 'unlucky_once' | 'chronic_late' | 'discount_hunter' | 'toxic' | 'slipping' | 'disputer' | 'long_arrears';
export type { RiskFlag } from '../common/vocabulary';

export interface PersonaLabel {
  customerId: string;
  name: string;
  persona: PersonaKind;
  expectedFlags: RiskFlag[];
}

/** Haggling that happened off Stripe (phone/email); the demo and tests log it through payrisk's discount-requests API. */
export interface SeededDiscountRequest {
  customerId: string;
  amount: number;
  currency: string;
  requestedAt: Date;
  note: string;
}

export interface SandboxOptions {
  /** 0 = random free port; default 12111. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** number = N clients for benchmarks. Default 'empty'. */
  seed?: 'demo' | 'empty' | number;
  /** Deterministic generator seed (default 42). */
  randomSeed?: number;
  /** 0..1 extra randomness in persona behaviour (default 0). */
  noise?: number;
  /** Sandbox-wide clock start = end of the generated history (default: real time at start). */
  now?: Date;
  webhookUrl?: string;
  /** Default: generated whsec_... */
  webhookSecret?: string;
  faults?: FaultSpec;
  /**
   * Where the sandbox keeps its state (`<home>/sandbox`): a restart with the same seed
   * continues the same business from there. Unset: in memory only, gone when it stops.
   */
  stateDir?: string;
  /** For `seed: N` benchmarks (default 20). */
  invoicesPerClient?: number;
  /**
   * Billing automations configured on the account. Stripe sends `invoice.overdue` only when an
   * overdue-invoice automation exists; the sandbox has one unless `invoiceOverdue: false`.
   */
  automations?: { invoiceOverdue?: boolean };
  /**
   * How many Stripe accounts it serves (default 1), each with its own key, account id, data
   * and webhook secret; the request's key picks the account. The first is the one a
   * single-account sandbox would be. With several, a key none of them has is refused (401),
   * and the first is a Connect platform (`Stripe-Account` header, `GET /v1/accounts`).
   */
  accounts?: number;
  /**
   * With several accounts, those after the first deliver their webhooks to
   * `<webhookUrl>/<their account id>` (payrisk's endpoint per added account) instead of `webhookUrl`.
   */
  webhookUrlPerAccount?: boolean;
}

/** One account of a sandbox: what a client needs to reach it, and its ground truth. */
export interface SandboxAccountInfo {
  accountId: string;
  secretKey: string;
  webhookSecret: string;
  personas: PersonaLabel[];
  discountRequests: SeededDiscountRequest[];
}

export interface RunningSandbox {
  url: string;
  port: number;
  /** sk_test_... accepted by the sandbox (any sk_test_ key is accepted). */
  secretKey: string;
  webhookSecret: string;
  accountId: string;
  /** Every account it serves (options.accounts), the first being the one of `secretKey`/`accountId`/`personas` above. */
  accounts: SandboxAccountInfo[];
  personas: PersonaLabel[];
  discountRequests: SeededDiscountRequest[];
  /** True when it continued a saved state (options.stateDir) instead of seeding a new business. */
  restored: boolean;
  now(): Date;
  /** Sandbox-wide clock; produces overdue events, renewals, etc. */
  advanceTime(seconds: number): Promise<void>;
  setFaults(faults: FaultSpec): void;
  stop(): Promise<void>;
}

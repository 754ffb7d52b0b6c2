import type { Billing } from '../billing/billing';
import type { BillingContext } from '../billing/billing-context';
import type { Router } from '../http/router';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher';

export interface RouteDeps {
  billing: Billing;
  ctx: BillingContext;
  dispatcher: WebhookDispatcher;
  /** Runs a test clock forward in the background (status `advancing` → `ready`). */
  advanceTestClock(clockId: string, to: number): void;
}

export type RegisterRoutes = (router: Router, deps: RouteDeps) => void;

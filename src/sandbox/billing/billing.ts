import type { BillingContext } from './billing-context';
import { CreditNoteOps } from './credit-notes';
import { DisputeOps } from './disputes';
import { InvoiceOps } from './invoices';
import { ScheduleOps } from './schedules';
import { SubscriptionOps } from './subscriptions';

/** The stateful core shared by the HTTP routes, the clocks and the scenario generator. */
export class Billing {
  readonly invoices: InvoiceOps;
  readonly creditNotes: CreditNoteOps;
  readonly subscriptions: SubscriptionOps;
  readonly schedules: ScheduleOps;
  readonly disputes: DisputeOps;

  constructor(readonly ctx: BillingContext) {
    this.invoices = new InvoiceOps(ctx);
    this.creditNotes = new CreditNoteOps(ctx, this.invoices);
    this.subscriptions = new SubscriptionOps(ctx, this.invoices);
    this.schedules = new ScheduleOps(ctx, this.subscriptions);
    this.disputes = new DisputeOps(ctx);
  }
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { FixedClock } from '../../../src/common/clock';
import { fixedAccountConfig, type AppConfig } from '../../../src/config';
import { OutboxClientNotifier } from '../../../src/notifications/outbox/outbox-client-notifier';
import { OutboxOwnerNotifier } from '../../../src/notifications/outbox/outbox-owner-notifier';
import { OutboxService } from '../../../src/notifications/outbox/outbox.service';
import { ActionsService } from '../../../src/policies/actions.service';
import type { PolicyDeps } from '../../../src/policies/policy-deps';
import { PolicyRunner } from '../../../src/policies/policy-runner';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';
import { createStripeClient } from '../../../src/stripe/stripe-client.factory';
import { StripeSyncService } from '../../../src/stripe/sync/stripe-sync.service';
import { testConfig } from '../../support/test-config';
import type { TestDatabase } from '../../support/test-database';

export const DAY = 86_400;

/** A validated config whose policy file is `yaml` (everything else defaults). */
export function policyConfig(yaml: string, env: Record<string, string> = {}): AppConfig {
  const probe = testConfig(env);
  const file = join(probe.homeDir, 'policy.yaml');
  writeFileSync(file, yaml);
  return testConfig({ ...env, PAYRISK_CONFIG: file, PAYRISK_HOME: probe.homeDir });
}

/** An empty sandbox whose clock starts `daysAgo` days before real time. */
export async function sandboxStartingDaysAgo(
  daysAgo: number,
  options: { webhookUrl?: string; webhookSecret?: string } = {},
): Promise<{ sandbox: RunningSandbox; stripe: Stripe }> {
  const sandbox = await startSandbox({ port: 0, seed: 'empty', now: new Date(Date.now() - daysAgo * DAY * 1000), ...options });
  return { sandbox, stripe: createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url }) };
}

export async function customer(stripe: Stripe, name: string): Promise<string> {
  return (await stripe.customers.create({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@client.test` })).id;
}

/** A finalized send_invoice invoice for one line of work, due `daysUntilDue` after the sandbox's now. */
export async function invoice(stripe: Stripe, customerId: string, amount: number, currency = 'eur', daysUntilDue = 7): Promise<Stripe.Invoice> {
  await stripe.invoiceItems.create({ customer: customerId, amount, currency, description: 'Design work' });
  const draft = await stripe.invoices.create({
    customer: customerId,
    currency,
    collection_method: 'send_invoice',
    days_until_due: daysUntilDue,
    pending_invoice_items_behavior: 'include',
  });
  return stripe.invoices.finalizeInvoice(draft.id as string);
}

export async function sync(db: TestDatabase, sandbox: RunningSandbox, stripe: Stripe): Promise<void> {
  await new StripeSyncService(db.dataSource, stripe, sandbox.accountId).backfill({ full: true });
}

export function policyTools(db: TestDatabase, stripe: Stripe, sandbox: RunningSandbox, config: AppConfig, clock: FixedClock) {
  const outbox = new OutboxService(db.dataSource, clock);
  const deps: PolicyDeps = {
    dataSource: db.dataSource,
    account: async () => ({ accountId: sandbox.accountId, stripe, policy: config.policy }),
    notifier: new OutboxOwnerNotifier(outbox, fixedAccountConfig(config)),
    clientNotifier: new OutboxClientNotifier(outbox),
    clock,
    config,
    linkSecret: 'test-link-secret',
  };
  const runner = new PolicyRunner(deps);
  return { deps, runner, actions: new ActionsService(deps, runner.executor) };
}

/** Invoice items in Stripe created by payrisk for this customer (pending or invoiced). */
export async function feeItems(stripe: Stripe, customerId: string): Promise<Stripe.InvoiceItem[]> {
  const items: Stripe.InvoiceItem[] = [];
  for await (const item of stripe.invoiceItems.list({ customer: customerId, limit: 100 })) if (item.metadata?.payrisk_action_id) items.push(item);
  return items;
}

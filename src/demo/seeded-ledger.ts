import type { DataSource } from 'typeorm';
import { DiscountRequestService } from '../risk/discount-request.service';
import type { RunningSandbox, SeededDiscountRequest } from '../sandbox/sandbox.types';
import { createStripeClient } from '../stripe/stripe-client.factory';
import { StripeSyncService } from '../stripe/sync/stripe-sync.service';

type CreatedBy = Parameters<DiscountRequestService['add']>[2];

/** Logs the discount requests a seeded sandbox's clients made by phone or email (Stripe has no record of them). */
export async function logSeededDiscountRequests(
  service: DiscountRequestService,
  requests: readonly SeededDiscountRequest[],
  createdBy: CreatedBy,
  now: Date,
): Promise<void> {
  for (const request of requests) {
    const { amount, currency, note } = request;
    await service.add(request.customerId, { amount, currency, note, requestedAt: request.requestedAt.toISOString() }, createdBy, now);
  }
}

/**
 * A seeded sandbox's ledger, as the demo's first run builds it: a backfill of the sandbox account,
 * then its clients' off-Stripe discount requests. The detection tests and the detection evaluation
 * start from this ledger.
 */
export async function syncSeededLedger(
  dataSource: DataSource,
  sandbox: Pick<RunningSandbox, 'secretKey' | 'url' | 'accountId' | 'now'>,
  requests: readonly SeededDiscountRequest[],
): Promise<void> {
  const stripe = createStripeClient({ secretKey: sandbox.secretKey, apiBase: sandbox.url });
  await new StripeSyncService(dataSource, stripe, sandbox.accountId).backfill();
  await logSeededDiscountRequests(new DiscountRequestService(dataSource), requests, 'api', sandbox.now());
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError, invalidInput } from '../../common/errors';
import { STRIPE_API_VERSION } from '../stripe-api-version';
import type { StripeConnection } from '../stripe-connection';
import { STRIPE_CONNECTION } from '../stripe.tokens';
import { InvalidStripeObjectError } from '../sync/mappers/row-guard';
import { StripeSyncService } from '../sync/stripe-sync.service';
import { WebhookInbox } from './webhook-inbox';
import { malformedEventReason } from './stripe-event.schema';
import { verifyStripeSignature, WebhookSignatureError } from './stripe-signature';

/** Seconds a signature may be away from now, either way (Stripe's default tolerance). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** What POST /webhooks/stripe answers for a stored event. */
export interface WebhookReceipt {
  received: true;
  duplicate: boolean;
}

/**
 * One webhook delivery, whichever HTTP layer read it (the raw listener in front of Express,
 * or the Nest controller for the deliveries it passes on): verifies the signature on the
 * raw bytes (forged, unsigned, stale, from the future or malformed → 400, nothing stored),
 * validates the envelope, refuses what could never be stored (a 400 with the reason and one
 * log line: a 500 would have Stripe retry it for days), then stores the event in the inbox
 * (the durability point; duplicates are no-ops) and wakes the applier. Throws DomainError.
 */
@Injectable()
export class WebhookIntake {
  private readonly logger = new Logger(WebhookIntake.name);

  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    private readonly sync: StripeSyncService,
    private readonly inbox: WebhookInbox,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<WebhookReceipt> {
    const secret = this.connection.webhookSecret;
    if (!secret) throw new DomainError('precondition_failed', 'Webhooks are not configured: set STRIPE_WEBHOOK_SECRET to the signing secret of your endpoint');
    if (!signature) throw invalidInput('Missing Stripe-Signature header: only Stripe-signed webhooks are accepted');
    if (!rawBody || rawBody.length === 0) throw invalidInput('Empty webhook body');
    try {
      // Real time, not the sandbox's clock: Stripe (and the sandbox) sign with the wall clock.
      verifyStripeSignature(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS, Math.floor(Date.now() / 1000));
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      throw invalidInput(`Webhook signature verification failed: ${error.message}`);
    }
    // Decoded once: the same text is parsed here and stored in the inbox.
    const raw = rawBody.toString('utf8');
    let event: Stripe.Event;
    try {
      event = JSON.parse(raw) as Stripe.Event;
    } catch (error) {
      throw this.refuse(`Malformed Stripe event: the body is not JSON (${error instanceof Error ? error.message : String(error)})`, undefined);
    }
    const malformed = malformedEventReason(event);
    if (malformed) throw this.refuse(`Malformed Stripe event: ${malformed}`, event);
    if (event.api_version && event.api_version !== STRIPE_API_VERSION) {
      this.logger.warn(
        `event=${event.id} has api_version ${event.api_version}; payrisk expects ${STRIPE_API_VERSION}. Create the webhook endpoint with api_version ${STRIPE_API_VERSION}.`,
      );
    }
    // Refuse what could never be stored now (a 400), not after the 2xx.
    try {
      this.sync.checkStorable(event);
    } catch (error) {
      if (error instanceof InvalidStripeObjectError) throw this.refuse(`Unusable Stripe event: ${error.message}`, event);
      throw error;
    }
    const fresh = await this.inbox.store(event, raw);
    if (fresh) this.inbox.wake();
    this.logger.debug(`webhook event=${event.id} type=${event.type} stored${fresh ? '' : ' (duplicate)'}`);
    return { received: true, duplicate: !fresh };
  }

  /** A signed delivery that can never be stored: one log line, and a 400 Stripe will not retry. */
  private refuse(reason: string, event: unknown): DomainError {
    const id = typeof (event as { id?: unknown } | null)?.id === 'string' ? (event as { id: string }).id.slice(0, 100) : '(none)';
    this.logger.warn(`webhook refused event=${id}: ${reason}`);
    return invalidInput(reason, { eventId: id === '(none)' ? null : id });
  }
}

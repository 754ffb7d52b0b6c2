import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { AccountRuntimes } from '../../accounts/runtime/account-runtimes';
import type { AccountRuntime } from '../../accounts/runtime/account-runtime';
import { APP_CONFIG, type AppConfig } from '../../config';
import { DomainError, invalidInput } from '../../common/errors';
import { STRIPE_API_VERSION } from '../stripe-api-version';
import type { StripeConnection } from '../stripe-connection';
import { STRIPE_CONNECTION } from '../stripe.tokens';
import { InvalidStripeObjectError } from '../sync/mappers/row-guard';
import { StripeSyncService } from '../sync/stripe-sync.service';
import { WebhookInbox } from './webhook-inbox';
import { malformedEventReason } from './stripe-event.schema';
import { verifyStripeSignature, WebhookSignatureError } from './stripe-signature';
import type { WebhookRoute } from './webhook-route';

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
    private readonly runtimes: AccountRuntimes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `route` (webhook-route.ts) picks the secret and the account: the environment's endpoint as
   * ever; the Connect endpoint verifies with STRIPE_CONNECT_WEBHOOK_SECRET and files each event
   * under its `account`; `/webhooks/stripe/acct_…` with that added account's own secret.
   */
  async receive(rawBody: Buffer | undefined, signature: string | undefined, route: WebhookRoute = { kind: 'environment' }): Promise<WebhookReceipt> {
    const endpoint = route.kind === 'environment' ? undefined : await this.endpointOf(route);
    const secret = endpoint ? endpoint.secret : this.connection.webhookSecret;
    if (!secret) throw new DomainError('precondition_failed', 'Webhooks are not configured: set STRIPE_WEBHOOK_SECRET to the signing secret of your endpoint');
    if (!signature) throw invalidInput('Missing Stripe-Signature header: only Stripe-signed webhooks are accepted');
    if (!rawBody || rawBody.length === 0) throw invalidInput('Empty webhook body');
    try {
      // Real time, not the sandbox's clock: Stripe (and the sandbox) sign with the wall clock.
      verifyStripeSignature(rawBody, signature, secret, SIGNATURE_TOLERANCE_SECONDS, Math.floor(Date.now() / 1000));
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      // Logged like every refusal: an endpoint whose secret is wrong shows in the log, not only in Stripe's dashboard.
      throw this.refuse(`Webhook signature verification failed: ${error.message}`, undefined);
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
    if (route.kind === 'connect' && event.type === 'account.application.deauthorized') return this.disconnect(event);
    const account = endpoint ? await this.accountOf(route, event, endpoint.account) : undefined;
    const sync = account ? account.sync : this.sync;
    if (event.api_version && event.api_version !== STRIPE_API_VERSION) {
      this.logger.warn(
        `event=${event.id} has api_version ${event.api_version}; payrisk expects ${STRIPE_API_VERSION}. ` +
          `Create the webhook endpoint with api_version ${STRIPE_API_VERSION}.`,
      );
    }
    // Refuse what could never be stored now (a 400), not after the 2xx.
    try {
      sync.checkStorable(event);
    } catch (error) {
      if (error instanceof InvalidStripeObjectError) throw this.refuse(`Unusable Stripe event: ${error.message}`, event);
      throw error;
    }
    const inbox = account ? await this.runtimes.inboxFor(account.accountId) : this.inbox;
    const fresh = await inbox.store(event, raw);
    if (fresh) inbox.wake();
    this.logger.debug(`webhook event=${event.id} type=${event.type} stored${fresh ? '' : ' (duplicate)'}`);
    return { received: true, duplicate: !fresh };
  }

  /** The secret of a Connect or per-account endpoint (and, for the latter, its account): read from memory after the first delivery. */
  private async endpointOf(route: Exclude<WebhookRoute, { kind: 'environment' }>): Promise<{ secret?: string; account?: AccountRuntime }> {
    if (route.kind === 'connect') {
      const secret = this.config.stripe.connectWebhookSecret;
      if (!secret)
        throw new DomainError(
          'precondition_failed',
          "Connect webhooks are not configured: set STRIPE_CONNECT_WEBHOOK_SECRET to the signing secret of the platform's Connect endpoint",
        );
      return { secret };
    }
    const account = await this.runtimes.forAccount(route.accountId);
    if (account.source !== 'added')
      throw new DomainError('not_found', `no Stripe account ${route.accountId} is added here; \`payrisk accounts list\` shows the accounts`);
    if (!account.webhookSecret)
      throw new DomainError(
        'precondition_failed',
        `Webhooks for account ${account.name} (${account.accountId}) are not configured: ` +
          'add it again with `payrisk accounts add --name … --key … --webhook-secret whsec_…`',
      );
    return { secret: account.webhookSecret, account };
  }

  /** The account a verified event is filed under: the one of its endpoint, or for Connect the `account` it carries (an added one). */
  private async accountOf(route: WebhookRoute, event: Stripe.Event, ofEndpoint?: AccountRuntime): Promise<AccountRuntime> {
    if (ofEndpoint) {
      if (event.account && event.account !== ofEndpoint.accountId)
        throw this.refuse(`Event for account ${event.account} delivered to the endpoint of ${ofEndpoint.accountId}`, event);
      return ofEndpoint;
    }
    if (!event.account) throw this.refuse(`A Connect event names its connected account (\`account\`); this one names none (route ${route.kind})`, event);
    const account = await this.runtimes.forAccount(event.account).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found')
        throw this.refuse(
          `Event for account ${event.account}, which is not connected to payrisk: connect it (GET /connect/start) or remove it from the platform`,
          event,
        );
      throw error;
    });
    if (account.source !== 'added') throw this.refuse(`Event for the platform's own account ${account.accountId} on the Connect endpoint`, event);
    return account;
  }

  /**
   * The connected account revoked the platform's access (Stripe sends this on the Connect
   * endpoint): payrisk can no longer read it, so it stops working for it, as `payrisk accounts
   * remove` does, and keeps its data. Unknown or already removed accounts are a 2xx too: there
   * is nothing left to stop, and a refusal would have Stripe retry for days.
   */
  private async disconnect(event: Stripe.Event): Promise<WebhookReceipt> {
    const accountId = event.account;
    if (!accountId) throw this.refuse('A Connect event names its connected account (`account`); this one names none', event);
    const removed = await this.runtimes.disconnect(accountId, new Date(event.created * 1000));
    this.logger.log(
      removed
        ? `account ${removed} disconnected payrisk in Stripe: no work runs for it any more (its data stays; connect it again from /connect/start)`
        : `event=${event.id}: account ${accountId} disconnected payrisk, and no work was running for it`,
    );
    return { received: true, duplicate: removed === undefined };
  }

  /** A signed delivery that can never be stored: one log line, and a 400 Stripe will not retry. */
  private refuse(reason: string, event: unknown): DomainError {
    const id = typeof (event as { id?: unknown } | null)?.id === 'string' ? (event as { id: string }).id.slice(0, 100) : '(none)';
    this.logger.warn(`webhook refused event=${id}: ${reason}`);
    return invalidInput(reason, { eventId: id === '(none)' ? null : id });
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { resolveLinkSecret } from '../../auth/link-secret';
import { CLOCK, type Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config';
import type { StripeConnection } from '../../stripe/stripe-connection';
import { STRIPE_CONNECTION } from '../../stripe/stripe.tokens';
import { accountNamed, findAccount, upsertConnectedAccount } from '../accounts.query';
import { connectAuthorizeUrl } from './connect-authorize-url';
import { CONNECT_STATE_MINUTES, newBrowserKey, newConnectState, nonceOfConnectState } from './connect-state';
import { insertConnectState, spendConnectState, type ConnectStarter } from './connect-states.query';
import type { ConnectCallbackQuery } from './connect.schemas';

export type ConnectOutcome =
  { ok: true; stripeAccountId: string; name: string; created: boolean } | { ok: false; status: 400 | 502; title: string; message: string };

const refused = (title: string, message: string, status: 400 | 502 = 400): ConnectOutcome => ({ ok: false, status, title, message });
const AGAIN = 'Start again from payrisk (GET /connect/start).';

/**
 * Stripe Connect OAuth for Standard accounts: hands out the authorize URL with a signed,
 * single-use, expiring state bound to who asked, and on the way back spends that state,
 * exchanges the code with the platform's key (`stripe.oauth.token`) and stores the
 * connected account: payrisk then reaches it with the platform's key and `Stripe-Account`.
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger(ConnectService.name);
  private readonly secret: string;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // Its own key, derived from the link secret: a state never doubles as an approval link's signature.
    this.secret = createHmac('sha256', resolveLinkSecret(config)).update('payrisk:connect-oauth-state').digest('hex');
  }

  /** Why Connect cannot start here, or undefined when it can. */
  notConfigured(): string | undefined {
    if (!this.config.stripe.connectClientId)
      return (
        "Connect is not set up: set STRIPE_CONNECT_CLIENT_ID to the platform's client id (ca_…, " +
        'Stripe dashboard → Settings → Connect → Onboarding options → OAuth) and restart payrisk.'
      );
    if (!this.config.stripe.secretKey)
      return (
        "Connect needs the platform's key: set STRIPE_SECRET_KEY to the platform " +
        "account's secret key (calls for connected accounts use it with Stripe-Account)."
      );
    return undefined;
  }

  /** The authorize URL for a new state; a dashboard session's also needs the browser cookie set to `browserKey`. */
  async start(startedBy: 'session' | 'api_token', name: string | undefined): Promise<{ url: string; browserKey?: string }> {
    const { state, nonce } = newConnectState(this.secret);
    const starter: ConnectStarter = startedBy === 'session' ? { kind: 'session', browserKey: newBrowserKey() } : { kind: 'api_token' };
    await insertConnectState(this.dataSource.manager, nonce, starter, name ?? null);
    const url = connectAuthorizeUrl({
      clientId: this.config.stripe.connectClientId ?? '',
      state,
      redirectUri: `${this.config.publicUrl}/connect/callback`,
      apiBase: this.config.stripe.apiBase,
    });
    return { url, browserKey: starter.kind === 'session' ? starter.browserKey : undefined };
  }

  /** The way back from Stripe: every refusal is a 400 that says why and what to do (502 only when Stripe cannot be reached). */
  async finish(query: ConnectCallbackQuery, browserKey: string | undefined): Promise<ConnectOutcome> {
    if (!query.state) return refused('Connection refused', `The link from Stripe has no state, so payrisk cannot tell who started it. ${AGAIN}`);
    const nonce = nonceOfConnectState(query.state, this.secret);
    if (!nonce) return refused('Connection refused', `This link's state was not issued by this payrisk (forged or altered). ${AGAIN}`);
    const spent = await this.dataSource.transaction((manager) => spendConnectState(manager, nonce, browserKey));
    if (!spent.ok) {
      const why = {
        unknown: 'This link is unknown to payrisk.',
        used: 'This link was used already: each works once.',
        expired: `This link expired: it works for ${CONNECT_STATE_MINUTES} minutes.`,
        other_browser: 'This link was started in another browser (or its cookie was cleared): finish in the browser you started from.',
      }[spent.reason];
      return refused('Connection refused', `${why} ${AGAIN}`);
    }
    if (query.error === 'access_denied')
      return refused('Connection declined', `The account was not connected: access was declined on Stripe. ${AGAIN} to try once more.`);
    if (query.error)
      return refused('Connection failed', `Stripe answered ${query.error}${query.error_description ? `: ${query.error_description}` : ''}. ${AGAIN}`);
    if (!query.code) return refused('Connection failed', `Stripe sent no authorization code. ${AGAIN}`);

    const stripe = this.connection.stripe;
    let token: Stripe.OAuthToken;
    try {
      token = await stripe.oauth.token({ grant_type: 'authorization_code', code: query.code });
    } catch (error) {
      const e = error as { type?: string; message?: string; statusCode?: number };
      if (e.statusCode !== undefined && e.statusCode < 500)
        return refused(
          'Connection failed',
          `Stripe refused the authorization code (${e.message ?? e.type ?? 'refused'}): codes work once, for a few minutes. ${AGAIN}`,
        );
      this.logger.warn(`Connect: Stripe could not exchange the code: ${e.message ?? String(error)}`);
      return refused('Stripe unreachable', `Stripe could not be reached to finish connecting (${e.message ?? 'no answer'}). ${AGAIN}`, 502);
    }
    const id = token.stripe_user_id;
    if (!id || !/^acct_[A-Za-z0-9_]+$/.test(id)) return refused('Connection failed', `Stripe's answer named no account. ${AGAIN}`);
    if (id === this.connection.accountId) return refused('Connection refused', `That is the platform's own account (${id}), not one to connect.`);

    // Name and currency from Stripe when it tells them; the connection stands without them.
    let account: Stripe.Account | undefined;
    try {
      account = await stripe.accounts.retrieve(id);
    } catch (error) {
      this.logger.warn(`Connect: could not read account ${id}: ${(error as Error).message}`);
    }
    const stored = await this.dataSource.transaction(async (manager) => {
      const previous = await findAccount(manager, id);
      // Connected again: it keeps the name it has.
      let name = previous && previous.removedAt === null ? previous.name : this.nameFor(id, spent.row.accountName, account);
      const taken = await accountNamed(manager, name);
      if (taken && taken.stripeAccountId !== id) name = `${name} (${id})`;
      const { created } = await upsertConnectedAccount(
        manager,
        {
          stripeAccountId: id,
          name,
          platformAccountId: this.connection.accountId,
          livemode: token.livemode ?? false,
          scope: token.scope ?? null,
          defaultCurrency: account?.default_currency ?? null,
        },
        this.clock.now(),
      );
      return { name, created };
    });
    this.logger.log(`Connect: ${stored.created ? 'connected' : 'reconnected'} ${stored.name} (${id}) through the platform ${this.connection.accountId}`);
    return { ok: true, stripeAccountId: id, ...stored };
  }

  private nameFor(id: string, asked: string | null, account: Stripe.Account | undefined): string {
    return asked ?? account?.settings?.dashboard?.display_name ?? account?.business_profile?.name ?? id;
  }
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config';
import { Clock, CLOCK } from '../common/clock';
import { AccountRuntimes } from '../accounts/runtime/account-runtimes';
import { runForAccount } from '../database/account-scope';
import { PipelineService } from '../pipeline/pipeline.service';
import { DiscountRequestService } from '../risk/discount-request.service';
import type { StripeConnection } from '../stripe/stripe-connection';
import { SANDBOX_RUN, STRIPE_CONNECTION, type SandboxRun } from '../stripe/stripe.tokens';
import { serverLogFile } from '../runtime/log-file';
import { WebSessionService } from '../web-session/web-session.service';
import { countDemoDiscountRequests, loadDemoSummary } from './demo-summary.query';
import { formatDemoSummary } from './format-demo-summary';
import { DEMO_BUSINESS_NAMES, syncDemoBusinesses } from './demo-businesses';
import { logSeededDiscountRequests } from './seeded-ledger';
import type { SandboxAccountInfo } from '../sandbox/sandbox.types';

export interface PipelineOutcome {
  sandboxNow: string;
  synced: Record<string, number>;
  actionsCreated: number;
  actionsApplied: number;
  emailsSent: number;
}

/**
 * On the built-in sandbox, `payrisk start` (and `payrisk demo`, which stops there) does the
 * whole job at once instead of waiting for the crons: its first pipeline run syncs, logs the
 * haggling the demo clients did by phone, detects, runs the policies, writes the alerts and
 * the first digest (after the policies, so both list what waits for approval), sends the
 * owner's emails and prints a summary. Moving the sandbox's clock runs the pipeline again, so
 * the owner sees invoices go overdue, fees proposed and pauses lifted right away.
 */
@Injectable()
export class SandboxPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SandboxPipeline.name);
  private booting?: Promise<void>;
  private summaryText?: string;

  constructor(
    @Inject(STRIPE_CONNECTION) private readonly connection: StripeConnection,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SANDBOX_RUN) private readonly run: SandboxRun | null,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly discountRequests: DiscountRequestService,
    private readonly pipeline: PipelineService,
    private readonly webSessions: WebSessionService,
    private readonly runtimes: AccountRuntimes,
  ) {}

  get sandbox() {
    return this.connection.sandbox;
  }

  onApplicationBootstrap(): void {
    if (!this.sandbox || !this.run) return;
    this.booting = this.boot().catch((error: unknown) => this.logger.error(`the first pipeline run failed: ${String(error)}`));
  }

  /** Resolves with the printed summary once the first pipeline run is done (the demo waits for it). */
  async ready(): Promise<string | undefined> {
    await this.booting;
    return this.summaryText;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.booting;
  }

  private async boot(): Promise<void> {
    const sandbox = this.sandbox as NonNullable<StripeConnection['sandbox']>;
    const others = sandbox.accounts.slice(1);
    const removed = await syncDemoBusinesses(this.dataSource.manager, sandbox.accounts, sandbox.url, this.config, this.clock.now());
    for (const id of removed) {
      this.runtimes.forget(id);
      this.logger.log(`account ${id} is not a business of this sandbox any more: removed (its data stays; \`start --businesses N\` brings it back)`);
    }
    await runForAccount(this.connection.accountId, () => this.bootInScope(others.length > 0 ? DEMO_BUSINESS_NAMES[0] : undefined));
    // The other businesses' first runs come after the first one's summary: it is what the owner reads first.
    const lines: string[] = [];
    for (const [i, account] of others.entries()) {
      const name = DEMO_BUSINESS_NAMES[i + 1];
      const clients = await runForAccount(account.accountId, async () => {
        await this.pipeline.run({
          wait: true,
          digest: true,
          afterSync: () => this.logDemoDiscountRequests(sandbox.restored, account.discountRequests),
        });
        return (await loadDemoSummary(this.dataSource.manager)).levels;
      });
      lines.push(
        `  ${name} (${account.accountId}): ${clients
          .filter((l) => l.count > 0)
          .map((l) => `${l.count} ${l.level}`)
          .join(', ')}`,
      );
    }
    if (lines.length > 0) {
      const also = ['', `Also running (${others.length} more businesses, each its own Stripe account; switch between them in the dashboard):`, ...lines, ''];
      process.stdout.write(also.join('\n'));
      this.summaryText = `${this.summaryText ?? ''}${also.join('\n')}`;
    }
  }

  /** The demo's phoned-in discount requests of the scoped business, logged once: a restored sandbox's ledger holds them already. */
  private async logDemoDiscountRequests(restored: boolean, requests: SandboxAccountInfo['discountRequests']): Promise<void> {
    if (restored && (await countDemoDiscountRequests(this.dataSource.manager)) > 0) return;
    await logSeededDiscountRequests(this.discountRequests, requests, 'demo', this.clock.now());
  }

  private async bootInScope(businessName: string | undefined): Promise<void> {
    const sandbox = this.sandbox as NonNullable<StripeConnection['sandbox']>;
    const step = (text: string) => process.stdout.write(`payrisk: ${text}\n`);
    step(
      sandbox.restored
        ? `continuing the saved demo business (${sandbox.personas.length} clients, sandbox ` +
            `clock at ${sandbox.now().toISOString().slice(0, 10)}): catching up from Stripe…`
        : `syncing the sandbox's demo business${businessName ? ` ${businessName}` : ''} (${sandbox.personas.length} clients) from Stripe…`,
    );
    await this.pipeline.startInitialRun({
      digest: true,
      afterSync: async () => {
        // A restored sandbox continues a business whose ledger already holds these requests: logging them again would double them.
        if (sandbox.restored && (await countDemoDiscountRequests(this.dataSource.manager)) > 0) {
          step('assessing what changed, applying the policies, emailing you…');
          return;
        }
        step(`logging the ${sandbox.discountRequests.length} discount requests its clients made by phone or email…`);
        await this.logDemoDiscountRequests(false, sandbox.discountRequests);
        step('assessing the clients, applying the policies, emailing you…');
      },
    });
    const oneShot = this.run?.oneShot === true;
    const outboxDir = join(this.config.homeDir, 'outbox');
    this.summaryText = formatDemoSummary(await loadDemoSummary(this.dataSource.manager), {
      apiDocs: oneShot ? 'http://localhost:3000/api/docs (with "npm start")' : `${this.config.publicUrl.replace(/\/+$/, '')}/api/docs`,
      outboxDir: this.config.mail.smtpUrl ? `sent over SMTP to ${this.config.mail.ownerEmail}` : oneShot ? relative(process.cwd(), outboxDir) : outboxDir,
      sandboxUrl: oneShot ? undefined : sandbox.url,
      sandboxSecretKey: oneShot ? undefined : sandbox.secretKey,
      apiTokenFile: oneShot || this.config.api.token ? undefined : join(this.config.homeDir, 'api-token'),
      approveHint: oneShot ? 'this demo ends here; "npm start" runs the same with links that work' : undefined,
      dashboardUrl: oneShot ? undefined : `${this.config.publicUrl.replace(/\/+$/, '')}/`,
      signInUrl: oneShot ? undefined : (await this.webSessions.issueSignInCode('start')).url,
      logFile: oneShot ? undefined : serverLogFile(this.config),
    });
    process.stdout.write(this.summaryText);
  }

  /** Moves the sandbox's clock (renewals, overdue invoices and their webhooks happen), then runs the pipeline. */
  async advance(seconds: number): Promise<PipelineOutcome> {
    const sandbox = this.sandbox;
    if (!sandbox) throw new Error('no built-in sandbox');
    await sandbox.advanceTime(seconds);
    return this.runOnce();
  }

  /** One pipeline run (sync → detect → policies → alerts → outbox), waiting for a run under way. */
  async runOnce(): Promise<PipelineOutcome> {
    // Every demo business lived through the same days: each gets its run, the figures are their sums.
    const runs = (this.sandbox?.accounts.length ?? 1) > 1 ? await this.pipeline.runEveryAccount({ wait: true }) : [await this.pipeline.run({ wait: true })];
    const synced: Record<string, number> = {};
    for (const run of runs) for (const [kind, n] of Object.entries(run.synced)) synced[kind] = (synced[kind] ?? 0) + n;
    const sum = (key: 'actionsCreated' | 'actionsApplied' | 'emailsSent') => runs.reduce((total, run) => total + run[key], 0);
    return {
      sandboxNow: (this.sandbox?.now() ?? new Date()).toISOString(),
      synced,
      actionsCreated: sum('actionsCreated'),
      actionsApplied: sum('actionsApplied'),
      emailsSent: sum('emailsSent'),
    };
  }
}

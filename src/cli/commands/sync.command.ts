import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { withAccount } from '../with-account';

/**
 * `payrisk sync [--full] [--account ACCT]`: backfill on first run or with --full, otherwise
 * catch up from events, for one account (its key, its request budget). On the built-in
 * sandbox it syncs from the running server's sandbox; with none running it refuses (a new
 * sandbox would hold none of this ledger's invoices).
 */
export async function syncCommand(config: AppConfig, logger: Logger, options: { full?: boolean; account?: string }): Promise<void> {
  await withAccount(
    config,
    logger,
    { account: options.account, stripe: 'writes', command: options.full ? 'sync --full' : 'sync' },
    async ({ dataSource, account }) => {
      let lastLine = 0;
      const service = new StripeSyncService(
        dataSource,
        account.stripe,
        account.accountId,
        (progress) => {
          if (Date.now() - lastLine < 1000) return;
          lastLine = Date.now();
          process.stderr.write(`  ${progress.type}: ${progress.synced} synced (${progress.ratePerSecond}/s)\n`);
        },
        { patience: StripeSyncService.patienceFrom(account.policy.stripe) },
      );
      // Catch-up starts or resumes the backfill itself when the ledger has never been filled.
      const summary = options.full ? await service.backfill({ full: true }) : await service.catchUp();
      const counts = Object.entries(summary.counts)
        .map(([type, count]) => `${type} ${count}`)
        .join(', ');
      const who = account.name === account.accountId ? account.accountId : `${account.name} (${account.accountId})`;
      console.log(`${summary.mode === 'backfill' ? 'Backfill' : 'Catch-up'} done for ${who}: ${counts || 'nothing new'}`);
    },
  );
}

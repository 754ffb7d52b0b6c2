import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { openStripeConnection } from '../../stripe/stripe-connection';
import { withDatabase } from '../with-database';

/** `payrisk sync [--full]`: backfill on first run or with --full, otherwise catch up from events. */
export async function syncCommand(config: AppConfig, logger: Logger, options: { full?: boolean }): Promise<void> {
  const connection = await openStripeConnection(config);
  try {
    await withDatabase(config, logger, async (dataSource) => {
      let lastLine = 0;
      const service = new StripeSyncService(dataSource, connection.stripe, connection.accountId, (progress) => {
        if (Date.now() - lastLine < 1000) return;
        lastLine = Date.now();
        process.stderr.write(`  ${progress.type}: ${progress.synced} synced (${progress.ratePerSecond}/s)\n`);
      }, { patience: StripeSyncService.patienceFrom(config.policy.stripe) });
      // Catch-up starts or resumes the backfill itself when the ledger has never been filled.
      const summary = options.full ? await service.backfill({ full: true }) : await service.catchUp();
      const counts = Object.entries(summary.counts)
        .map(([type, count]) => `${type} ${count}`)
        .join(', ');
      console.log(`${summary.mode === 'backfill' ? 'Backfill' : 'Catch-up'} done for ${connection.accountId}: ${counts || 'nothing new'}`);
    });
  } finally {
    await connection.close();
  }
}

import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { StripeSyncService } from '../../stripe/sync/stripe-sync.service';
import { commandRuntime, commandStripe } from '../command-runtime';
import { withDatabase } from '../with-database';

/**
 * `payrisk sync [--full]`: backfill on first run or with --full, otherwise catch up from events.
 * On the built-in sandbox it syncs from the running server's sandbox; with none running it
 * refuses (a new sandbox would hold none of this ledger's invoices).
 */
export async function syncCommand(config: AppConfig, logger: Logger, options: { full?: boolean }): Promise<void> {
  const runtime = await commandRuntime(config);
  const connection = await commandStripe(runtime, 'writes', options.full ? 'sync --full' : 'sync');
  try {
    await withDatabase(
      config,
      logger,
      async (dataSource) => {
        let lastLine = 0;
        const service = new StripeSyncService(
          dataSource,
          connection.stripe,
          connection.accountId,
          (progress) => {
            if (Date.now() - lastLine < 1000) return;
            lastLine = Date.now();
            process.stderr.write(`  ${progress.type}: ${progress.synced} synced (${progress.ratePerSecond}/s)\n`);
          },
          { patience: StripeSyncService.patienceFrom(config.policy.stripe) },
        );
        // Catch-up starts or resumes the backfill itself when the ledger has never been filled.
        const summary = options.full ? await service.backfill({ full: true }) : await service.catchUp();
        const counts = Object.entries(summary.counts)
          .map(([type, count]) => `${type} ${count}`)
          .join(', ');
        console.log(`${summary.mode === 'backfill' ? 'Backfill' : 'Catch-up'} done for ${connection.accountId}: ${counts || 'nothing new'}`);
      },
      runtime,
      { account: connection.accountId },
    );
  } finally {
    await connection.close();
  }
}

import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { RiskAssessmentService } from '../../risk/risk-assessment.service';
import { formatAssessmentTable } from '../table/assessment-table';
import { terminalWidth } from '../../common/table/render-table';
import { withAccount } from '../with-account';

/** `payrisk detect [--json] [--full] [--account ACCT]`: assess one account's clients (its policy's thresholds), then print each one's latest judgement. */
export async function detectCommand(config: AppConfig, logger: Logger, options: { json?: boolean; full?: boolean; account?: string }): Promise<void> {
  await withAccount(config, logger, { account: options.account, stripe: 'ifUsed', command: 'detect' }, async ({ dataSource, runtime, account }) => {
    const service = new RiskAssessmentService(dataSource, account.policy.detection);
    const run = await service.run(runtime.clock.now(), { full: options.full });
    const latest = await service.latest();
    if (options.json) {
      const out = latest.map(({ customerId, name, email, level, score, flags, metrics, evidence }) => ({
        customerId,
        name,
        email,
        level,
        score,
        flags,
        metrics,
        evidence,
      }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      console.log(formatAssessmentTable(latest, { width: terminalWidth() }));
      console.error(`\nassessed ${run.assessed} client(s) this run${options.full ? '' : ' (changed since last time; --full for all)'}`);
    }
    if (run.failed.length > 0) {
      // The others were assessed; these keep their previous assessment until their data reads cleanly.
      console.error(
        `could not assess ${run.failed.length} client(s), see the log for why: ${run.failed.slice(0, 10).join(', ')}${run.failed.length > 10 ? ', …' : ''}`,
      );
      process.exitCode = 1;
    }
  });
}

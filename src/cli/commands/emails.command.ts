import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import type { AppConfig } from '../../config';
import { previewEmail } from '../../notifications/preview/email-preview';
import { withAccount } from '../with-account';

/** `payrisk emails preview <kind>`: prints subject and text, writes the HTML part to a file and prints its path. Sends nothing. */
export async function emailsPreviewCommand(config: AppConfig, logger: Logger, kind: OwnerEmailKind, options: { account?: string } = {}): Promise<void> {
  const preview = await withAccount(
    config,
    logger,
    { account: options.account, stripe: 'ifUsed', command: 'emails preview' },
    ({ dataSource, runtime, account }) => previewEmail(dataSource, account.config, runtime.clock, kind),
  );
  const dir = join(config.homeDir, 'previews');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}.html`);
  writeFileSync(file, preview.html);
  console.log(`(${kind} email rendered from ${preview.source})\n`);
  console.log(`Subject: ${preview.subject}\n`);
  console.log(preview.text);
  console.log(`HTML part written to ${file}`);
}

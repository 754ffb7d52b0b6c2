import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { OwnerEmailKind } from '../../common/notifications/owner-notifier.port';
import type { AppConfig } from '../../config';
import { previewEmail } from '../../notifications/preview/email-preview';
import { withDatabase } from '../with-database';

/** `payrisk emails preview <kind>`: prints subject and text, writes the HTML part to a file and prints its path. Sends nothing. */
export async function emailsPreviewCommand(config: AppConfig, logger: Logger, kind: OwnerEmailKind): Promise<void> {
  const preview = await withDatabase(config, logger, (dataSource, runtime) => previewEmail(dataSource, runtime.config, runtime.clock, kind));
  const dir = join(config.homeDir, 'previews');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}.html`);
  writeFileSync(file, preview.html);
  console.log(`(${kind} email rendered from ${preview.source})\n`);
  console.log(`Subject: ${preview.subject}\n`);
  console.log(preview.text);
  console.log(`HTML part written to ${file}`);
}

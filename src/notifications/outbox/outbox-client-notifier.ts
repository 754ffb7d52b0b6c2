import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { escapeHtml } from '../../common/html/escape-html';
import type { ClientNotice, ClientNotifier } from '../../common/notifications/client-notifier.port';
import { OutboxService } from './outbox.service';

/** The CLIENT_NOTIFIER port: the owner's own words, as plain text and the same text in simple HTML. */
@Injectable()
export class OutboxClientNotifier implements ClientNotifier {
  constructor(private readonly outbox: OutboxService) {}

  async send(manager: EntityManager, notice: ClientNotice): Promise<void> {
    await this.outbox.enqueue(manager, {
      kind: 'client_notice',
      recipient: notice.to,
      dedupeKey: notice.dedupeKey,
      clientId: notice.clientId,
      subject: notice.subject,
      text: notice.text.endsWith('\n') ? notice.text : `${notice.text}\n`,
      html: `<!doctype html><html><body><div style="font-family:system-ui,sans-serif;white-space:pre-wrap;">${escapeHtml(notice.text)}</div></body></html>`,
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClientNotice, ClientNoticeOutcome, ClientNotifier } from '../../common/notifications/client-notifier.port';
import { parseClientAddress, singleLineHeader } from '../domain/client-address';
import { renderClientNoticeHtml } from '../templates/email-renderer';
import { OutboxService } from './outbox.service';

/**
 * The CLIENT_NOTIFIER port: the owner's own words, as plain text and the same text in simple
 * HTML, to the client's one address. An email from Stripe that is not exactly one valid
 * address (`a@b.c\r\nBcc: x@y.z`, `a@b.c, x@y.z`) is never used: nothing is written.
 */
@Injectable()
export class OutboxClientNotifier implements ClientNotifier {
  constructor(private readonly outbox: OutboxService) {}

  async send(manager: EntityManager, notice: ClientNotice): Promise<ClientNoticeOutcome> {
    const to = parseClientAddress(notice.to);
    if (!to.ok) return { sent: false, reason: to.reason };
    await this.outbox.enqueue(manager, {
      kind: 'client_notice',
      recipient: to.address,
      dedupeKey: notice.dedupeKey,
      clientId: notice.clientId,
      subject: singleLineHeader(notice.subject),
      text: notice.text.endsWith('\n') ? notice.text : `${notice.text}\n`,
      html: renderClientNoticeHtml(notice.text),
    });
    return { sent: true };
  }
}

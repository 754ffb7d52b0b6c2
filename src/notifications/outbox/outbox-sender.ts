import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config';
import { parseClientAddress } from '../domain/client-address';
import { createMailTransport, MailTransport, UndeliverableEmailError } from '../mail/mail-transport';
import { OutboxService } from './outbox.service';

export interface SendOutcome {
  sent: number;
  retried: number;
  failed: number;
}

/** Delivers due outbox rows; one message's failure never stops the batch. */
@Injectable()
export class OutboxSender implements OnModuleDestroy {
  private readonly logger = new Logger(OutboxSender.name);
  private transport?: MailTransport;

  constructor(
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private mail(): MailTransport {
    this.transport ??= createMailTransport(this.config, { info: (line: string) => this.logger.log(line) });
    return this.transport;
  }

  async sendDue(batchSize = 50): Promise<SendOutcome> {
    const outcome: SendOutcome = { sent: 0, retried: 0, failed: 0 };
    for (;;) {
      const batch = await this.outbox.claimDue(batchSize);
      if (batch.length === 0) return outcome;
      let unreachable: string | undefined;
      for (const message of batch) {
        if (unreachable) {
          // The server is down: don't wait for a timeout per message; the rest of the batch waits for its retry.
          await this.outbox.markFailed(message, `not attempted: ${unreachable}`);
          outcome.retried++;
          continue;
        }
        // A row written before recipients were checked, or by hand: a client's notice goes only to one valid address.
        const clientAddress = message.kind === 'client_notice' ? parseClientAddress(message.recipient) : undefined;
        if (clientAddress && !clientAddress.ok) {
          await this.outbox.markUndeliverable(message, `not sent: ${clientAddress.reason}`);
          outcome.failed++;
          this.logger.warn(`outbox id=${message.id} key=${message.dedupe_key} not sent: ${clientAddress.reason}`);
          continue;
        }
        try {
          const transportId = await this.mail().send({
            dedupeKey: message.dedupe_key,
            to: message.recipient,
            subject: message.subject,
            text: message.text,
            html: message.html,
            date: message.created_at,
          });
          if (await this.outbox.markSent(message, transportId)) outcome.sent++;
          this.logger.log(`outbox id=${message.id} key=${message.dedupe_key} sent (${transportId})`);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          if (error instanceof UndeliverableEmailError) {
            await this.outbox.markUndeliverable(message, reason);
            outcome.failed++;
            this.logger.warn(`outbox id=${message.id} key=${message.dedupe_key} not sent: ${reason}`);
            continue;
          }
          if (isConnectionError(error)) unreachable = `SMTP server unreachable (${reason})`;
          const result = await this.outbox.markFailed(message, reason);
          outcome[result === 'failed' ? 'failed' : 'retried']++;
          this.logger.warn(`outbox id=${message.id} key=${message.dedupe_key} attempt ${message.attempts} failed: ${reason}`);
        }
      }
      // A failing batch is not re-claimed in this run: its rows now wait for their next_attempt_at.
      if (batch.length < batchSize || unreachable) return outcome;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

/** Errors that say the server itself is unreachable (as opposed to one message being refused). */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNECTION', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EHOSTUNREACH'].includes(code);
}

import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config';
import { hasControlCharacter, singleLineHeader } from '../domain/client-address';

export interface OutgoingEmail {
  dedupeKey: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
}

export interface MailTransport {
  /** Returns an id of the delivery (SMTP message id, or the .eml path). */
  send(email: OutgoingEmail): Promise<string>;
  readonly description: string;
  close(): void;
}

/** The Message-ID is derived from the dedupe key, so a retry after a crash is recognisably the same email. */
export function messageIdFor(dedupeKey: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'payrisk.local';
  return `<payrisk.${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Thrown for a message that no retry can deliver (a recipient that is not one plain address). */
export class UndeliverableEmailError extends Error {}

function mailOptions(config: AppConfig, email: OutgoingEmail) {
  // The last line of defence: whatever reached the outbox, one message goes to one address and a subject stays one header.
  if (hasControlCharacter(email.to) || /[,;]/.test(email.to))
    throw new UndeliverableEmailError(`refused: the recipient ${JSON.stringify(email.to)} is not a single address`);
  return {
    from: config.mail.from,
    to: email.to,
    // Stated explicitly, so nodemailer never derives extra recipients from the headers.
    envelope: { from: envelopeAddress(config.mail.from), to: [email.to] },
    subject: singleLineHeader(email.subject),
    text: email.text,
    html: email.html,
    date: email.date,
    messageId: messageIdFor(email.dedupeKey, config.mail.from),
    headers: { 'X-Payrisk-Dedupe-Key': email.dedupeKey },
  };
}

/** `payrisk <p@x.test>` → `p@x.test`. */
function envelopeAddress(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/** A file name that is unique per dedupe key: writing the same key again overwrites, never duplicates. */
export function emlFileName(dedupeKey: string): string {
  const safe = dedupeKey.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${safe}-${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 8)}.eml`;
}

/** SMTP when `SMTP_URL` is set; otherwise RFC 822 `.eml` files under `<home>/outbox/`. */
export function createMailTransport(config: AppConfig, logger: Pick<Logger, 'info'>): MailTransport {
  if (config.mail.smtpUrl) {
    // Short timeouts: a dead SMTP server must fail the attempt quickly (it is retried with backoff).
    const transporter = nodemailer.createTransport(config.mail.smtpUrl, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as never);
    return {
      description: 'smtp',
      async send(email) {
        const info = (await transporter.sendMail(mailOptions(config, email))) as { messageId: string; response?: string };
        return info.messageId;
      },
      close: () => transporter.close(),
    };
  }
  const dir = join(config.homeDir, 'outbox');
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `eml files in ${dir}`,
    async send(email) {
      const info = (await builder.sendMail(mailOptions(config, email))) as { message: Buffer };
      // The messages carry signed approve/waive links: only the owner of PAYRISK_HOME may read them,
      // also when the folder already existed with looser permissions (mkdir's mode applies only on creation).
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
      const file = join(dir, emlFileName(email.dedupeKey));
      // Write then rename, so a reader never sees half a message. The mode applies when the
      // temporary file is created, so no moment exists in which the message is readable by others.
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, info.message, { mode: 0o600 });
      chmodSync(tmp, 0o600); // a leftover .tmp from a crash keeps its old mode otherwise
      renameSync(tmp, file);
      logger.info(`email "${email.subject}" written to ${file}`);
      return file;
    },
    close: () => builder.close(),
  };
}

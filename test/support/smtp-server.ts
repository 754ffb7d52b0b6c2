import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A parsed message plus the SMTP envelope it came with (who the server was actually asked to deliver it to). */
export type ReceivedMail = ParsedMail & { envelope: { from: string; to: string[] } };

export interface TestSmtpServer {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Stops listening (clients get ECONNREFUSED); `start()` again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Resolves once `count` messages have arrived; throws (naming what did arrive) after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
}

/** A real SMTP server on loopback (random port) that keeps every message it accepts, parsed with mailparser. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | undefined;
  let port = 0;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const mailFrom = session.envelope.mailFrom;
        const envelope = { from: mailFrom ? mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
        simpleParser(stream)
          .then((parsed) => {
            messages.push(Object.assign(parsed, { envelope }));
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.server.address() as AddressInfo).port;
  };

  await listen();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `timed out after ${timeoutMs} ms: expected ${count} messages, got ${messages.length}: ${JSON.stringify(messages.map((m) => m.subject))}`,
          );
        await new Promise((r) => setTimeout(r, 25));
      }
      return messages;
    },
  };
}

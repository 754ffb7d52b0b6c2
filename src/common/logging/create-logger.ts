import pino, { Logger } from 'pino';

/**
 * One pino logger for the process. Secrets never reach a line: auth headers, the
 * webhook signature and any field named like a secret are censored wherever they appear.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  '*.password',
  '*.secretKey',
  '*.apiKey',
  '*.token',
  '*.webhookSecret',
  '*.smtpUrl',
  '*.databaseUrl',
];

export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level,
    base: { app: 'payrisk' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' } } : undefined,
  });
}

/** Removes the password from a connection URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}

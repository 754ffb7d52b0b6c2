import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { Logger } from 'pino';
import PinoPretty from 'pino-pretty';

const SECRET_FIELDS = ['password', 'secretKey', 'apiKey', 'token', 'webhookSecret', 'smtpUrl', 'databaseUrl'];
/** pino matches one level per `*`, so each name is listed from the logged object down to four levels. */
const DEPTHS = ['', '*.', '*.*.', '*.*.*.', '*.*.*.*.'];

/**
 * One pino logger for the process. Secrets never reach a line: auth headers, the webhook
 * signature, any field named like a secret (on the logged object or up to four levels
 * down) and the config's database URL (`database.url`, which holds the password).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  ...DEPTHS.flatMap((depth) => [...SECRET_FIELDS, 'database.url'].map((field) => `${depth}${field}`)),
];

/**
 * Servers log to stdout (what containers collect); one-shot commands log to stderr so
 * their stdout stays clean for the JSON, CSV or XLSX a user pipes somewhere. With `file`
 * (the server on the built-in sandbox, whose start-up summary a person reads on the
 * terminal) every line goes to that file (0600) and only warnings and errors to stderr.
 */
export function createLogger(level: string, options: { toStderr?: boolean; pretty?: boolean; file?: string } = {}): Logger {
  const fd = options.toStderr || options.file ? 2 : 1;
  const pretty = options.pretty ?? (fd === 2 ? process.stderr.isTTY : process.stdout.isTTY) === true;
  const base = { level, base: { app: 'payrisk' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (options.file && level !== 'silent') {
    // Default folder modes: PAYRISK_HOME may be created here, and the embedded PostgreSQL's own user must reach into it.
    mkdirSync(dirname(options.file), { recursive: true });
    const file = pino.destination({ dest: options.file, sync: true, mode: 0o600, append: true });
    const terminal = pretty
      ? PinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', destination: fd, sync: true })
      : pino.destination({ fd, sync: true });
    return pino(
      base,
      pino.multistream([
        { level: level as pino.Level, stream: file },
        { level: 'warn', stream: terminal },
      ]),
    );
  }
  if (pretty)
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app', destination: fd } },
    });
  return pino(base, pino.destination({ fd, sync: true }));
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

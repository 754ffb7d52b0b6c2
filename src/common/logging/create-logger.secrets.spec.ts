import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger } from './create-logger';

/**
 * What the logger `createLogger` builds (the one every command uses) does with secrets.
 * createLogger writes to fd 1 or 2 through `pino.destination`; only that call is replaced
 * by an in-memory sink, so level, base fields and redaction are exactly what it configures.
 */
function captureLogger(): { logger: pino.Logger; output(): string } {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const destination = jest.spyOn(pino, 'destination').mockReturnValue(sink as unknown as ReturnType<typeof pino.destination>);
  const logger = createLogger('trace', { toStderr: true, pretty: false });
  expect(destination).toHaveBeenCalledWith({ fd: 2, sync: true });
  return { logger, output: () => lines.join('') };
}

afterEach(() => jest.restoreAllMocks());

describe('createLogger keeps secrets out of log lines', () => {
  it('censors a secret-named field one level down, e.g. { config: { databaseUrl } }', () => {
    const { logger, output } = captureLogger();
    logger.info({ config: { databaseUrl: 'postgres://payrisk:PwDepth1@db:5432/payrisk', port: 3000 } }, 'config');
    expect(output()).toContain('"databaseUrl":"[redacted]"');
    expect(output()).toContain('"port":3000'); // the rest of the object is still logged
    expect(output()).not.toContain('PwDepth1');
  });

  it.each(['password', 'secretKey', 'apiKey', 'token', 'webhookSecret', 'smtpUrl', 'databaseUrl'])('censors %s one level down', (field) => {
    const { logger, output } = captureLogger();
    logger.info({ settings: { [field]: `leaked-${field}-value` } }, 'settings');
    expect(output()).toContain(`"${field}":"[redacted]"`);
    expect(output()).not.toContain(`leaked-${field}-value`);
  });

  it('censors request headers: authorization, cookie and stripe-signature', () => {
    const { logger, output } = captureLogger();
    logger.info(
      { req: { headers: { authorization: 'Bearer HeaderTok123', cookie: 'session=CookieVal456', 'stripe-signature': 't=1,v1=SigVal789', accept: '*/*' } } },
      'request',
    );
    expect(output()).toContain('"authorization":"[redacted]"');
    expect(output()).toContain('"cookie":"[redacted]"');
    expect(output()).toContain('"stripe-signature":"[redacted]"');
    expect(output()).toContain('"accept":"*/*"');
    for (const secret of ['HeaderTok123', 'CookieVal456', 'SigVal789']) expect(output()).not.toContain(secret);
  });

  it('censors secrets in child-logger bindings too', () => {
    const { logger, output } = captureLogger();
    logger.child({ stripe: { secretKey: 'sk_test_ChildBinding1' } }).info('from a child');
    expect(output()).toContain('"secretKey":"[redacted]"');
    expect(output()).not.toContain('sk_test_ChildBinding1');
  });

  // pino's `*.name` matches exactly one level down: deeper levels need their own paths.
  it('censors a secret-named field two levels down, e.g. { a: { b: { token } } }', () => {
    const { logger, output } = captureLogger();
    logger.info({ a: { b: { token: 'TokDepth2Leaks' } } }, 'nested');
    expect(output()).not.toContain('TokDepth2Leaks');
  });

  // `*.token` does not match a top-level `token`: the bare names are listed too.
  it('censors a secret-named field on the logged object itself, e.g. { token, password }', () => {
    const { logger, output } = captureLogger();
    logger.info({ token: 'TopLevelTok1', password: 'TopLevelPw2' }, 'top level');
    expect(output()).not.toContain('TopLevelTok1');
    expect(output()).not.toContain('TopLevelPw2');
  });

  // AppConfig (src/config/app-config.ts) keeps its secrets two levels below a `config` key
  // (config.stripe.secretKey, config.api.token, config.mail.smtpUrl) and the connection URL as
  // `database.url`.
  it('censors the secrets of an AppConfig logged as { config }', () => {
    const { logger, output } = captureLogger();
    const config = {
      database: { url: 'postgres://payrisk:AppCfgPw1@db:5432/payrisk' },
      stripe: { secretKey: 'sk_test_AppCfgKey2', webhookSecret: 'whsec_AppCfgHook3' },
      mail: { smtpUrl: 'smtp://u:AppCfgSmtp4@mail:25' },
      api: { token: 'AppCfgToken5_0123456789' },
    };
    logger.info({ config }, 'configuration');
    for (const secret of ['AppCfgPw1', 'sk_test_AppCfgKey2', 'whsec_AppCfgHook3', 'AppCfgSmtp4', 'AppCfgToken5_0123456789'])
      expect(output()).not.toContain(secret);
  });

  // AppConfig's `database.url` holds the database password though it is not named like a secret.
  it('censors the database URL of an AppConfig logged as is (database.url)', () => {
    const { logger, output } = captureLogger();
    logger.info({ database: { url: 'postgres://payrisk:DbUrlPw6@db:5432/payrisk' } }, 'database');
    expect(output()).not.toContain('DbUrlPw6');
  });
});

import { CliError, describeError } from './cli-error';

describe('describeError', () => {
  it('never says "undefined", whatever was thrown', () => {
    for (const thrown of [undefined, null, new Error(''), new AggregateError([]), {}, '']) {
      const line = describeError(thrown);
      expect(line).not.toMatch(/^undefined$|^$/);
    }
    expect(describeError(undefined)).toContain('LOG_LEVEL=debug');
  });

  it('names the inner errors of an AggregateError with an empty message (a failed connect)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeError(new AggregateError([refused, refused], ''))).toBe('connect ECONNREFUSED 127.0.0.1:1');
  });

  it('keeps the message and adds the cause', () => {
    expect(describeError(new Error('sync failed', { cause: new Error('socket hang up') }))).toBe('sync failed (cause: socket hang up)');
    expect(describeError(new CliError('do this next', 1, { cause: new Error('hidden') }))).toBe('do this next');
  });
});

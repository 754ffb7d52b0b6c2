/**
 * Time is passed in, never read inside domain code. Services get "now" from an
 * injected Clock so tests and the sandbox can control it.
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved; for tests and simulations. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(at: Date): void {
    this.current = new Date(at.getTime());
  }

  advance(milliseconds: number): void {
    this.current = new Date(this.current.getTime() + milliseconds);
  }
}

/**
 * The server's clock: real time, unless payrisk runs on its built-in sandbox, whose clock
 * the owner can move forward (`payrisk sandbox advance 7d`). Then payrisk follows it, so an
 * invoice the sandbox made overdue is overdue for detection and policies too.
 */
export class ServerClock implements Clock {
  private source: () => Date = () => new Date();

  now(): Date {
    return this.source();
  }

  follow(source: () => Date): void {
    this.source = source;
  }
}

/**
 * Real time shifted by a fixed offset: a one-shot command's view of a clock that runs in
 * real time plus whatever it was advanced (the built-in sandbox's, read once at start).
 */
export class OffsetClock implements Clock {
  private readonly offsetMs: number;

  constructor(reading: Date, readAt: number = Date.now()) {
    this.offsetMs = reading.getTime() - readAt;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

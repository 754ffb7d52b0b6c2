/**
 * The sandbox-wide clock: starts at `now` (the end of the generated history) and runs in
 * real time plus whatever was advanced. While time is being advanced, `pin` holds the
 * instant being processed so renewals and overdue checks are stamped with it.
 */
export class SandboxClock {
  private offsetMs = 0;
  private readonly startedReal = Date.now();
  private pin: number | undefined;

  constructor(private readonly startMs: number) {}

  nowMs(): number {
    return this.pin ?? this.startMs + this.offsetMs + (Date.now() - this.startedReal);
  }

  /** Unix seconds, as Stripe stamps objects. */
  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  pinAt(seconds: number | undefined): void {
    this.pin = seconds === undefined ? undefined : seconds * 1000;
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

/** One step of a sequential source: the item, and whether it was the last. */
export type Step<T> = () => Promise<{ value: T; last: boolean }>;

/**
 * Reads a sequential source (the pages of one range: each request needs the previous
 * page's last id) ahead of its consumer, up to `depth` items. The consumer takes whatever
 * has arrived: one page when Stripe is the bottleneck, several at once when the database
 * is, so writes grow into bigger batches exactly when that pays.
 */
export class ReadAhead<T> {
  private readonly buffer: T[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private closed = false;
  private arrived?: () => void;
  private room?: () => void;
  private readonly pumping: Promise<void>;

  constructor(
    private readonly step: Step<T>,
    private readonly depth: number,
  ) {
    this.pumping = this.pump();
  }

  /** Waits for at least one item; returns up to `max` of them, oldest first; [] once the source is done. Throws the source's error after its items. */
  async take(max: number): Promise<T[]> {
    while (this.buffer.length === 0 && !this.finished) await new Promise<void>((resolve) => (this.arrived = resolve));
    if (this.buffer.length === 0 && this.failure) throw this.failure.error;
    const items = this.buffer.splice(0, Math.max(1, max));
    this.wake('room');
    return items;
  }

  /** Stops reading; resolves once the request in flight (if any) has settled. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake('room');
    await this.pumping;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed) {
        if (this.buffer.length >= this.depth) {
          await new Promise<void>((resolve) => (this.room = resolve));
          continue;
        }
        const { value, last } = await this.step();
        if (this.closed) break;
        this.buffer.push(value);
        this.wake('arrived');
        if (last) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wake('arrived');
    }
  }

  private wake(which: 'arrived' | 'room'): void {
    const resolve = this[which];
    this[which] = undefined;
    resolve?.();
  }
}

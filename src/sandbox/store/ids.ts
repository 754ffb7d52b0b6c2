import { Prng } from '../util/prng';

/** Stripe-looking ids (`in_…`, `cus_…`), reproducible for a given seed. */
export class IdFactory {
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed ^ 0x5eed);
  }

  /** Where the id sequence stands (saved with the sandbox's state). */
  get position(): number {
    return this.prng.position;
  }

  set position(state: number) {
    this.prng.position = state;
  }

  next(prefix: string): string {
    return `${prefix}_${this.prng.token(24)}`;
  }
}

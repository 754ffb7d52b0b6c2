import { Prng } from '../util/prng';

/** Stripe-looking ids (`in_…`, `cus_…`), reproducible for a given seed. */
export class IdFactory {
  private readonly prng: Prng;

  constructor(seed: number) {
    this.prng = new Prng(seed ^ 0x5eed);
  }

  next(prefix: string): string {
    return `${prefix}_${this.prng.token(24)}`;
  }
}

import { Prng } from '../util/prng';

export interface FaultSpec {
  rate429?: number;
  rate500?: number;
  rateDrop?: number;
  retryAfterSeconds?: number;
  webhookDrop?: number;
  webhookDuplicate?: number;
  webhookReorder?: boolean;
}

export type RequestFault = '429' | '500' | 'drop' | null;

/** Decides, request by request and delivery by delivery, which fault (if any) to inject. */
export class FaultInjector {
  private prng: Prng;

  constructor(
    public spec: FaultSpec,
    seed: number,
  ) {
    this.prng = new Prng(seed ^ 0xfa017);
  }

  forRequest(): RequestFault {
    const roll = this.prng.next();
    const { rate429 = 0, rate500 = 0, rateDrop = 0 } = this.spec;
    if (roll < rate429) return '429';
    if (roll < rate429 + rate500) return '500';
    if (roll < rate429 + rate500 + rateDrop) return 'drop';
    return null;
  }

  /** How many copies of a webhook to send: 0 (dropped), 1, or 2 (duplicated). */
  deliveryCopies(): number {
    if (this.prng.chance(this.spec.webhookDrop ?? 0)) return 0;
    return this.prng.chance(this.spec.webhookDuplicate ?? 0) ? 2 : 1;
  }

  /** Extra delay for a delivery so that, with reordering on, later events can overtake earlier ones. */
  deliveryDelayMs(): number {
    return this.spec.webhookReorder ? this.prng.int(0, 400) : 0;
  }
}

/**
 * Parses the CLI form: `429=0.1,500=0.05,drop=0.05,retry-after=1,webhook-drop=0.1,webhook-dup=0.1,reorder`.
 */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, raw] = part.split('=');
    if (name === 'reorder') {
      spec.webhookReorder = raw === undefined || raw === 'true' || raw === '1';
      continue;
    }
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value < 0) throw new Error(`bad fault "${part}": expected name=number`);
    const rate = (): number => {
      if (value > 1) throw new Error(`bad fault "${part}": a rate is between 0 and 1`);
      return value;
    };
    if (name === '429') spec.rate429 = rate();
    else if (name === '500') spec.rate500 = rate();
    else if (name === 'drop') spec.rateDrop = rate();
    else if (name === 'retry-after') spec.retryAfterSeconds = value;
    else if (name === 'webhook-drop') spec.webhookDrop = rate();
    else if (name === 'webhook-dup') spec.webhookDuplicate = rate();
    else throw new Error(`unknown fault "${name}" (expected 429, 500, drop, retry-after, webhook-drop, webhook-dup, reorder)`);
  }
  return spec;
}

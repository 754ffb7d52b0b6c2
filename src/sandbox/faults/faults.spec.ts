import { FaultInjector, parseFaultSpec } from './faults';

describe('parseFaultSpec', () => {
  it('reads the CLI form', () => {
    expect(parseFaultSpec('429=0.1,500=0.05,drop=0.05,retry-after=2,webhook-drop=0.2,webhook-dup=0.1,reorder')).toEqual({
      rate429: 0.1,
      rate500: 0.05,
      rateDrop: 0.05,
      retryAfterSeconds: 2,
      webhookDrop: 0.2,
      webhookDuplicate: 0.1,
      webhookReorder: true,
    });
  });

  it('rejects unknown names and rates above 1', () => {
    expect(() => parseFaultSpec('418=0.1')).toThrow(/unknown fault/);
    expect(() => parseFaultSpec('429=2')).toThrow(/between 0 and 1/);
  });
});

describe('FaultInjector', () => {
  it('injects roughly the configured share, deterministically', () => {
    const count = (seed: number): number => {
      const faults = new FaultInjector({ rate429: 0.2, rate500: 0.1 }, seed);
      return Array.from({ length: 10_000 }, () => faults.forRequest()).filter((f) => f !== null).length;
    };
    expect(count(1)).toBe(count(1));
    expect(count(1)).toBeGreaterThan(2700);
    expect(count(1)).toBeLessThan(3300);
  });

  it('always faults at rate 1 and never at 0', () => {
    expect(new FaultInjector({ rate429: 1 }, 3).forRequest()).toBe('429');
    expect(new FaultInjector({}, 3).forRequest()).toBeNull();
  });
});

describe('FaultInjector webhook faults', () => {
  it('drops, duplicates and delays deliveries as configured', () => {
    expect(new FaultInjector({ webhookDrop: 1 }, 1).deliveryCopies()).toBe(0);
    expect(new FaultInjector({ webhookDuplicate: 1 }, 1).deliveryCopies()).toBe(2);
    expect(new FaultInjector({}, 1).deliveryCopies()).toBe(1);
    expect(new FaultInjector({}, 1).deliveryDelayMs()).toBe(0);
    const reorder = new FaultInjector({ webhookReorder: true }, 1);
    const delays = Array.from({ length: 50 }, () => reorder.deliveryDelayMs());
    expect(new Set(delays).size).toBeGreaterThan(10);
  });
});

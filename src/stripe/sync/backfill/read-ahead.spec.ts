import { ReadAhead } from './read-ahead';

/** A source of `count` numbered items whose requests resolve when the test says so. */
function source(count: number) {
  let requested = 0;
  const pending: Array<() => void> = [];
  const step = () =>
    new Promise<{ value: number; last: boolean }>((resolve) => {
      const n = requested++;
      pending.push(() => resolve({ value: n, last: n === count - 1 }));
    });
  const settle = async (times = 1) => {
    for (let i = 0; i < times; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      pending.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { step, settle, requested: () => requested };
}

describe('ReadAhead', () => {
  it('reads ahead up to its depth while the consumer is busy, and hands over what arrived as one batch', async () => {
    const s = source(10);
    const ahead = new ReadAhead(s.step, 3);
    await s.settle(5);
    expect(s.requested()).toBe(3); // the buffer is full: the 4th is not requested until there is room
    expect(await ahead.take(5)).toEqual([0, 1, 2]);
    await s.settle(1);
    expect(await ahead.take(5)).toEqual([3]);
    const closing = ahead.close();
    await s.settle(); // the request already in flight
    await closing;
  });

  it('gives one item at a time when the source is the slow side, then [] at the end', async () => {
    const s = source(2);
    const ahead = new ReadAhead(s.step, 5);
    const first = ahead.take(5);
    await s.settle();
    expect(await first).toEqual([0]);
    const second = ahead.take(5);
    await s.settle();
    expect(await second).toEqual([1]);
    expect(await ahead.take(5)).toEqual([]);
    expect(s.requested()).toBe(2);
  });

  it("hands over the items read before the source's error, then throws it", async () => {
    let n = 0;
    const ahead = new ReadAhead(async () => {
      if (n === 2) throw new Error('connection dropped for good');
      return { value: n++, last: false };
    }, 5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await ahead.take(5)).toEqual([0, 1]);
    await expect(ahead.take(5)).rejects.toThrow('connection dropped for good');
  });

  it('stops reading when closed, waiting for the request in flight', async () => {
    const s = source(100);
    const ahead = new ReadAhead(s.step, 2);
    const closing = ahead.close();
    await s.settle();
    await closing;
    expect(s.requested()).toBe(1);
  });
});

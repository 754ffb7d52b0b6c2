import { Prng } from './prng';

describe('Prng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps int() within its inclusive bounds', () => {
    const prng = new Prng(7);
    const values = Array.from({ length: 1000 }, () => prng.int(3, 5));
    expect(Math.min(...values)).toBe(3);
    expect(Math.max(...values)).toBe(5);
  });

  it('produces tokens of the requested length', () => {
    expect(new Prng(1).token(14)).toMatch(/^[A-Za-z0-9]{14}$/);
  });

  it('shuffle keeps every item, leaves its input alone, and gives the same order for the same seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const once = new Prng(7).shuffle(items);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Prng(7).shuffle(items)).toEqual(once);
    expect(once).not.toEqual(items);
    expect(new Prng(11).shuffle(items)).not.toEqual(once);
  });
});

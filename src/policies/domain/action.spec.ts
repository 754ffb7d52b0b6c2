import { canTransition, sourcesOf } from './action';

describe('action transitions', () => {
  it('follows proposed → approved → applied, and a fee can be waived once applied', () => {
    expect(canTransition('proposed', 'approved')).toBe(true);
    expect(canTransition('approved', 'applied')).toBe(true);
    expect(canTransition('applied', 'waived')).toBe(true);
  });

  it('never reopens a decided action', () => {
    for (const final of ['rejected', 'waived', 'expired'] as const) {
      for (const to of ['proposed', 'approved', 'applied', 'rejected', 'failed', 'waived', 'expired'] as const) expect(canTransition(final, to)).toBe(false);
    }
    expect(canTransition('applied', 'approved')).toBe(false);
    expect(canTransition('proposed', 'applied')).toBe(false);
  });

  it('lists where a transition may start from', () => {
    expect(sourcesOf('approved').sort()).toEqual(['failed', 'proposed']);
    expect(sourcesOf('waived')).toEqual(['applied']);
  });
});

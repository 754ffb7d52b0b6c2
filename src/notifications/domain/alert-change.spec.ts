import { alertChange, mergeChanges } from './alert-change';

describe('alertChange', () => {
  it('alerts on a new flag or a rising level', () => {
    expect(alertChange({ level: 'ok', flags: [] }, { level: 'watch', flags: ['slipping'] })).toMatchObject({
      fromLevel: 'ok',
      toLevel: 'watch',
      newFlags: ['slipping'],
      levelRose: true,
    });
    expect(alertChange({ level: 'risky', flags: ['arrears'] }, { level: 'risky', flags: ['arrears', 'disputes'] })?.newFlags).toEqual(['disputes']);
  });

  it('leaves decreases and unchanged assessments to the digest', () => {
    expect(alertChange({ level: 'risky', flags: ['arrears'] }, { level: 'watch', flags: ['arrears'] })).toBeNull();
    expect(alertChange({ level: 'risky', flags: ['arrears', 'disputes'] }, { level: 'risky', flags: ['arrears'] })).toBeNull();
    expect(alertChange({ level: 'watch', flags: ['slipping'] }, { level: 'watch', flags: ['slipping'] })).toBeNull();
  });

  it('never announces a level going down, even with a new flag, nor a client at ok', () => {
    expect(alertChange({ level: 'risky', flags: ['arrears'] }, { level: 'watch', flags: ['slipping'] })).toBeNull();
    expect(alertChange({ level: 'ok', flags: [] }, { level: 'ok', flags: ['slipping'] })).toBeNull();
    expect(alertChange(null, { level: 'ok', flags: ['slipping'] })).toBeNull();
    expect(alertChange({ level: 'watch', flags: [] }, { level: 'watch', flags: ['slipping'] })?.newFlags).toEqual(['slipping']);
  });

  it('drops a batch that ends at or below where it started', () => {
    const up = alertChange({ level: 'ok', flags: [] }, { level: 'risky', flags: ['arrears'] })!;
    const down = { fromLevel: 'risky', toLevel: 'ok', newFlags: [], levelRose: false, lines: [] };
    expect(mergeChanges(up, down)).toBeNull();
  });

  it('treats a first assessment with flags as newly flagged, a clean one as nothing', () => {
    expect(alertChange(null, { level: 'risky', flags: ['chronic_late_payer'] })?.lines).toEqual([
      'assessed risky for the first time',
      'newly flagged: pays late as a habit',
    ]);
    expect(alertChange(null, { level: 'ok', flags: [] })).toBeNull();
  });

  it('merges a batch keeping the first "from" and the last "to"', () => {
    const a = alertChange({ level: 'ok', flags: [] }, { level: 'watch', flags: ['slipping'] })!;
    const b = alertChange({ level: 'watch', flags: ['slipping'] }, { level: 'critical', flags: ['slipping', 'arrears'] })!;
    expect(mergeChanges(a, b)!).toMatchObject({ fromLevel: 'ok', toLevel: 'critical', newFlags: ['slipping', 'arrears'] });
  });
});

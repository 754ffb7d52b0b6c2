import { describeEvidence, evidenceGroups, plainReason, shortDate } from './describe-evidence';

const now = new Date('2026-12-01T12:00:00Z');

describe('describeEvidence', () => {
  const invoice = { kind: 'invoice', id: 'in_1Qx', amount: { amount: 490000, currency: 'eur' }, date: '2026-11-16', daysLate: 21, detail: 'INV-0014' };

  it('reads a paid late invoice by its number, amount, due date and lateness', () => {
    const text = describeEvidence(invoice, { now, paidAt: new Map([['in_1Qx', '2026-12-07T00:00:00Z']]) });
    expect(text).toBe('INV-0014, €4,900.00, due 16 Nov, paid 21 days late');
  });

  it('says unpaid for an open invoice, and "late or unpaid" when it cannot know', () => {
    expect(describeEvidence(invoice, { now, paidAt: new Map([['in_1Qx', null]]) })).toBe('INV-0014, €4,900.00, due 16 Nov, unpaid, 21 days past due');
    expect(describeEvidence(invoice, { now })).toBe('INV-0014, €4,900.00, due 16 Nov, 21 days late or unpaid');
  });

  it('names a credit note by its number and never shows a Stripe id', () => {
    const note = { kind: 'credit_note', id: 'cn_1AbC', amount: { amount: 73500, currency: 'eur' }, date: '2026-09-04', detail: 'in_9zz' };
    const text = describeEvidence(note, { now, numbers: new Map([['cn_1AbC', 'CN-0003']]) });
    expect(text).toBe('credit note CN-0003, €735.00, 4 Sep');
    expect(describeEvidence({ ...invoice, detail: undefined }, { now })).not.toMatch(/in_/);
  });

  it('describes a void and re-issue with both numbers, and respects zero-decimal currencies', () => {
    const item = {
      kind: 'void_reissue',
      id: 'in_new',
      amount: { amount: 5000, currency: 'jpy' },
      date: '2025-03-02',
      detail: 'in_old voided, re-issued as in_new for less',
    };
    const numbers = new Map([
      ['in_old', 'INV-0007'],
      ['in_new', 'INV-0008'],
    ]);
    expect(describeEvidence(item, { now, numbers })).toBe('INV-0007 voided and re-issued as INV-0008, JP¥5,000 less, 2 Mar 2025');
  });

  it('reads discount requests and disputes', () => {
    expect(
      describeEvidence({ kind: 'discount_request', id: 'dr_1', amount: { amount: 1050, currency: 'usd' }, date: '2026-10-01', detail: 'by phone' }, { now }),
    ).toBe('discount asked for, US$10.50, 1 Oct ("by phone")');
    expect(
      describeEvidence({ kind: 'dispute', id: 'dp_1', amount: { amount: 2000, currency: 'gbp' }, date: '2026-10-02', detail: 'needs_response' }, { now }),
    ).toBe('payment dispute, £20.00, 2 Oct, needs response');
  });
});

describe('evidenceGroups and plainReason', () => {
  it('groups by flag in words, with "… and N more"', () => {
    const items = Array.from({ length: 3 }, (_, i) => ({
      kind: 'invoice',
      id: `in_${i}`,
      amount: { amount: 100, currency: 'eur' },
      date: '2026-11-01',
      daysLate: 5,
      detail: `INV-${i}`,
    }));
    const groups = evidenceGroups({ chronic_late_payer: items }, { now }, 2);
    expect(groups).toEqual([
      {
        flag: 'Pays late as a habit',
        lines: ['INV-0, €1.00, due 1 Nov, 5 days late or unpaid', 'INV-1, €1.00, due 1 Nov, 5 days late or unpaid', '… and 1 more'],
      },
    ]);
  });

  it('never shows an internal flag code in a reason', () => {
    const text = plainReason('repeated_discount_demands, arrears: raise prices 15% from 2026-12-31');
    expect(text).toBe('Keeps asking for discounts; owes overdue money: raise prices 15% from 2026-12-31');
    expect(text).not.toMatch(/_/);
  });

  it('writes the year only when it is not this year', () => {
    expect(shortDate('2026-02-03', now)).toBe('3 Feb');
    expect(shortDate('2025-02-03', now)).toBe('3 Feb 2025');
  });
});

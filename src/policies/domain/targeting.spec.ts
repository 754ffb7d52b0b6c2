import { isTargeted } from './targeting';

const client = (over: Partial<Parameters<typeof isTargeted>[0]> = {}) => ({ clientId: 'cus_1', exemptByMetadata: false, level: 'ok', flags: [], ...over });

describe('policy targeting', () => {
  it('covers every client when the policy applies to all overdue invoices', () => {
    expect(isTargeted(client(), { allOverdue: true, flags: [], levels: [] }, [])).toBe(true);
  });

  it('otherwise needs one of the listed flags or levels', () => {
    const appliesTo = { allOverdue: false, flags: ['repeated_discount_demands'], levels: ['critical'] };
    expect(isTargeted(client(), appliesTo, [])).toBe(false);
    expect(isTargeted(client({ flags: ['chronic_late_payer'] }), appliesTo, [])).toBe(false);
    expect(isTargeted(client({ flags: ['repeated_discount_demands'] }), appliesTo, [])).toBe(true);
    expect(isTargeted(client({ level: 'critical' }), appliesTo, [])).toBe(true);
    expect(isTargeted(client({ level: undefined }), appliesTo, [])).toBe(false);
  });

  it('never acts on an exempt client, by config list or by Stripe metadata', () => {
    const all = { allOverdue: true, flags: [], levels: [] };
    expect(isTargeted(client(), all, ['cus_1'])).toBe(false);
    expect(isTargeted(client({ exemptByMetadata: true }), all, [])).toBe(false);
  });
});

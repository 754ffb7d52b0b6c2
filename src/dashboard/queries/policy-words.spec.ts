import { policyFileSchema } from '../../config/policy-file.schema';
import { explainPolicies } from './policy-words';

describe('explainPolicies', () => {
  const explain = (policies: unknown, currency = 'eur') => JSON.stringify(explainPolicies(policyFileSchema.parse({ currency, policies }), currency));

  it('names flags in words, never their internal codes', () => {
    const text = explain({ priceIncrease: { enabled: true, appliesTo: { flags: ['repeated_discount_demands'] } } });
    expect(text).toContain('flagged “Keeps asking for discounts”');
    expect(text).not.toContain('repeated_discount_demands');
  });

  it('writes amounts in the currency’s own minor units (yen has none)', () => {
    const text = explain({ lateFee: { enabled: true, method: 'fixed', fixedAmount: 1500 } }, 'jpy');
    expect(text).toContain('¥1,500');
    expect(text).not.toContain('15.00');
  });

  it('says how long approval links work and that an undecided proposal then expires', () => {
    const text = explain({ approvalLinkTtlHours: 48 });
    expect(text).toContain('Approval links in emails work for 48 hours; a proposal nobody decides by then expires and changes nothing.');
  });
});

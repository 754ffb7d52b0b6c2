import { DomainError } from '../common/errors';
import { accessibleAccounts, chooseAccount } from './principal';

const accounts = [
  { stripeAccountId: 'acct_A', name: 'Acme' },
  { stripeAccountId: 'acct_B', name: 'Bolt' },
];
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
  }
  return 'no error';
};

describe('accessibleAccounts', () => {
  it('gives the owner every account, an account token its one, a person their grants in their roles', () => {
    expect(accessibleAccounts({ kind: 'owner', via: 'token' }, accounts, []).map((a) => [a.stripeAccountId, a.role])).toEqual([
      ['acct_A', 'owner'],
      ['acct_B', 'owner'],
    ]);
    expect(accessibleAccounts({ kind: 'account', stripeAccountId: 'acct_B', tokenName: 't' }, accounts, [])).toEqual([{ ...accounts[1], role: 'owner' }]);
    const person = { kind: 'person' as const, via: 'session' as const, person: { id: 'p', email: 'p@x.test', displayName: 'P' } };
    expect(accessibleAccounts(person, accounts, [{ stripeAccountId: 'acct_B', role: 'accountant' }])).toEqual([{ ...accounts[1], role: 'accountant' }]);
    // A grant to an account the instance no longer has (removed) gives nothing.
    expect(accessibleAccounts(person, accounts, [{ stripeAccountId: 'acct_gone', role: 'owner' }])).toEqual([]);
    expect(accessibleAccounts({ kind: 'account', stripeAccountId: 'acct_gone', tokenName: 't' }, accounts, [])).toEqual([]);
  });
});

describe('chooseAccount', () => {
  const both = accounts.map((a) => ({ ...a, role: 'owner' as const }));
  it('takes the one asked for, else the only one; several and none asked is a question, none at all a refusal', () => {
    expect(chooseAccount(both, 'acct_B').stripeAccountId).toBe('acct_B');
    expect(chooseAccount([both[0]], undefined).stripeAccountId).toBe('acct_A');
    expect(codeOf(() => chooseAccount(both, undefined))).toBe('invalid_input');
    expect(codeOf(() => chooseAccount([], undefined))).toBe('forbidden');
  });
  it('answers an account the caller may not see exactly as one that does not exist', () => {
    expect(codeOf(() => chooseAccount([both[0]], 'acct_B'))).toBe('not_found');
    const message = (id: string) => {
      try {
        chooseAccount([both[0]], id);
      } catch (error) {
        return (error as Error).message.replaceAll(id, 'X');
      }
      return '';
    };
    expect(message('acct_B')).toBe(message('acct_nothing'));
  });
});

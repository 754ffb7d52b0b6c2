import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';

type Session = Schemas['SessionViewDto_Output'];

/** Selects the account the dashboard's pages show (remembered by the session), then reloads every page's data for it. */
export function useSelectAccount() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (account: string) => unwrap(await api.PUT('/api/session/account', { body: { account } })),
    onSuccess: async (session) => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
      queryClient.setQueryData(['session'], session);
      await navigate('/');
    },
  });
}

/** The header's account switcher: only for someone who may see more than one account. */
export function AccountSwitcher({ session }: { session: Session }) {
  const select = useSelectAccount();
  if (session.accounts.length < 2) return null;
  return (
    <div className="switcher">
      <label htmlFor="account-switcher">Account</label>
      <select
        id="account-switcher"
        value={session.stripeAccountId ?? ''}
        disabled={select.isPending}
        onChange={(event) => {
          if (event.target.value) select.mutate(event.target.value);
        }}
      >
        {!session.stripeAccountId && <option value="">Choose an account</option>}
        {session.accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name}
            {account.role === 'accountant' ? ' (read only)' : ''}
          </option>
        ))}
      </select>
      {select.error && (
        <span role="alert" className="error">
          {select.error.message}
        </span>
      )}
    </div>
  );
}

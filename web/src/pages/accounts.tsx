import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../api/client';
import { useSelectAccount } from '../components/account-switcher';
import { DataState } from '../components/data-state';
import { formatMoney } from '../format';

type Line = Schemas['AccountsOverviewDto_Output']['accounts'][number];

/** /accounts: every account the signed-in person may see, side by side; each name opens that account's overview. */
export function AccountsPage({ chooseFirst }: { chooseFirst?: boolean }) {
  const overview = useQuery({ queryKey: ['accounts-overview'], queryFn: async () => unwrap(await api.GET('/api/dashboard/accounts')) });
  const select = useSelectAccount();
  return (
    <>
      <h1>All accounts</h1>
      {chooseFirst && <p>You may see several Stripe accounts: open one to see its clients, actions and reports.</p>}
      {select.error && (
        <p role="alert" className="error">
          {select.error.message}
        </p>
      )}
      <DataState query={overview}>
        {(data) => (
          <div className="scroll" tabIndex={0} role="region" aria-label="Accounts (scrolls sideways)">
            <table className="accounts">
              <caption>Receivables, overdue, DSO this month and clients at risk, per account, as of {data.asOf.slice(0, 10)}</caption>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Receivables</th>
                  <th scope="col">Overdue</th>
                  <th scope="col">DSO (days)</th>
                  <th scope="col">Clients at risk</th>
                  <th scope="col">Approvals waiting</th>
                </tr>
              </thead>
              <tbody>
                {data.accounts.map((line) => (
                  <AccountRow key={line.id} line={line} open={() => select.mutate(line.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </DataState>
    </>
  );
}

const perCurrency = (items: { currency: string; value: string }[]) => (items.length ? items.map((i) => i.value).join(', ') : '—');

function AccountRow({ line, open }: { line: Line; open: () => void }) {
  return (
    <tr>
      <th scope="row">
        <a
          href="/"
          onClick={(event) => {
            event.preventDefault();
            open();
          }}
        >
          {line.name}
        </a>
        {line.role === 'accountant' && <span className="muted"> (read only)</span>}
      </th>
      <td>{perCurrency(line.receivables.map((r) => ({ currency: r.currency, value: formatMoney(r.outstanding, r.currency) })))}</td>
      <td>{perCurrency(line.receivables.map((r) => ({ currency: r.currency, value: formatMoney(r.overdue, r.currency) })))}</td>
      <td>
        {perCurrency(line.dso.map((d) => ({ currency: d.currency, value: `${d.dso === undefined ? '—' : d.dso.toFixed(1)} (${d.currency.toUpperCase()})` })))}
      </td>
      <td>{line.clientsAtRisk}</td>
      <td>{line.pendingApprovals}</td>
    </tr>
  );
}

import { useMutation, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, unwrap } from '../api/client';
import { Calculation, KIND_WORDS } from '../components/actions-table';
import { DataState } from '../components/data-state';
import { formatMoney } from '../format';

export function PoliciesPage() {
  const policies = useQuery({ queryKey: ['policies'], queryFn: async () => unwrap(await api.GET('/api/dashboard/policies')) });
  const dryRun = useMutation({ mutationFn: async () => unwrap(await api.POST('/api/dashboard/policies/dry-run')) });
  return (
    <>
      <h1>Policies</h1>
      <DataState query={policies}>
        {(data) => (
          <>
            <p className="muted">
              From <code>{data.file}</code>
            </p>
            <div className="grid">
              {data.sections.map((section) => (
                <section key={section.policy} aria-label={section.policy} data-policy={section.policy}>
                  <h2>
                    {section.policy} {section.enabled ? '' : '(off)'}
                  </h2>
                  {section.words.map((line) => (
                    <p key={line}>{line}</p>
                  ))}
                </section>
              ))}
            </div>
          </>
        )}
      </DataState>
      <h2>What would happen if the policies ran now</h2>
      <p>A dry run: it plans, and writes nothing anywhere (no action, no email, nothing in Stripe).</p>
      <button type="button" onClick={() => dryRun.mutate()} disabled={dryRun.isPending}>
        Show what would happen
      </button>
      {dryRun.isPending && <p role="status">Planning…</p>}
      {dryRun.error && (
        <p role="alert" className="error">
          {dryRun.error.message}
        </p>
      )}
      {dryRun.data &&
        (dryRun.data.planned.length === 0 ? (
          <p className="state empty" role="status" data-testid="dry-run">
            Nothing new: every decision the policies call for is already recorded (see <Link to="/actions">Actions</Link>).
          </p>
        ) : (
          <div className="scroll" role="region" tabIndex={0} aria-label="Dry run (scrolls sideways)">
            <table data-testid="dry-run">
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">Client</th>
                  <th scope="col">How</th>
                  <th scope="col">Why</th>
                  <th scope="col">Calculation</th>
                </tr>
              </thead>
              <tbody>
                {dryRun.data.planned.map((p, i) => (
                  <tr key={i}>
                    <td>
                      {KIND_WORDS[p.kind]}
                      {p.amount ? ` of ${formatMoney(p.amount.amount, p.amount.currency)}` : ''}
                    </td>
                    <td>
                      <Link to={`/clients/${p.customerId}`}>{p.clientName ?? p.customerId}</Link>
                    </td>
                    <td>{p.mode === 'auto' ? 'at once' : 'proposed to you'}</td>
                    <td>{p.why}</td>
                    <td>
                      <Calculation rows={p.calculation} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}
